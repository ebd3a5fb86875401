/** Durations in scenarios are written as `30s`, `5m`, `2h`, `1d`, `2w`, or a bare number of days. Simulated time is kept in days. */

const UNIT_DAYS: Record<string, number> = {
  s: 1 / 86_400,
  m: 1 / 1_440,
  h: 1 / 24,
  d: 1,
  w: 7,
};

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$/;

/** Parses a duration into days, or returns undefined when the text is not a duration. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_DAYS[match[2]];
}

export const MINUTES_PER_DAY = 1_440;

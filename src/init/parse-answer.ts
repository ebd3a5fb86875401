/**
 * Turning typed text (a flag value or a line typed at a prompt) into an answer. Flags and
 * prompts share these parsers, so both accept the same spellings and give the same messages.
 */

/** A wrong answer; the message says what is accepted. */
export class AnswerError extends Error {
  override readonly name = 'AnswerError';
}

/** One of `choices`, or an unambiguous start of one (sat = satisfaction); case and `-`/`_` do not matter. */
export function parseChoice<T extends string>(text: string, choices: readonly T[]): T {
  const wanted = normalize(text);
  const exact = choices.find((choice) => normalize(choice) === wanted);
  if (exact !== undefined) return exact;
  const starts = wanted === '' ? [] : choices.filter((choice) => normalize(choice).startsWith(wanted));
  if (starts.length === 1) return starts[0];
  throw new AnswerError(`"${text.trim()}" is not one of: ${choices.join(', ')}`);
}

/** Several of `choices`, separated by commas or spaces; duplicates dropped, choices' order kept. */
export function parseChoices<T extends string>(text: string, choices: readonly T[]): T[] {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length === 0) throw new AnswerError(`expected one or more of: ${choices.join(', ')}`);
  const picked = new Set(parts.map((part) => parseChoice(part, choices)));
  return choices.filter((choice) => picked.has(choice));
}

/** A whole number of at least `min`; accepts 3000, 3_000, 3,000, 3k and 1.5m. */
export function parseCount(text: string, min = 1): number {
  const match = /^(\d+(?:[.,_]\d+)*)\s*([km]?)$/i.exec(text.trim());
  const base = match ? Number(match[1].replace(/[,_]/g, '')) : Number.NaN;
  const value = match ? base * (match[2].toLowerCase() === 'k' ? 1e3 : match[2].toLowerCase() === 'm' ? 1e6 : 1) : Number.NaN;
  if (!Number.isInteger(value) || value < min) throw new AnswerError(`"${text.trim()}" is not a whole number of ${min} or more (e.g. 3000 or 3k)`);
  return value;
}

/** A number above zero (days may be fractional). */
export function parsePositive(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new AnswerError(`"${text.trim()}" is not a number above zero`);
  return value;
}

/** A number of zero or more. */
export function parseNonNegative(text: string): number {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new AnswerError(`"${text.trim()}" is not a number of zero or more`);
  return value;
}

function normalize(text: string): string {
  return text.trim().toLowerCase().replaceAll('-', '_');
}

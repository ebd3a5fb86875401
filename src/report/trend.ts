/**
 * How a metric moved over a run, read as the mean over its first few measured epochs against the
 * mean over its last few, never one epoch against another: a single noisy epoch can neither make
 * a trend nor hide one. "Measured" starts where the shaded periods end (the random start-up, an
 * experiment's measure_from), since those days are not the recommender's doing.
 */
import type { ReportData, SeriesPoint } from './types.js';

/** Epochs averaged at each end, at most. */
export const TREND_EPOCHS = 3;

export interface TrendWindow {
  /** Epochs that end after this day (or round) count; −∞ when every epoch does. */
  readonly after: number;
  /** Epochs averaged at each end: up to TREND_EPOCHS, at most a third of the measured epochs. */
  readonly size: number;
  /** The measured stretch, for a reader: its first epoch's end and its last epoch's end. */
  readonly from: number;
  readonly to: number;
}

export interface Trend {
  readonly start: number;
  readonly end: number;
  /** Epochs behind each mean (fewer than the window's where the metric is undefined in some). */
  readonly epochs: number;
}

/** The run's window; when no epoch ends after the shaded periods, every epoch counts. */
export function trendWindow(data: ReportData): TrendWindow {
  const shaded = data.periods.reduce((end, p) => Math.max(end, p.to), 0);
  const times = (after: number): number[] => Array.from(new Set(data.series.filter((p) => p.time > after).map((p) => p.time))).sort((a, b) => a - b);
  const measured = times(shaded).length > 0 ? shaded : Number.NEGATIVE_INFINITY;
  const ends = times(measured);
  return {
    after: measured,
    size: Math.min(TREND_EPOCHS, Math.max(1, Math.floor(ends.length / 3))),
    from: ends[0] ?? 0,
    to: ends[ends.length - 1] ?? 0,
  };
}

/** One arm's series of one metric, measured epochs only; undefined when none is defined there. */
export function trendOf(points: readonly SeriesPoint[], window: TrendWindow): Trend | undefined {
  const measured = points.filter((p) => p.time > window.after).sort((a, b) => a.epoch - b.epoch);
  if (measured.length === 0) return undefined;
  // A metric defined in few epochs (retention before its cohort exists) gets windows that do not overlap.
  const k = Math.min(window.size, Math.max(1, Math.floor(measured.length / 2)));
  return { start: meanOf(measured.slice(0, k)), end: meanOf(measured.slice(-k)), epochs: k };
}

function meanOf(points: readonly SeriesPoint[]): number {
  return points.reduce((sum, p) => sum + p.value, 0) / points.length;
}

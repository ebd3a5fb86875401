/**
 * The run summary: what a reader wants first (the first and last epoch as written, the mean over
 * the epochs where each metric is defined, null where it is defined in none, and totals). It holds nothing that varies between identical runs (no wall-clock times, nothing
 * about the machine: the model backend is in run.json), so the same scenario and seed give a
 * byte-identical file (for two_stage, on the same tfjs backend: README "Run folders").
 */
import { epochMean, isBookkeeping, SUMMED_METRICS } from '../metrics/index.js';
import type { Scenario } from '../scenario/index.js';

export type MetricsRow = Readonly<Record<string, number>>;

export interface RunSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly recommender: string;
  readonly days: number;
  readonly epochs: number;
  readonly totals: Readonly<Record<string, number>>;
  readonly first: MetricsRow;
  readonly last: MetricsRow;
  /** Null where the metric is undefined in every epoch. */
  readonly mean: Readonly<Record<string, number | null>>;
}

export function summarize(scenario: Scenario, recommender: string, rows: readonly MetricsRow[]): RunSummary {
  if (rows.length === 0) throw new Error('a run needs at least one epoch to summarize');
  const keys = Object.keys(rows[0]).filter((k) => !isBookkeeping(k));
  const totals: Record<string, number> = {};
  for (const key of SUMMED_METRICS) if (key in rows[0]) totals[key] = rows.reduce((s, r) => s + r[key], 0);
  const mean: Record<string, number | null> = {};
  for (const key of keys) mean[key] = epochMean(key, rows) ?? null;
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    recommender,
    days: scenario.horizon.days,
    epochs: rows.length,
    totals,
    first: rows[0],
    last: rows[rows.length - 1],
    mean,
  };
}

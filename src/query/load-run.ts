/** One run folder as typed data, for notebooks and scripts that want the numbers rather than SQL. */
import { basename, join } from 'node:path';
import { RUN_FILES } from '../run/run-scenario.js';
import type { MetricsRow, RunSummary } from '../run/summary.js';
import { parseScenario, type Scenario } from '../scenario/index.js';
import { readMetricsRows, readRunSummary, readScenarioText, readTimingsRows } from './run-files.js';
import { QueryError } from './errors.js';
import { isBanditRun } from './run-folders.js';

export interface LoadedRun {
  readonly name: string;
  readonly dir: string;
  /** The resolved scenario the run was made from (every default filled, durations in days). */
  readonly scenario: Scenario;
  /** One row per epoch, as in metrics.jsonl. */
  readonly metrics: readonly MetricsRow[];
  readonly summary: RunSummary;
  /** Wall-clock figures per epoch (serving latency, training time); empty if the run has none. */
  readonly timings: readonly MetricsRow[];
}

export async function loadRun(dir: string): Promise<LoadedRun> {
  if (isBanditRun(dir)) {
    throw new QueryError(`${dir}: a bandit run (rounds, not epochs); loadRun reads population runs; query its metrics.jsonl with recloop query (or RunQuery)`);
  }
  const scenarioFile = join(dir, RUN_FILES.scenario);
  const [scenarioText, metrics, summary, timings] = await Promise.all([
    readScenarioText(dir),
    readMetricsRows(dir),
    readRunSummary(dir),
    readTimingsRows(dir),
  ]);
  return { name: basename(dir), dir, scenario: parseScenario(scenarioText, scenarioFile), metrics, summary, timings };
}

/** One metric's values over the epochs of a run, in epoch order (NaN where an epoch lacks it). */
export function metricSeries(run: LoadedRun, metric: string): number[] {
  return run.metrics.map((row) => row[metric] ?? Number.NaN);
}

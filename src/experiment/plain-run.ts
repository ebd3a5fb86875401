/**
 * A sweep's job: the scenario as written, with its own recommender and the very streams
 * `recloop run` uses (`buildParts`), so a sweep's cell and seed give the same rows, summary and
 * impression log as `recloop run --set <the cell's values> --seed <seed>`.
 */
import type { MetricsRow } from '../run/summary.js';
import { summarize } from '../run/summary.js';
import type { Scenario } from '../scenario/index.js';
import { buildParts } from '../simulation/build.js';
import { Simulation } from '../simulation/simulation.js';
import type { ParquetLogWriter } from '../training/parquet-log.js';
import type { EpochListener, JobResult } from './job.js';

/** Runs the scenario; its rows are filed under `name`. */
export async function runPlain(
  scenario: Scenario,
  name: string,
  logs: ParquetLogWriter | undefined,
  onEpoch: EpochListener,
): Promise<Pick<JobResult, 'arms' | 'summary' | 'files'>> {
  const simulation = new Simulation(buildParts(scenario));
  const rows: MetricsRow[] = [];
  // A recommender's files (calibration.json) are rewritten each epoch; the run keeps the last.
  const files: Record<string, unknown> = {};
  await simulation.run(async (epoch) => {
    rows.push(epoch.metrics);
    Object.assign(files, epoch.files);
    await logs?.writeEpoch(epoch.bounds.epoch, epoch.impressions);
    onEpoch(rows.length, simulation.epochs.length);
  });
  return { arms: { [name]: rows }, summary: summarize(scenario, simulation.recommender.name, rows), files };
}

/**
 * Twin worlds: one arm in its own copy of the replica's world. The world draws from
 * `root/world/...` whatever the arm (common random numbers); the arm's recommender from
 * `root/arm:<name>/...`.
 */
import { buildRecommender } from '../recommender/baselines.js';
import { RandomStreams } from '../rng/index.js';
import type { MetricsRow } from '../run/summary.js';
import type { Scenario } from '../scenario/index.js';
import { Simulation } from '../simulation/simulation.js';
import type { ParquetLogWriter } from '../training/parquet-log.js';
import type { ExperimentArm } from './arms.js';
import type { EpochListener, JobResult } from './job.js';

/** One arm in its own copy of the world. */
export async function runTwin(
  scenario: Scenario,
  arm: ExperimentArm,
  logs: ParquetLogWriter | undefined,
  onEpoch: EpochListener,
): Promise<Pick<JobResult, 'arms'>> {
  const root = new RandomStreams(scenario.seed);
  const simulation = new Simulation(
    { ...scenario, recommender: arm.recommender },
    {
      arm: arm.name,
      recommender: (ctx, oracleTruth) => buildRecommender(arm.recommender, { ...ctx, streams: root.child(`arm:${arm.name}`) }, oracleTruth),
    },
  );
  const rows: MetricsRow[] = [];
  await simulation.run(async (epoch) => {
    rows.push(epoch.metrics);
    await logs?.writeEpoch(epoch.bounds.epoch, epoch.impressions);
    onEpoch(rows.length, simulation.epochs.length);
  });
  return { arms: { [arm.name]: rows } };
}

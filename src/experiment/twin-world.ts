/**
 * Twin worlds: one arm in its own copy of the replica's world. The world draws from
 * `root/world/...` whatever the arm (common random numbers); the arm's recommender from
 * `root/arm:<name>/...`.
 */
import { buildRecommender } from '../recommender/baselines.js';
import type { MetricsRow } from '../run/summary.js';
import type { Scenario } from '../scenario/index.js';
import { buildMetrics, buildWorld, loopSettings, recommenderContext } from '../simulation/build.js';
import { Simulation } from '../simulation/simulation.js';
import { RandomStreams } from '../rng/index.js';
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
  const world = buildWorld(scenario, root);
  const context = recommenderContext(world, arm.recommender.slate_size, root.child(`arm:${arm.name}`));
  const simulation = new Simulation({
    world,
    recommender: buildRecommender(arm.recommender, context, () => world),
    metrics: buildMetrics(world, scenario.metrics, root),
    settings: loopSettings(scenario, arm.recommender),
    arm: arm.name,
  });
  const rows: MetricsRow[] = [];
  await simulation.run(async (epoch) => {
    rows.push(epoch.metrics);
    await logs?.writeEpoch(epoch.bounds.epoch, epoch.impressions);
    onEpoch(rows.length, simulation.epochs.length);
  });
  return { arms: { [arm.name]: rows } };
}

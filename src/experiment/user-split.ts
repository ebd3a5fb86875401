/**
 * User split: every arm inside one world. Each user is on the arm the seeded assignment gives
 * them; the router serves each request from that arm's recommender and retrains each arm on its
 * own slice of the log (or the pooled log); per-arm collectors measure each arm on its own users.
 */
import { buildRecommender } from '../recommender/baselines.js';
import { RandomStreams } from '../rng/index.js';
import type { MetricsRow } from '../run/summary.js';
import type { Scenario } from '../scenario/index.js';
import { buildMetrics, buildWorld, loopSettings, recommenderContext } from '../simulation/build.js';
import { Simulation, type EpochResult } from '../simulation/simulation.js';
import type { ParquetLogWriter } from '../training/parquet-log.js';
import { ArmMetrics } from './arm-metrics.js';
import type { ExperimentArm } from './arms.js';
import { UserAssignment } from './assignment.js';
import type { EpochListener, JobResult } from './job.js';
import { ArmRouter } from './router.js';

/** Every arm in one world, each user on the arm the seeded assignment gives them. */
export async function runSplit(
  scenario: Scenario,
  arms: readonly ExperimentArm[],
  logs: ParquetLogWriter | undefined,
  onEpoch: EpochListener,
): Promise<Pick<JobResult, 'arms' | 'world'>> {
  const root = new RandomStreams(scenario.seed);
  const assignment = new UserAssignment(
    scenario.seed,
    arms.map((arm) => arm.name),
    arms.map((arm) => arm.traffic),
  );
  const world = buildWorld(scenario, root);
  const router = new ArmRouter(
    arms.map((arm) => ({
      name: arm.name,
      pooled: arm.pooled,
      windowDays: arm.recommender.retrain.window,
      slateSize: arm.recommender.slate_size,
      recommender: buildRecommender(arm.recommender, recommenderContext(world, arm.recommender.slate_size, root.child(`arm:${arm.name}`)), () => world),
    })),
    assignment,
  );
  const worldMetrics = buildMetrics(world, scenario.metrics, root);
  const armMetrics = new ArmMetrics(world.view(), assignment, {
    settings: scenario.metrics,
    streams: root,
    userDevice: (userId) => world.users.public.get(userId).device,
  });
  // The loop's own checks must admit every arm's slates; its log need only hold the newest
  // epoch, which the router hands on to each arm's own log.
  const base = (arms.find((arm) => arm.role === 'control') ?? arms[0]).recommender;
  const simulation = new Simulation({
    world,
    recommender: router,
    // The whole world's row for the loop; every event also goes to the arm's own collector.
    metrics: {
      observe: (event) => {
        worldMetrics.observe(event);
        armMetrics.observe(event);
      },
      endEpoch: (bounds) => worldMetrics.endEpoch(bounds),
    },
    settings: {
      ...loopSettings(scenario, base),
      slateSize: Math.max(...arms.map((arm) => arm.recommender.slate_size)),
      logWindow: base.retrain.every,
    },
    armOf: (userId) => assignment.armName(userId),
  });
  const perArm: MetricsRow[][] = arms.map(() => []);
  const worldRows: MetricsRow[] = [];
  await simulation.run(async (epoch: EpochResult) => {
    worldRows.push(epoch.metrics);
    armMetrics.endEpoch(epoch.bounds).forEach((row, index) => {
      const diagnostics = router.arms[index].recommender.diagnostics?.().metrics ?? {};
      perArm[index].push(withDiagnostics(row, diagnostics));
    });
    await logs?.writeEpoch(epoch.bounds.epoch, epoch.impressions);
    onEpoch(worldRows.length, simulation.epochs.length);
  });
  return { arms: Object.fromEntries(arms.map((arm, index) => [arm.name, perArm[index]])), world: worldRows };
}

/** The arm's recommender figures after its world figures, refusing a name both use (as a single run does). */
function withDiagnostics(row: Readonly<Record<string, number>>, diagnostics: Readonly<Record<string, number>>): MetricsRow {
  for (const key of Object.keys(diagnostics)) {
    if (key in row) throw new Error(`recommender figure "${key}" clashes with a world metric of the same name`);
  }
  return { ...row, ...diagnostics };
}

/**
 * A small simulated world served by a random recommender, for ranker tests: the public catalog
 * and users, every slate's feedback in order, and the training log. No ranker runs during the
 * simulation: a test builds its ranker itself and replays the feedback into it, so that Stryker's
 * per-test coverage credits the test with the ranker code it runs (code run in a beforeAll counts
 * as "static", and each mutant in it would rerun every test of its group).
 */
import { RandomRecommender } from '../../src/recommender/random-recommender.js';
import type { RankerConfig } from '../../src/recommender/ranking/config.js';
import type { MultiTaskRanker } from '../../src/recommender/ranking/multi-task-ranker.js';
import type { SlateFeedback } from '../../src/recommender/types.js';
import { parseScenario } from '../../src/scenario/index.js';
import { buildPartsWith } from '../../src/simulation/build.js';
import { Simulation } from '../../src/simulation/simulation.js';
import { TrainingLog } from '../../src/training/training-log.js';
import type { PublicCatalog, PublicUsers } from '../../src/world/public.js';

export interface RankerWorld {
  readonly catalog: PublicCatalog;
  readonly users: PublicUsers;
  /** Every slate's feedback, in order. */
  readonly feedback: readonly SlateFeedback[];
  readonly log: TrainingLog;
  /** End of the last epoch (days). */
  readonly now: number;
}

const WORLD = `
name: ranker-world
seed: 8
horizon: { days: 1 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 6
  users: { count: 300, signups_per_day: 10 }
  items: { count: 300, uploads_per_day: 20, creators: 30 }
recommender: { kind: random, slate_size: 5 }
logs: { impressions: false }
`;

export async function simulateRankerWorld(): Promise<RankerWorld> {
  let catalog: PublicCatalog | undefined;
  let users: PublicUsers | undefined;
  const feedback: SlateFeedback[] = [];
  const sim = new Simulation(
    buildPartsWith(parseScenario(WORLD, 'ranker-world.yaml'), (ctx) => {
      catalog = ctx.catalog;
      users = ctx.users;
      const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random'));
      return { name: 'random', serve: (r) => random.serve(r), observe: (f) => feedback.push(f), retrain: () => {} };
    }),
  );
  const log = new TrainingLog(14);
  let now = 0;
  await sim.run((epoch) => {
    log.add({ epoch: epoch.bounds.epoch, start: epoch.bounds.start, end: epoch.bounds.end, impressions: epoch.impressions });
    now = epoch.bounds.end;
  });
  if (!catalog || !users) throw new Error('the simulation built no recommender');
  return { catalog, users, feedback, log, now };
}

/** Feeds the world's slates to `ranker` as they happened, then retrains it on the log. */
export async function replayAndRetrain(ranker: MultiTaskRanker, world: RankerWorld): Promise<void> {
  for (const f of world.feedback) ranker.observe(f);
  await ranker.retrain(world.log, world.now);
}

/** A tiny two-head DCN-V2 ranker that trains on this world in seconds, and a formula over its heads. */
export const TINY_RANKER: RankerConfig = {
  model: 'dcn_v2',
  heads: ['click', 'watch'],
  cross_layers: 1,
  hidden: [8],
  experts: 2,
  cross_rank: 'full',
  epochs: 2,
  batch_size: 256,
  learning_rate: 0.01,
  max_examples: 300_000,
  ips: { enabled: false, clip: 10 },
  calibration: 'platt',
  holdout: 0.2, on_divergence: 'stop',
};
export const TINY_FORMULA = 'click + 2 * watch';

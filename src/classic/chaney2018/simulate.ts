/**
 * One recommender under one training mode on one world: the paper's step loop. The first
 * `startup_steps` steps serve random rankings to everyone; then the recommender trains once
 * (single training) or before every step (repeated training) on everything consumed so far.
 * Each step every user consumes one item (choose.ts).
 *
 * The random draws that are not the recommender's (the random order of ties and of the start-up,
 * where new items are interleaved) are keyed by (user, step) and shared by every recommender and
 * mode of a seed: the start-up is the same for all, and differences come from the recommenders.
 */
import { RandomStreams } from '../../rng/index.js';
import type { ChaneyConfig, RecommenderName, TrainingMode } from './config.js';
import { Chooser, rankDiscounts } from './choose.js';
import { pairedJaccard } from './homogenization.js';
import { Interactions } from './interactions.js';
import { buildRecommender } from './recommenders/build.js';
import { totalSteps, type ChaneyWorld } from './world.js';

export interface RunInput {
  readonly config: ChaneyConfig;
  readonly world: ChaneyWorld;
  readonly seed: number;
  readonly partners: Int32Array;
  readonly friends: readonly Int32Array[];
  readonly recommender: RecommenderName;
  readonly mode: TrainingMode;
}

export interface RunOutcome {
  /** Paired Jaccard index after each step. */
  readonly jaccardByStep: readonly number[];
  /** Mean true utility of the items consumed after the start-up, per user and step. */
  readonly utility: number;
  /** Everything consumed, for checks of the mechanics. */
  readonly interactions: Interactions;
  /** The steps before which the recommender trained. */
  readonly trainedAt: readonly number[];
}

export function simulateRun(input: RunInput): RunOutcome {
  const { config, world, mode } = input;
  const steps = totalSteps(config.world);
  const startup = config.world.startup_steps;
  const recommender = buildRecommender(input.recommender, { world, settings: config.settings, seed: input.seed, friends: input.friends });
  const streams = new RandomStreams(input.seed).child('choice');
  const ties = streams.keyed('ties');
  const interleave = streams.keyed('interleave');

  const interactions = new Interactions(world.users, world.items, steps);
  const chooser = new Chooser(world.items);
  const discount = rankDiscounts(world.items, config.world.rank_discount);
  const scores = new Float64Array(world.items);
  const tieKeys = new Float64Array(world.items);
  const choices = new Int32Array(world.users);
  const jaccardByStep: number[] = [];
  const trainedAt: number[] = [];
  let utilitySum = 0;

  for (let step = 0; step < steps; step++) {
    const items = (step + 1) * world.itemsPerStep;
    const stepNew = step * world.itemsPerStep;
    const inStartup = step < startup;
    if (!inStartup && (mode === 'repeated' || step === startup)) {
      recommender.train(interactions, stepNew);
      trainedAt.push(step);
    }
    for (let u = 0; u < world.users; u++) {
      const tieRng = ties.at(u, step);
      for (let i = 0; i < items; i++) tieKeys[i] = tieRng.next();
      if (inStartup) scores.fill(0, 0, items);
      else recommender.score(u, items, scores);
      const newFrom = !inStartup && recommender.interleavesNewItems ? stepNew : items;
      choices[u] = chooser.choose({
        items,
        newFrom,
        scores,
        tieKeys,
        consumed: interactions.consumed.subarray(u * world.items, (u + 1) * world.items),
        known: world.knownUtility.subarray(u * world.items, (u + 1) * world.items),
        discount,
        interleave: interleave.at(u, step),
      });
    }
    interactions.record(choices);
    if (!inStartup) for (let u = 0; u < world.users; u++) utilitySum += world.trueUtility[u * world.items + choices[u]];
    jaccardByStep.push(pairedJaccard(interactions, input.partners));
  }
  return { jaccardByStep, utility: utilitySum / (world.users * config.world.steps), interactions, trainedAt };
}

/**
 * The bandit world's build phase, as src/simulation/build.ts is the population world's: a
 * scenario → the arms, the policy and the streams the loop (bandit-simulation.ts) runs. A caller
 * that wants another policy builds the parts with its own (buildBanditPartsWith) instead of
 * hooking into the loop.
 *
 * Streams: the arms draw under `world/` (`arms`, `replacement`), the rewards from
 * `world/rewards`, the policy under `recommender/` and its pulls from `recommender/policy`;
 * what each part draws does not depend on the order they are built in.
 */
import { buildExploration, type ExplorationContext } from '../recommender/explore/build.js';
import type { ExplorationPolicy } from '../recommender/types.js';
import { RandomStreams, type Rng } from '../rng/index.js';
import type { BanditScenario, BanditWorldConfig } from '../scenario/index.js';
import { ArmFeatures } from './arm-features.js';
import { BanditArms } from './arms.js';

/** What the bandit loop runs. */
export interface BanditParts {
  /** The scenario's `world` section: rounds, reporting, delay and replacement. */
  readonly config: BanditWorldConfig;
  readonly arms: BanditArms;
  readonly policy: ExplorationPolicy;
  /** The stream the policy draws its pulls from. */
  readonly policyRng: Rng;
  /** The stream the arms' Bernoulli rewards are drawn from. */
  readonly rewardRng: Rng;
}

/** What a policy is given in a bandit world: the arms as the catalog, its streams, and the arms' public features when they have some. */
export function banditPolicyContext(arms: BanditArms, streams: RandomStreams): ExplorationContext {
  return {
    catalogSize: () => arms.all.length,
    streams,
    features: arms.featureDim === undefined ? undefined : () => new ArmFeatures(arms),
  };
}

/** The parts of a run of the scenario as written: its `recommender.exploration` policy. */
export function buildBanditParts(scenario: BanditScenario): BanditParts {
  return buildBanditPartsWith(scenario, (ctx) => buildExploration(scenario.recommender.exploration, ctx).policy);
}

/** The scenario's arms and streams with a policy of the caller's, built on the same context the scenario's policy gets. */
export function buildBanditPartsWith(scenario: BanditScenario, policy: (ctx: ExplorationContext) => ExplorationPolicy): BanditParts {
  const streams = new RandomStreams(scenario.seed);
  const world = streams.child('world');
  const recommender = streams.child('recommender');
  const arms = new BanditArms(scenario.world, world.stream('arms'), world.stream('replacement'));
  return {
    config: scenario.world,
    arms,
    policy: policy(banditPolicyContext(arms, recommender)),
    policyRng: recommender.stream('policy'),
    rewardRng: world.stream('rewards'),
  };
}

/**
 * `recommender.exploration`: how the final slate is chosen from the ordered candidates, one
 * option per policy (src/recommender/explore). Shared by every recommender kind, and by the
 * bandit world, where the "candidates" are the current arms.
 */
import { z } from 'zod';
import { BINARY_REWARDS, type BinaryReward } from '../training/rewards.js';
import { pair, positive, positiveCount, probability, rate } from './fields.js';

/** A learning policy counts a success in one of the 0-or-1 rewards (training/rewards.ts names them all). */
export type ExplorationReward = BinaryReward;

const reward = z.enum(BINARY_REWARDS, { error: `expected one of ${BINARY_REWARDS.join(', ')}` }).default('click');

/** slate: the policy fills the slate's slots; candidate: it adds exploratory candidates before ranking (source `explore`). */
const stage = z.enum(['slate', 'candidate'], { error: 'expected slate or candidate' }).default('slate');

/** Monte-Carlo draws used to estimate a sampled policy's marginal propensities (the choice itself never depends on them). */
const mcDraws = positiveCount.default(100);

/** What linear Thompson sampling regresses the reward on in the population world. */
export const LINEAR_FEATURES = ['ranker', 'topics'] as const;

const greedy = z.strictObject({ policy: z.literal('greedy') });

const epsilonGreedy = z.strictObject({
  policy: z.literal('epsilon_greedy'),
  epsilon: probability.default(0.1),
  /** Where a slot's uniform draw comes from: the candidate set or the whole catalog (slate stage). */
  over: z.enum(['candidates', 'catalog'], { error: 'expected candidates or catalog' }).default('candidates'),
  stage,
  /** Candidate stage: exploratory slots per request, each filled with probability epsilon by a uniform catalog item. */
  k: positiveCount.default(5),
  /** Under a creator cap that binds (two_stage), the propensities are estimated from this many simulated slates. */
  mc_draws: mcDraws,
});

const thompson = z.strictObject({
  policy: z.literal('thompson'),
  reward,
  /** Beta(alpha, beta) prior on every item's reward rate. */
  prior: pair(positive, 'alpha, beta').default([1, 1]),
  mc_draws: mcDraws,
  stage,
  /** Candidate stage: items added per request, the top k by sampled rate among the head. */
  k: positiveCount.default(5),
  /** Candidate stage: the head of the item distribution, the items with the most impressions in the log window. */
  head: positiveCount.default(500),
});

const linearThompson = z.strictObject({
  policy: z.literal('linear_thompson'),
  reward,
  /** Precision of the Gaussian prior on the weights (a ridge penalty). */
  prior_precision: positive.default(1),
  /** Standard deviation of the reward noise the linear model assumes. */
  noise: positive.default(0.5),
  /**
   * Population world: what the reward is regressed on. ranker: the ranker's last shared layer
   * (two_stage; topics until the ranker first trains); topics: the item's hashed topic tags.
   * Default: ranker when the recommender has a ranker, else topics. The bandit world uses its arm features.
   */
  features: z.enum(LINEAR_FEATURES, { error: `expected ${LINEAR_FEATURES.join(' or ')}` }).optional(),
  /** Features besides the bias: hashed topic slots, or the most principal components kept of the ranker's layer. */
  dim: positiveCount.default(32),
  mc_draws: mcDraws,
});

const ucb = z.strictObject({
  policy: z.literal('ucb'),
  reward,
  /** Index = mean + c·sqrt(ln N / n); c = √2 is UCB1. */
  c: rate.default(Math.SQRT2),
});

const boltzmann = z.strictObject({
  policy: z.literal('boltzmann'),
  /** Softmax temperature over the ordered candidates' scores, in the scores' own units. */
  temperature: positive.default(0.1),
  /** Slots past the first: propensities estimated from this many further slates. */
  mc_draws: mcDraws,
});

export const EXPLORATION_POLICIES = ['greedy', 'epsilon_greedy', 'thompson', 'linear_thompson', 'ucb', 'boltzmann'] as const;

export const exploration = z
  .discriminatedUnion('policy', [greedy, epsilonGreedy, thompson, linearThompson, ucb, boltzmann], {
    error: `expected policy: ${EXPLORATION_POLICIES.join(', ')}`,
  })
  .prefault({ policy: 'greedy' });

export type ExplorationConfig = z.output<typeof exploration>;
export type ExplorationPolicyName = ExplorationConfig['policy'];

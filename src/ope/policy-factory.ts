/**
 * Builds the OPE policies a scenario's `ope:` section names. Popularity rankings count clicks
 * over a log window; the exploration policy drawn over one is the recommender's own
 * (recommender/explore), fitted on the same log as the recommender would fit it.
 */
import { buildExploration } from '../recommender/explore/build.js';
import { RandomStreams } from '../rng/index.js';
import type { TrainingLog } from '../training/training-log.js';
import { EpsilonGreedyTargetPolicy } from './policies/epsilon-greedy.js';
import { PopularityRanking } from './policies/popularity-ranking.js';
import type { Ranking } from './policies/ranking.js';
import { ServedPolicyTarget } from './policies/served.js';
import { UniformPolicy } from './policies/uniform.js';
import type { OpePolicyConfig } from '../scenario/ope-schema.js';
import type { TargetPolicy } from './types.js';

export interface BuiltPolicy {
  readonly policy: TargetPolicy;
  /** What the policy ranks by, if it ranks (offline ranking metrics use it). */
  readonly ranking?: Ranking;
}

/**
 * The policy as of `now`, its popularity counted over [now − windowDays, now) and its
 * exploration state rebuilt from `log`. `seed` names its random streams: equal seeds give the
 * same policy in the logging and the twin world.
 */
export function buildOpePolicy(config: OpePolicyConfig, log: TrainingLog, now: number, windowDays: number, seed: string): BuiltPolicy {
  if (config.policy === 'uniform') return { policy: new UniformPolicy() };
  const ranking = PopularityRanking.fit(
    log.chunks.map((c) => c.impressions),
    now - windowDays,
    now,
  );
  if (config.policy === 'epsilon_greedy') return { policy: new EpsilonGreedyTargetPolicy(ranking, config.epsilon), ranking };
  const catalog = { size: 0 };
  const { policy } = buildExploration(config.exploration, { catalogSize: () => catalog.size, streams: new RandomStreams(seed) });
  if (policy.retrain?.(log, now) instanceof Promise) throw new Error(`${policy.name} retrains asynchronously: it cannot be an OPE policy`);
  return { policy: new ServedPolicyTarget(policy, ranking, { pool: config.pool ?? 0, seed: `${seed}/marginals`, catalog }), ranking };
}

export function describePolicy(config: OpePolicyConfig | 'scenario', scenarioKind: string): string {
  if (config === 'scenario') return `scenario recommender (${scenarioKind})`;
  if (config.policy === 'epsilon_greedy') return `epsilon_greedy(${config.epsilon}) over popularity`;
  if (config.policy === 'popularity' && config.exploration.policy !== 'greedy') return `${config.exploration.policy} over popularity`;
  return config.policy;
}

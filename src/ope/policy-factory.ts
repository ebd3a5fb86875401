/** Builds the OPE policies a scenario's `ope:` section names, popularity ones fitted on a log window. */
import type { TrainingLog } from '../training/training-log.js';
import { EpsilonGreedyTargetPolicy } from './policies/epsilon-greedy.js';
import { GreedyTargetPolicy } from './policies/greedy.js';
import { PopularityRanking } from './policies/popularity-ranking.js';
import type { Ranking } from './policies/ranking.js';
import { UniformPolicy } from './policies/uniform.js';
import type { OpePolicyConfig } from './schema.js';
import type { TargetPolicy } from './types.js';

export interface BuiltPolicy {
  readonly policy: TargetPolicy;
  /** What the policy ranks by, if it ranks (offline ranking metrics use it). */
  readonly ranking?: Ranking;
}

/** The policy as of `now`, its popularity counted over [now − windowDays, now). */
export function buildOpePolicy(config: OpePolicyConfig, log: TrainingLog, now: number, windowDays: number): BuiltPolicy {
  if (config.policy === 'uniform') return { policy: new UniformPolicy() };
  const ranking = PopularityRanking.fit(
    log.chunks.map((c) => c.impressions),
    now - windowDays,
    now,
  );
  if (config.policy === 'popularity') return { policy: new GreedyTargetPolicy(ranking), ranking };
  return { policy: new EpsilonGreedyTargetPolicy(ranking, config.epsilon), ranking };
}

export function describePolicy(config: OpePolicyConfig | 'scenario', scenarioKind: string): string {
  if (config === 'scenario') return `scenario recommender (${scenarioKind})`;
  return config.policy === 'epsilon_greedy' ? `epsilon_greedy(${config.epsilon}) over popularity` : config.policy;
}

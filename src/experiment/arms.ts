/**
 * The arms of a loaded scenario's experiment, resolved: each arm's full recommender config
 * (base merged with its overrides), its role, and, in a user split, its traffic share.
 */
import { resolveArmRecommender } from '../scenario/experiment-arms.js';
import type { ExperimentConfig, RecommenderConfig, Scenario } from '../scenario/schema.js';
import { HOLDBACK_ARM, trafficShares } from '../scenario/traffic.js';

export type ArmRole = 'control' | 'treatment' | 'holdback';

export interface ExperimentArm {
  readonly name: string;
  readonly role: ArmRole;
  readonly recommender: RecommenderConfig;
  /** Share of users in a user split; 1 in twin worlds (each arm has a whole world). */
  readonly traffic: number;
  /** Trains on every arm's traffic (user split with pooled_training; never the holdback). */
  readonly pooled: boolean;
}

export interface ResolvedExperiment {
  readonly config: ExperimentConfig;
  /** In the order written, the holdback last. */
  readonly arms: readonly ExperimentArm[];
  readonly control: ExperimentArm;
}

/** Throws when the scenario has no experiment section. */
export function resolveExperiment(scenario: Scenario): ResolvedExperiment {
  const config = scenario.experiment;
  if (config === undefined) throw new Error(`scenario ${scenario.name} has no experiment section`);
  const split = config.design === 'user_split';
  const traffic = split ? trafficShares(config) : undefined;
  if (traffic !== undefined && !traffic.ok) throw new Error(traffic.message);
  const shareOf = (name: string): number => (traffic?.ok ? (traffic.shares.get(name) ?? 0) : 1);
  const arms: ExperimentArm[] = Object.entries(config.arms).map(([name, overrides]) => ({
    name,
    role: name === config.control ? 'control' : 'treatment',
    recommender: resolveArmRecommender(scenario.recommender, overrides),
    traffic: shareOf(name),
    pooled: split && config.pooled_training,
  }));
  const control = arms.find((arm) => arm.role === 'control');
  if (control === undefined) throw new Error(`control arm "${config.control}" is not one of the arms`);
  if (split && config.holdback !== undefined) {
    arms.push({ name: HOLDBACK_ARM, role: 'holdback', recommender: control.recommender, traffic: shareOf(HOLDBACK_ARM), pooled: false });
  }
  return { config, arms, control };
}

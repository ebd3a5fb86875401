/**
 * A bandit run's summary: final regret and reward, the Lai–Robbins bound for reference, and
 * pulls per arm. Like the population summary it holds nothing that varies between identical
 * runs, so the same scenario and seed give a byte-identical file.
 */
import type { BanditScenario } from '../scenario/index.js';
import type { BanditResult, BanditRow, BanditSimulation } from './bandit-simulation.js';
import { laiRobbinsBound } from './lai-robbins.js';

export interface ArmSummary {
  readonly arm: number;
  readonly mean: number;
  readonly pulls: number;
  readonly rewards: number;
  readonly born: number;
  readonly retired: number | null;
}

export interface BanditSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly world: 'bandit';
  readonly policy: string;
  readonly rounds: number;
  /** Arms live at any round, and arms ever (replacement adds arms). */
  readonly arms: number;
  readonly arms_total: number;
  readonly delay_rounds: number;
  readonly regret: number;
  readonly reward: number;
  readonly regret_over_log_rounds: number;
  readonly lai_robbins: {
    /** Σ Δi / KL(μi ‖ μ*) over the initial arms. */
    readonly constant: number;
    /** constant · ln(rounds). */
    readonly bound: number;
    readonly regret_to_bound: number;
    /** Whether the bound applies: it assumes arms that never change. */
    readonly stationary: boolean;
  };
  readonly last: BanditRow;
  readonly per_arm: readonly ArmSummary[];
}

export function summarizeBandit(scenario: BanditScenario, simulation: BanditSimulation, result: BanditResult): BanditSummary {
  const { arms, rounds } = simulation;
  if (result.rows.length === 0) throw new Error('a bandit run needs at least one round to summarize');
  const bound = laiRobbinsBound(simulation.laiRobbinsConstant, rounds);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    world: 'bandit',
    policy: simulation.policy.name,
    rounds,
    arms: arms.live.length,
    arms_total: arms.all.length,
    delay_rounds: scenario.world.delay.rounds,
    regret: result.regret,
    reward: result.reward,
    regret_over_log_rounds: rounds > 1 ? result.regret / Math.log(rounds) : 0,
    lai_robbins: {
      constant: simulation.laiRobbinsConstant,
      bound,
      regret_to_bound: bound > 0 ? result.regret / bound : 0,
      stationary: simulation.stationary,
    },
    last: result.rows[result.rows.length - 1],
    per_arm: arms.all.map((arm) => ({
      arm: arm.id,
      mean: arm.mean,
      pulls: result.pulls[arm.id],
      rewards: result.rewards[arm.id],
      born: arm.born,
      retired: arm.retired ?? null,
    })),
  };
}

/**
 * A bandit run's figures, one row per `report_every` rounds (computed by src/bandit's loop):
 * regret against always playing the best arm, and how fast the policy learns.
 */
import { metricFamily, type MetricDeclarations } from './declaration.js';

export const BANDIT_METRICS = {
  cumulative_regret: { label: 'Cumulative regret', unit: 'reward lost', format: 'number', description: 'against always playing the best arm', better: 'lower', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'regret', headline: false },
  lai_robbins_bound: { label: 'Lai–Robbins lower bound', unit: 'reward lost', format: 'number', description: 'least regret a consistent policy can have', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'regret', headline: false },
  cumulative_reward: { label: 'Cumulative reward', unit: 'reward', format: 'number', description: 'summed over all rounds so far', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: null, headline: false },
  best_arm_share: { label: 'Best-arm pulls', unit: '% of pulls', format: 'percent', description: 'share of this row’s rounds on a best live arm', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'learning', headline: false },
  reward_rate: { label: 'Reward rate', unit: 'reward per round', format: 'number', description: 'mean over the rounds of this row', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'learning', headline: false },
  regret_over_log_round: { label: 'Regret / ln(round)', unit: 'regret / ln t', format: 'number', description: 'levels off at the Lai–Robbins constant when optimal', better: 'lower', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'learning', headline: false },
  regret_per_round: { label: 'Regret per round', unit: 'reward lost', format: 'number', description: 'mean over the rounds of this row', better: 'lower', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'learning', headline: false },
} as const satisfies MetricDeclarations;

export const BANDIT_FAMILY = metricFamily({ metrics: BANDIT_METRICS, patterns: [], settings: {}, create: null });

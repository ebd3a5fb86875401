/**
 * Exploration (bandit runs, or any run with `cumulative_regret`): regret per arm against the
 * Lai–Robbins lower bound, and how the policy learns: how often it pulls the best arm, the
 * reward it earns, and regret / ln(round), which an optimal policy drives down to the bound's
 * constant.
 */
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { familyCharts } from './families.js';


export function explorationCharts(ctx: ChartContext): Chart[] {
  // The regret and learning families (families/).
  return familyCharts(ctx, 'exploration');
}

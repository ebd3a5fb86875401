/**
 * Exploration (bandit runs, or any run with `cumulative_regret`): regret per arm against the
 * Lai–Robbins lower bound, and how the policy learns: how often it pulls the best arm, the
 * reward it earns, and regret / ln(round), which an optimal policy drives down to the bound's
 * constant.
 */
import { NEUTRAL } from '../colors.js';
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { LEARNING } from './family-metrics.js';
import { metricGrid } from './metric-grid.js';
import { grid, rowsOf, seriesPanel } from './panels.js';
import { WIDE } from './theme.js';


export function explorationCharts(ctx: ChartContext): Chart[] {
  const charts: Chart[] = [];
  if (ctx.has('cumulative_regret')) charts.push(regretChart(ctx));
  const learning = metricGrid(ctx, {
    id: 'exploration-learning',
    family: 'exploration',
    title: 'Exploration: is the policy learning?',
    caption: 'A rising best-arm share and a regret / ln(round) that flattens onto the dotted Lai–Robbins constant mean the policy explores about as little as it can.',
    metrics: LEARNING,
  });
  if (learning) charts.push(learning);
  return charts;
}

function regretChart(ctx: ChartContext): Chart {
  const boundArm = ctx.data.control ?? ctx.data.arms[0];
  const bound = ctx.series('lai_robbins_bound').filter((p) => p.arm === boundArm).map(({ time, value }) => ({ time, value }));
  const last = bound.reduce<{ time: number; value: number } | undefined>((a, b) => (a === undefined || b.time > a.time ? b : a), undefined);
  const x = { field: 'time', type: 'quantitative' as const };
  const y = { field: 'value', type: 'quantitative' as const };
  const panel = seriesPanel(ctx, {
    metric: 'cumulative_regret',
    rows: rowsOf(ctx.series('cumulative_regret')),
    zero: true,
    extraLayers: last
      ? [
          { data: { values: bound }, mark: { type: 'line', color: NEUTRAL.reference, strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x, y } },
          {
            data: { values: [{ ...last, label: 'Lai–Robbins bound' }] },
            mark: { type: 'text', align: 'right', baseline: 'top', dy: 6, fontSize: 11, color: NEUTRAL.reference },
            encoding: { x, y, text: { field: 'label', type: 'nominal' } },
          },
        ]
      : [],
  });
  const title = 'Exploration: regret against the best arm';
  return {
    id: 'exploration-regret',
    family: 'exploration',
    title,
    caption: last
      ? 'Regret that bends to run alongside the dashed bound (logarithmic growth) is near-optimal exploration; a straight rising line means the policy keeps paying for the same mistakes.'
      : 'A straight rising line means the policy keeps paying for the same mistakes; a bending one means it is learning (no Lai–Robbins bound: the arms change over time).',
    spec: grid(ctx, title, [{ ...panel, width: WIDE.width, height: WIDE.height }], 1),
  };
}

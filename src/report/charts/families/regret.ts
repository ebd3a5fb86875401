/**
 * `chart: regret` (bandit runs, or any run with `cumulative_regret`): regret per arm against the
 * Lai–Robbins lower bound.
 */
import { NEUTRAL } from '../../colors.js';
import type { Chart } from '../../types.js';
import { chartFamily } from '../chart-family.js';
import type { ChartContext } from '../context.js';
import { grid, rowsOf, seriesPanel } from '../panels.js';
import { WIDE } from '../theme.js';

export const REGRET_CHARTS = chartFamily({
  name: 'regret',
  section: 'exploration',
  verdict: false,
  // One chart: the regret with the bound drawn over it (the bound is not a panel of its own).
  draw: (ctx) => (ctx.has('cumulative_regret') ? [regretChart(ctx)] : []),
});

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

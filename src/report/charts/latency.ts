/**
 * Serving latency per pipeline stage (timings.jsonl columns `latency_<stage>_<pNN>_ms`), one
 * panel per stage and one for the whole request (`total`), percentiles told apart by dashes,
 * the scenario's budget for that stage (a plain number: the whole request's) as a dotted line.
 * Left out for recommenders without serving stages (data/serving-stages.ts) and no budget.
 */
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { grid, rowsOf, seriesPanel } from './panels.js';

const LATENCY_COLUMN = /^latency_(.+)_p(\d+)_ms$/;
/** Pipeline order first, then the whole request; other stages follow in column order. */
const STAGE_ORDER = ['retrieval', 'ranking', 'rerank', 'total'];

export interface LatencyColumns {
  readonly stage: string;
  /** Percentile → column, ascending (p50 before p95). */
  readonly percentiles: readonly { readonly label: string; readonly column: string }[];
}

export function latencyColumns(metrics: readonly string[]): LatencyColumns[] {
  const byStage = new Map<string, { label: string; column: string; p: number }[]>();
  for (const column of metrics) {
    const match = LATENCY_COLUMN.exec(column);
    if (!match) continue;
    const list = byStage.get(match[1]) ?? [];
    list.push({ label: `p${match[2]}`, column, p: Number(match[2]) });
    byStage.set(match[1], list);
  }
  const rank = (stage: string) => {
    const i = STAGE_ORDER.indexOf(stage);
    return i >= 0 ? i : STAGE_ORDER.length;
  };
  return Array.from(byStage.entries())
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([stage, list]) => ({ stage, percentiles: list.sort((a, b) => a.p - b.p).map(({ label, column }) => ({ label, column })) }));
}

export function latencyCharts(ctx: ChartContext): Chart[] {
  // Microseconds of a recommender without serving stages mean nothing, unless a budget asks for them.
  if (!ctx.data.servingStages && Object.keys(ctx.data.latencyBudgetMs).length === 0) return [];
  const stages = latencyColumns(ctx.data.metrics).filter((s) => s.percentiles.some((p) => ctx.has(p.column)));
  if (stages.length === 0) return [];
  const panels = stages.map(({ stage, percentiles }) => {
    const budget = ctx.data.latencyBudgetMs[stage];
    return seriesPanel(ctx, {
      metric: percentiles[0].column,
      title: stage === 'total' ? 'Whole request' : `${stage.charAt(0).toUpperCase()}${stage.slice(1)}`,
      rows: percentiles.flatMap((p) => rowsOf(ctx.series(p.column), p.label)),
      variants: { title: 'Percentile', order: percentiles.map((p) => p.label) },
      reference: budget === undefined ? undefined : { value: budget, label: `budget ${budget} ms` },
      zero: true,
    });
  });
  const hasBudget = stages.some((s) => ctx.data.latencyBudgetMs[s.stage] !== undefined);
  const title = 'Serving latency per stage';
  return [
    {
      id: 'latency',
      family: 'latency',
      title,
      caption: hasBudget
        ? 'A dashed (tail) line above the dotted budget means slow requests miss it; wall-clock figures, so they vary between runs and machines.'
        : 'Solid is the median request, dashed the slow tail; wall-clock figures, so they vary between runs and machines (no budget set in the scenario).',
      spec: grid(ctx, title, panels, stages.length > 4 ? 3 : 2),
    },
  ];
}

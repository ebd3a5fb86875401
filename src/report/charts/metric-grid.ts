/** A chart of several plain metrics over time (the ones present in the run), as small multiples. */
import type { Chart, ChartFamily } from '../types.js';
import type { ChartContext } from './context.js';
import { grid, rowsOf, seriesPanel } from './panels.js';

export interface MetricGridOptions {
  readonly id: string;
  readonly family: ChartFamily;
  readonly title: string;
  readonly caption: string;
  readonly metrics: readonly string[];
  readonly columns?: number;
}

/** Undefined when the run has none of the metrics. */
export function metricGrid(ctx: ChartContext, options: MetricGridOptions): Chart | undefined {
  const present = options.metrics.filter((m) => ctx.has(m));
  if (present.length === 0) return undefined;
  const panels = present.map((metric) => seriesPanel(ctx, { metric, rows: rowsOf(ctx.series(metric)) }));
  return {
    id: options.id,
    family: options.family,
    title: options.title,
    caption: options.caption,
    spec: grid(ctx, options.title, panels, options.columns ?? (present.length > 4 ? 3 : 2)),
  };
}

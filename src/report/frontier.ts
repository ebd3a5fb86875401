/**
 * A sweep's trade-off frontier: one point per cell, a short-term metric against a long-term one
 * (each the cell's mean over seeds with its interval), and which cells are Pareto-efficient.
 * The metrics are the scenario's `report.frontier`, or, when the grid sweeps the score formula
 * (`recommender.score`, `recommender.score_params.*`), CTR against the first long-term metric
 * every cell has. The chart (charts/frontier.ts) and its sentence read this one result.
 */
import type { Better } from '../metrics/declaration.js';
import { metricDirection } from '../metrics/registry.js';
import { dominators, frontierOrder } from './pareto.js';
import type { ReportData, SweepView } from './types.js';

export interface FrontierCell {
  readonly arm: string;
  /** What the cell swept, e.g. `w=0.25` (the axes' last key segments with its values). */
  readonly label: string;
  readonly x: number;
  readonly y: number;
  readonly x_low?: number;
  readonly x_high?: number;
  readonly y_low?: number;
  readonly y_high?: number;
  /** A cell at least as good on both metrics and better on one; absent on the frontier. */
  readonly dominatedBy?: string;
}

export interface Frontier {
  readonly kind: 'frontier';
  readonly x: string;
  readonly y: string;
  readonly better: { readonly x: Better; readonly y: Better };
  /** In the sweep's cell order. */
  readonly cells: readonly FrontierCell[];
  /** The efficient cells' arms, along the x axis. */
  readonly efficient: readonly string[];
  /** What was swept, for titles: the axes' keys. */
  readonly swept: readonly string[];
}

/** The scenario named metrics that some cell has no value for: no chart, but a sentence saying why. */
export interface FrontierGap {
  readonly kind: 'gap';
  readonly metric: string;
  /** The labels of the cells without a value. */
  readonly cells: readonly string[];
}

/** Short-term metrics for the default x axis, the first every cell has. */
const DEFAULT_X = ['ctr', 'watch_minutes_per_impression'];
/** Long-term ones for y: 30-day retention needs a horizon past day 31, so shorter sweeps fall back. */
const DEFAULT_Y = ['retention_30d', 'mean_true_satisfaction', 'return_rate', 'retention_7d'];

/** Undefined when the folder is not a sweep of at least two cells, or its grid does not touch the score and its scenario names no metrics. */
export function sweepFrontier(data: ReportData): Frontier | FrontierGap | undefined {
  const sweep = data.sweep;
  if (sweep === undefined || sweep.cells.length < 2) return undefined;
  const mean = (metric: string, arm: string) => data.summaries.find((s) => s.metric === metric && s.arm === arm);
  const labels = cellLabels(sweep);
  const missing = (metric: string) => labels.filter((_, i) => mean(metric, sweep.cells[i].name) === undefined);
  const metrics = sweep.frontier ?? defaultMetrics(sweep, (metric) => missing(metric).length === 0);
  if (metrics === undefined) return undefined;
  for (const metric of [metrics.x, metrics.y]) {
    const without = missing(metric);
    if (without.length > 0) return { kind: 'gap', metric, cells: without };
  }
  const better = { x: metricDirection(metrics.x), y: metricDirection(metrics.y) };
  if (better.x === undefined || better.y === undefined) return undefined;
  const directions = { x: better.x, y: better.y };
  const points = sweep.cells.map((cell, i) => {
    const sx = mean(metrics.x, cell.name);
    const sy = mean(metrics.y, cell.name);
    return {
      arm: cell.name,
      label: labels[i],
      x: sx?.mean ?? Number.NaN,
      y: sy?.mean ?? Number.NaN,
      ...(sx?.ci_low === undefined || sx.ci_high === undefined ? {} : { x_low: sx.ci_low, x_high: sx.ci_high }),
      ...(sy?.ci_low === undefined || sy.ci_high === undefined ? {} : { y_low: sy.ci_low, y_high: sy.ci_high }),
    };
  });
  const by = dominators(points, directions);
  const cells = points.map((p, i) => (by[i] === -1 ? p : { ...p, dominatedBy: points[by[i]].arm }));
  return {
    kind: 'frontier',
    x: metrics.x,
    y: metrics.y,
    better: directions,
    cells,
    efficient: frontierOrder(points, directions).map((i) => points[i].arm),
    swept: sweep.axes.map((axis) => axis.key),
  };
}

/** CTR against the first long-term metric every cell has, when the grid sweeps the score; else none. */
function defaultMetrics(sweep: SweepView, everyCellHas: (metric: string) => boolean): { x: string; y: string } | undefined {
  if (!sweep.axes.some((axis) => sweepsScore(axis.key))) return undefined;
  const x = DEFAULT_X.find(everyCellHas);
  const y = DEFAULT_Y.find(everyCellHas);
  return x === undefined || y === undefined ? undefined : { x, y };
}

/** The score formula or one of its named parameters. */
export function sweepsScore(key: string): boolean {
  return key === 'recommender.score' || key === 'recommender.score_params' || key.startsWith('recommender.score_params.');
}

/**
 * `w=0.25`: each axis's last key segment and the cell's value, joined by commas; the whole key
 * where two axes end alike (`a.window`, `b.window`).
 */
function cellLabels(sweep: SweepView): string[] {
  const last = sweep.axes.map((axis) => axis.key.slice(axis.key.lastIndexOf('.') + 1));
  const names = last.map((name, i) => (last.indexOf(name) === last.lastIndexOf(name) ? name : sweep.axes[i].key));
  return sweep.cells.map((cell) => cell.values.map((value, i) => `${names[i] ?? '?'}=${value}`).join(', '));
}

/**
 * Slice fairness: metrics broken down by user slice (columns `<metric>_slice_<dimension>_<value>`,
 * e.g. `ctr_slice_country_3`, `retention_7d_slice_tenure_new`). Per dimension, two charts: each
 * slice's level over the run (dots per arm, with intervals when replicas give them) and the gap
 * between the best- and worst-served slice over time.
 */
import { tooltipFormat } from '../format.js';
import { metricInfo } from '../metric-catalog.js';
import type { Chart } from '../types.js';
import { armTitle, type ChartContext } from './context.js';
import { axisFormatProp, colorEncoding, grid, panelTitle, seriesPanel, type PanelRow } from './panels.js';
import { PANEL } from './theme.js';
import type { Layer, Panel } from './vl-types.js';

const SLICE_COLUMN = /^(.+)_slice_(.+)$/;

export interface SliceColumn {
  readonly column: string;
  readonly metric: string;
  readonly dimension: string;
  readonly slice: string;
}

/** `ctr_slice_country_3` → metric ctr, dimension country, slice 3; a lone value gets dimension "slice". */
export function parseSliceColumn(column: string): SliceColumn | undefined {
  const match = SLICE_COLUMN.exec(column);
  if (!match) return undefined;
  const rest = match[2];
  const cut = rest.indexOf('_');
  return cut < 0
    ? { column, metric: match[1], dimension: 'slice', slice: rest }
    : { column, metric: match[1], dimension: rest.slice(0, cut), slice: rest.slice(cut + 1) };
}

export function sliceCharts(ctx: ChartContext): Chart[] {
  const columns = ctx.data.metrics.map(parseSliceColumn).filter((c): c is SliceColumn => c !== undefined && ctx.has(c.column));
  const dimensions = Array.from(new Set(columns.map((c) => c.dimension)));
  return dimensions.flatMap((dimension) => {
    const mine = columns.filter((c) => c.dimension === dimension);
    const metrics = Array.from(new Set(mine.map((c) => c.metric)));
    return [levelChart(ctx, dimension, metrics, mine), gapChart(ctx, dimension, metrics, mine)];
  });
}

function levelChart(ctx: ChartContext, dimension: string, metrics: readonly string[], columns: readonly SliceColumn[]): Chart {
  const panels: Panel[] = metrics.map((metric) => {
    const info = metricInfo(metric);
    const mine = columns.filter((c) => c.metric === metric);
    const rows = mine.flatMap((c) =>
      ctx.data.summaries.filter((s) => s.metric === c.column).map((s) => ({ slice: c.slice, arm: s.arm, mean: s.mean, ci_low: s.ci_low, ci_high: s.ci_high })),
    );
    const withCi = rows.filter((r) => r.ci_low !== undefined && r.ci_high !== undefined);
    const y = { field: 'slice', type: 'nominal' as const, title: dimension, sort: mine.map((c) => c.slice) };
    const yOffset = ctx.data.arms.length > 1 ? { yOffset: { field: 'arm', type: 'nominal' as const, sort: [...ctx.data.arms] } } : {};
    const extent = rows.flatMap((r) => [r.mean, r.ci_low, r.ci_high]).filter((v): v is number => v !== undefined);
    const x = { field: 'mean', type: 'quantitative' as const, title: `${info.unit} (mean over the run)`, scale: levelScale(metric, extent), axis: axisFormatProp(metric) };
    const layers: Layer[] = [];
    if (withCi.length > 0) {
      layers.push({
        data: { values: withCi },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, ...yOffset, x: { ...x, field: 'ci_low' }, x2: { field: 'ci_high' }, color: colorEncoding(ctx, 'circle') },
      });
    }
    layers.push({
      data: { values: rows.map(({ slice, arm, mean }) => ({ slice, arm, mean })) },
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        y,
        ...yOffset,
        x,
        color: colorEncoding(ctx, 'circle'),
        tooltip: [
          { field: 'arm', type: 'nominal', title: armTitle(ctx) },
          { field: 'slice', type: 'nominal', title: dimension },
          { field: 'mean', type: 'quantitative', title: info.label, format: tooltipFormat(metric) },
        ],
      },
    });
    return {
      title: panelTitle(info.label, info.description),
      width: PANEL.width,
      height: { step: ctx.data.arms.length > 1 ? 8 * ctx.data.arms.length + 6 : 20 },
      layer: layers,
    };
  });
  const title = `Metrics by ${dimension}`;
  return {
    id: `slices-${slug(dimension)}`,
    family: 'slices',
    title,
    caption: `Each dot is one ${dimension} slice's mean over the run: dots far apart mean some slices are served worse than others.`,
    spec: grid({ ...ctx, note: levelNote(ctx) }, title, panels, metrics.length > 4 ? 3 : 2),
  };
}

/** Plain numbers span at least this share of their largest magnitude. */
const MIN_RELATIVE_SPAN = 0.2;

/**
 * An axis that does not magnify noise: shares and counts start at zero; plain numbers (scores,
 * bits) span at least a fifth of their magnitude, so slices 0.01% apart do not look far apart.
 */
export function levelScale(metric: string, values: readonly number[]): { zero: boolean; domain?: [number, number] } {
  if (metricInfo(metric).format !== 'number' || values.length === 0) return { zero: true };
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = MIN_RELATIVE_SPAN * Math.max(Math.abs(low), Math.abs(high));
  if (high - low >= span) return { zero: false };
  const middle = (low + high) / 2;
  return { zero: false, domain: [middle - span / 2, middle + span / 2] };
}

function levelNote(ctx: ChartContext): string {
  if (ctx.data.kind === 'run') return `${ctx.data.name} · ${ctx.data.arms[0]} · one run, no replicas: dots are means over its epochs`;
  if (ctx.data.kind === 'runs') return `${ctx.data.name} · dots: each run's mean over its epochs (one seed each, no intervals)`;
  const withCi = ctx.data.summaries.some((s) => s.ci_low !== undefined);
  return `${ctx.data.name} · dots: mean over ${ctx.data.replicas} replicas per arm${withCi ? ` · bars: ${Math.round(ctx.data.level * 100)}% confidence interval` : ''}`;
}

/** Best minus worst slice per epoch and arm, in the metric's units. */
function gapChart(ctx: ChartContext, dimension: string, metrics: readonly string[], columns: readonly SliceColumn[]): Chart {
  const panels = metrics.map((metric) => {
    const extremes = new Map<string, { arm: string; time: number; low: number; high: number }>();
    for (const c of columns.filter((col) => col.metric === metric)) {
      for (const p of ctx.series(c.column)) {
        const id = `${p.arm}\u0000${p.epoch}`;
        const e = extremes.get(id);
        if (e) {
          e.low = Math.min(e.low, p.value);
          e.high = Math.max(e.high, p.value);
        } else extremes.set(id, { arm: p.arm, time: p.time, low: p.value, high: p.value });
      }
    }
    const rows: PanelRow[] = Array.from(extremes.values(), (e) => ({ arm: e.arm, time: e.time, value: e.high - e.low }));
    return seriesPanel(ctx, { metric, title: metricInfo(metric).label, rows, zero: true });
  });
  const title = `Gap between the best- and worst-served ${dimension}`;
  return {
    id: `slices-${slug(dimension)}-gap`,
    family: 'slices',
    title,
    caption: `Highest minus lowest ${dimension} slice each epoch: a rising line means the loop is widening the difference between slices.`,
    spec: grid({ ...ctx, bands: false, note: gapNote(ctx) }, title, panels, metrics.length > 4 ? 3 : 2),
  };
}

function gapNote(ctx: ChartContext): string {
  return ctx.data.kind === 'compare' ? `${ctx.data.name} · gap between the per-arm means of ${ctx.data.replicas} replicas (no interval for a gap)` : ctx.note;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'slice';
}

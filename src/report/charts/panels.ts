/**
 * The building block most charts share: one metric over simulated time, a line per arm (and per
 * variant, e.g. p50/p95, drawn with dashes), a confidence band where replicas give one, and an
 * optional reference line (a budget, a bound). Panels are laid out as small multiples by grid().
 */
import { NEUTRAL } from '../colors.js';
import { axisFormat, tooltipFormat } from '../format.js';
import { metricInfo } from '../metric-catalog.js';
import { armLabel } from '../oracle.js';
import type { SeriesPoint } from '../types.js';
import { armTitle, type ChartContext } from './context.js';
import { PANEL, REPORT_CONFIG, SCHEMA_URL } from './theme.js';
import type { Layer, Panel, TopLevelSpec } from './vl-types.js';

/** One row of panel data: arm and variant pick the line, time the x position. */
export interface PanelRow {
  readonly arm: string;
  readonly time: number;
  readonly value: number;
  readonly ci_low?: number;
  readonly ci_high?: number;
  readonly variant?: string;
}

export interface SeriesPanelOptions {
  /** Gives the y-axis unit and number format. */
  readonly metric: string;
  readonly rows: readonly PanelRow[];
  readonly title?: string;
  /** Panel subtitle (default: the metric's description). */
  readonly subtitle?: string;
  /** Lines told apart by dash pattern, in this order (first solid). */
  readonly variants?: { readonly title: string; readonly order: readonly string[] };
  readonly reference?: { readonly value: number; readonly label: string };
  /** Drawn on top, sharing the panel's scales (e.g. a theoretical bound). */
  readonly extraLayers?: readonly Layer[];
  /** Start the y axis at zero (default: for shares and counts). */
  readonly zero?: boolean;
}

export function rowsOf(points: readonly SeriesPoint[], variant?: string): PanelRow[] {
  return points.map((p) => ({ arm: p.arm, time: p.time, value: p.value, ci_low: p.ci_low, ci_high: p.ci_high, variant }));
}

/**
 * Colour by arm with the report's fixed mapping. Every layer of a chart must pass the same
 * legend definition (Vega-Lite drops a merged legend when layers disagree), hence `symbol`.
 */
export function colorEncoding(ctx: ChartContext, symbol: 'stroke' | 'circle' = 'stroke') {
  return {
    field: 'arm',
    type: 'nominal' as const,
    title: armTitle(ctx),
    scale: { domain: [...ctx.colors.domain], range: [...ctx.colors.range] },
    legend: ctx.legend ? armLegend(ctx, symbol) : null,
  };
}

/** The arms' legend; the oracle baseline is named as one, as it is a reference and not a design. */
function armLegend(ctx: ChartContext, symbolType: 'stroke' | 'circle') {
  const { oracle } = ctx.data;
  const label = oracle === undefined ? {} : { labelExpr: `datum.label === ${JSON.stringify(oracle)} ? ${JSON.stringify(armLabel(ctx.data, oracle))} : datum.label` };
  return { symbolType, symbolOpacity: 1, ...label };
}

export function seriesPanel(ctx: ChartContext, options: SeriesPanelOptions): Panel {
  const info = metricInfo(options.metric);
  const zero = options.zero ?? info.format !== 'number';
  const x = timeEncoding(ctx);
  const yScale = { zero };
  const yAxis = { title: info.unit, ...axisFormatProp(options.metric), ...(info.format === 'count' ? { tickMinStep: 1 } : {}) };
  const withBand = ctx.bands && options.rows.some((r) => r.ci_low !== undefined);
  const dash = options.variants
    ? {
        strokeDash: {
          field: 'variant',
          type: 'nominal' as const,
          title: options.variants.title,
          sort: [...options.variants.order],
          scale: { domain: [...options.variants.order], range: options.variants.order.map((_, i) => DASHES[i % DASHES.length]) },
        },
      }
    : armDashEncoding(ctx);
  const tooltip = [
    { field: 'arm', type: 'nominal', title: armTitle(ctx) },
    ...(options.variants ? [{ field: 'variant', type: 'nominal', title: options.variants.title } as const] : []),
    { field: 'time', type: 'quantitative', title: ctx.data.time.title, format: ctx.data.time.unit === 'round' ? ',d' : '.2~f' },
    { field: 'value', type: 'quantitative', title: info.label, format: tooltipFormat(options.metric) },
    ...(withBand
      ? ([
          { field: 'ci_low', type: 'quantitative', title: 'CI low', format: tooltipFormat(options.metric) },
          { field: 'ci_high', type: 'quantitative', title: 'CI high', format: tooltipFormat(options.metric) },
        ] as const)
      : []),
  ] as const;
  const layers: Layer[] = [...periodLayers(ctx)];
  if (withBand) {
    layers.push({
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x,
        y: { field: 'ci_low', type: 'quantitative', scale: yScale, axis: yAxis },
        y2: { field: 'ci_high' },
        color: colorEncoding(ctx),
        ...(options.variants ? { detail: { field: 'variant', type: 'nominal' } } : {}),
      },
    });
  }
  layers.push({
    mark: { type: 'line', point: ctx.points && !options.variants ? { size: 22 } : false },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative', scale: yScale, axis: yAxis },
      color: colorEncoding(ctx),
      ...dash,
      tooltip: [...tooltip],
    },
  });
  const reference = options.reference ?? ctx.data.references[options.metric];
  if (reference) layers.push(...referenceLayers(reference, options.metric));
  if (options.extraLayers) layers.push(...options.extraLayers);
  return {
    title: panelTitle(options.title ?? info.label, options.subtitle ?? info.description),
    width: PANEL.width,
    height: PANEL.height,
    data: { values: options.rows.map(stripUndefined) },
    layer: layers,
  };
}

/** Grey shades under the lines for the random start-up and unmeasured days, labelled at the top. */
function periodLayers(ctx: ChartContext): Layer[] {
  const periods = ctx.data.time.unit === 'day' ? ctx.data.periods : [];
  if (periods.length === 0) return [];
  const data = { values: periods.map((p) => ({ from: p.from, to: p.to, label: p.label })) };
  const x = { ...timeEncoding(ctx), field: 'from' };
  return [
    {
      data,
      mark: { type: 'rect', color: NEUTRAL.reference, opacity: 0.09 },
      encoding: { x, x2: { field: 'to' }, tooltip: [{ field: 'label', type: 'nominal', title: 'Shaded' }] },
    },
    {
      data,
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, fontSize: 10, color: '#555555', lineBreak: ', ' },
      encoding: { x, y: { value: 0 }, text: { field: 'label', type: 'nominal' } },
    },
  ];
}

/** The x axis of every time series: simulated days (or rounds) from 0 to the last one. */
export function timeEncoding(ctx: ChartContext) {
  return {
    field: 'time',
    type: 'quantitative' as const,
    title: ctx.data.time.title,
    scale: { domain: [0, Math.max(1, ctx.maxTime)], nice: false },
    axis: { tickMinStep: 1, ...(ctx.data.time.unit === 'round' ? { format: '~s' } : {}) },
  };
}

/** `{ format }` when the metric needs one (shares, counts), else nothing: Vega's default suits plain numbers. */
export function axisFormatProp(metric: string): { format?: string } {
  const format = axisFormat(metric);
  return format === undefined ? {} : { format };
}

/** Titles start at the plot's left edge; an empty subtitle keeps every panel's title at the same height. */
export function panelTitle(text: string, subtitle?: string) {
  return { text, subtitle: subtitle ?? ' ', fontSize: 13, subtitleFontSize: 11, frame: 'group' as const };
}

/** A dotted horizontal line with its label beside the plot at its right end (a budget or a target). */
function referenceLayers(reference: { readonly value: number; readonly label: string }, metric: string): Layer[] {
  const data = { values: [{ value: reference.value, label: reference.label }] };
  const y = { field: 'value', type: 'quantitative' } as const;
  return [
    {
      data,
      mark: { type: 'rule', color: NEUTRAL.reference, strokeDash: [2, 3], strokeWidth: 1.5 },
      encoding: { y, tooltip: [{ field: 'label', type: 'nominal', title: 'Reference' }, { field: 'value', type: 'quantitative', format: tooltipFormat(metric) }] },
    },
    {
      data,
      // Beside the plot, right of the line's end: no data line can run through it.
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontSize: 11, color: NEUTRAL.reference },
      encoding: { y, x: { value: 'width' }, text: { field: 'label', type: 'nominal' } },
    },
  ];
}

const DASHES: number[][] = [[1, 0], [6, 4], [2, 3], [8, 3, 2, 3]];

/**
 * Arms told apart by dash pattern and point shape as well as colour, so a line drawn over an
 * identical one (greedy under Thompson before either learns) still shows through its gaps. The
 * control (first) is solid and drawn first, underneath the others.
 */
function armDashEncoding(ctx: ChartContext) {
  if (!ctx.legend) return {};
  // The same legend as the colour's, so Vega-Lite merges the two.
  const legend = armLegend(ctx, 'stroke');
  const shared = { field: 'arm', type: 'nominal' as const, title: armTitle(ctx), legend };
  const domain = [...ctx.colors.domain];
  return {
    strokeDash: { ...shared, scale: { domain, range: domain.map((_, i) => ARM_DASHES[i % ARM_DASHES.length]) } },
    // The first line is wider, a rim around any line that lies on it.
    strokeWidth: { ...shared, type: 'ordinal' as const, sort: domain, scale: { type: 'ordinal' as const, domain, range: domain.map((_, i) => (i === 0 ? 4 : 2)) } },
  };
}

const ARM_DASHES: number[][] = [[1, 0], [8, 4], [2, 4], [8, 3, 2, 3], [14, 4], [4, 6]];

/** Small multiples under one title, one shared colour legend. */
export function grid(ctx: ChartContext, title: string, panels: readonly Panel[], columns = 2): TopLevelSpec {
  return {
    $schema: SCHEMA_URL,
    title: { text: title, subtitle: ctx.note },
    config: REPORT_CONFIG,
    columns: Math.min(columns, panels.length),
    concat: [...panels],
    resolve: { scale: { color: 'shared', strokeDash: 'shared', y: 'independent', x: 'independent' }, legend: { color: 'shared', strokeDash: 'shared' } },
  };
}

/** Vega-Lite data is JSON: leave out absent fields rather than write undefined. */
export function stripUndefined<T extends object>(row: T): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(row)) if (typeof value === 'number' || typeof value === 'string') out[key] = value;
  return out;
}

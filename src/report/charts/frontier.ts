/**
 * A sweep's trade-off frontier: a point per cell at its mean short-term (x) and long-term (y)
 * figure, error bars both ways for the intervals over seeds, the Pareto-efficient cells filled
 * and joined by a line, every point labelled with what its cell swept.
 */
import { NEUTRAL } from '../colors.js';
import { tooltipFormat } from '../format.js';
import { sweepFrontier, type Frontier } from '../frontier.js';
import { metricInfo } from '../metric-catalog.js';
import { inText } from '../sentences/words.js';
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { labelYs } from './label-layout.js';
import { axisFormatProp, stripUndefined } from './panels.js';
import { REPORT_CONFIG, SCHEMA_URL, WIDE } from './theme.js';
import type { Layer } from './vl-types.js';

/** Taller than a time-series panel: cells that differ a little on y still stand apart, labels and all. */
const HEIGHT = 340;

export function frontierCharts(ctx: ChartContext): Chart[] {
  const frontier = sweepFrontier(ctx.data);
  if (frontier?.kind !== 'frontier') return [];
  const level = Math.round(ctx.data.level * 100);
  const title = `Trade-off frontier: ${inText(frontier.y)} against ${inText(frontier.x)}`;
  const note = `${ctx.data.name} · a point per cell of ${frontier.swept.join(' × ')}: mean of ${ctx.data.replicas} seed${ctx.data.replicas === 1 ? '' : 's'}` + (ctx.bands ? ` · bars: ${level}% confidence intervals over seeds` : ' · no intervals with one seed');
  return [
    {
      id: 'sweep-frontier',
      family: 'frontier',
      title,
      caption:
        `Each cell at its mean ${inText(frontier.x)} (${direction(frontier.better.x)}) and ${inText(frontier.y)} (${direction(frontier.better.y)}), with ${level}% intervals both ways. ` +
        'Filled points joined by the line are the Pareto frontier: no other cell is at least as good on both; pale ones are dominated. Overlapping bars mean the seeds cannot yet tell the cells apart.',
      spec: {
        $schema: SCHEMA_URL,
        title: { text: title, subtitle: note },
        config: REPORT_CONFIG,
        width: WIDE.width,
        height: HEIGHT,
        layer: frontierLayers(ctx, frontier),
      },
    },
  ];
}

function direction(better: 'higher' | 'lower'): string {
  return `${better} is better`;
}

function frontierLayers(ctx: ChartContext, frontier: Frontier): Layer[] {
  const xInfo = metricInfo(frontier.x);
  const yInfo = metricInfo(frontier.y);
  // Labels sit right of their points, moved apart where cells lie close together.
  const extent = {
    xs: frontier.cells.flatMap((c) => [c.x, c.x_low ?? c.x, c.x_high ?? c.x]),
    ys: frontier.cells.flatMap((c) => [c.y, c.y_low ?? c.y, c.y_high ?? c.y]),
    width: WIDE.width,
    height: HEIGHT,
  };
  const labelY = labelYs(frontier.cells, extent);
  const rows = frontier.cells.map((c, i) =>
    stripUndefined({
      ...c,
      status: c.dominatedBy === undefined ? 'on the frontier' : `dominated by ${c.dominatedBy}`,
      efficient: c.dominatedBy === undefined ? 1 : 0,
      label_y: labelY[i],
    }),
  );
  const line = frontier.efficient.map((arm, order) => ({ ...rows.find((r) => r.arm === arm), order }));
  // Neither axis starts at zero: the cells differ by a little on a large level.
  const x: AxisField = { field: 'x', type: 'quantitative', title: `${xInfo.label} (${xInfo.unit})`, scale: { zero: false }, axis: axisFormatProp(frontier.x) };
  const y: AxisField = { field: 'y', type: 'quantitative', title: `${yInfo.label} (${yInfo.unit})`, scale: { zero: false }, axis: axisFormatProp(frontier.y) };
  // Labels name the cells: no legend, but each cell keeps its colour from the other charts.
  const color = { field: 'arm', type: 'nominal' as const, scale: { domain: [...ctx.colors.domain], range: [...ctx.colors.range] }, legend: null };
  const xFormat = tooltipFormat(frontier.x);
  const yFormat = tooltipFormat(frontier.y);
  return [
    {
      data: { values: line },
      mark: { type: 'line', color: NEUTRAL.reference, strokeWidth: 1.5, strokeDash: [6, 3] },
      encoding: { x, y, order: { field: 'order', type: 'quantitative' } },
    },
    {
      data: { values: rows },
      mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 },
      encoding: { y, x: { ...x, field: 'x_low' }, x2: { field: 'x_high' }, color },
      transform: [{ filter: 'isValid(datum.x_low)' }],
    },
    {
      data: { values: rows },
      mark: { type: 'rule', strokeWidth: 1.5, opacity: 0.7 },
      encoding: { x, y: { ...y, field: 'y_low' }, y2: { field: 'y_high' }, color },
      transform: [{ filter: 'isValid(datum.y_low)' }],
    },
    {
      name: 'frontier_cells',
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 110, strokeWidth: 2 },
      encoding: {
        x,
        y,
        color,
        stroke: color,
        fillOpacity: { condition: { test: 'datum.efficient === 1', value: 1 }, value: 0.2 },
        tooltip: [
          { field: 'label', type: 'nominal', title: 'Cell' },
          { field: 'x', type: 'quantitative', format: xFormat, title: xInfo.label },
          { field: 'x_low', type: 'quantitative', format: xFormat, title: `${xInfo.label}: CI low` },
          { field: 'x_high', type: 'quantitative', format: xFormat, title: `${xInfo.label}: CI high` },
          { field: 'y', type: 'quantitative', format: yFormat, title: yInfo.label },
          { field: 'y_low', type: 'quantitative', format: yFormat, title: `${yInfo.label}: CI low` },
          { field: 'y_high', type: 'quantitative', format: yFormat, title: `${yInfo.label}: CI high` },
          { field: 'status', type: 'nominal', title: 'Pareto' },
        ],
      },
    },
    {
      data: { values: rows },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 9, fontSize: 11, color: NEUTRAL.reference },
      encoding: { x, y: { ...y, field: 'label_y' }, text: { field: 'label', type: 'nominal' } },
    },
  ];
}

/** A metric on one axis: its mean's field, title, scale and number format. */
interface AxisField {
  readonly field: string;
  readonly type: 'quantitative';
  readonly title: string;
  readonly scale: { readonly zero: boolean };
  readonly axis: { readonly format?: string };
}

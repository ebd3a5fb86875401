/**
 * Short- versus long-term objectives: what the system optimises (clicks, watch time) beside what
 * it is for (true satisfaction, people coming back), and the path the two take together.
 */
import { tooltipFormat } from '../format.js';
import { metricInfo } from '../metric-catalog.js';
import type { Chart } from '../types.js';
import { armTitle, type ChartContext } from './context.js';
import { familyCharts } from './families.js';
import { axisFormatProp, colorEncoding } from './panels.js';
import { REPORT_CONFIG, SCHEMA_URL, WIDE } from './theme.js';


export function objectiveCharts(ctx: ChartContext): Chart[] {
  // The short- and long-term families (families/), then the path the two take together.
  const path = tradeoffPath(ctx);
  return [...familyCharts(ctx, 'objectives'), ...(path ? [path] : [])];
}

/** CTR against true satisfaction, one point per epoch joined in time order, per arm. */
function tradeoffPath(ctx: ChartContext): Chart | undefined {
  const [xMetric, yMetric] = ['ctr', 'mean_true_satisfaction'];
  if (!ctx.has(xMetric) || !ctx.has(yMetric) || ctx.data.time.unit !== 'day') return undefined;
  const ys = new Map(ctx.series(yMetric).map((p) => [`${p.arm}\u0000${p.epoch}`, p.value]));
  const rows = ctx.series(xMetric).flatMap((p) => {
    const y = ys.get(`${p.arm}\u0000${p.epoch}`);
    return y === undefined ? [] : [{ arm: p.arm, time: p.time, x: p.value, y }];
  });
  if (rows.length < 2) return undefined;
  // Every arm's last point is labelled; only the first arm's start (arms start alike, labels would collide).
  const ends = ctx.data.arms.flatMap((arm, index) => {
    const mine = rows.filter((r) => r.arm === arm);
    if (mine.length === 0) return [];
    const first = mine.reduce((a, b) => (b.time < a.time ? b : a));
    const last = mine.reduce((a, b) => (b.time > a.time ? b : a));
    return [...(index === 0 ? [{ ...first, label: `day ${trim(first.time)}` }] : []), { ...last, label: `day ${trim(last.time)}` }];
  });
  const note =
    ctx.data.kind === 'compare'
      ? `${ctx.data.name} · points: per-epoch means of ${ctx.data.replicas} replicas per arm (intervals in the panels above)`
      : ctx.note;
  const xInfo = metricInfo(xMetric);
  const yInfo = metricInfo(yMetric);
  const x = { field: 'x', type: 'quantitative' as const, title: `${xInfo.label} (${xInfo.unit})`, scale: { zero: false }, axis: axisFormatProp(xMetric) };
  const y = { field: 'y', type: 'quantitative' as const, title: `${yInfo.label} (${yInfo.unit})`, scale: { zero: false }, axis: axisFormatProp(yMetric) };
  const title = 'Clicks versus true satisfaction, day by day';
  return {
    id: 'tradeoff',
    family: 'objectives',
    title,
    caption: 'Each point is one epoch, joined in time order: a path heading right and down means clicks are being bought with satisfaction.',
    spec: {
      $schema: SCHEMA_URL,
      title: { text: title, subtitle: note },
      config: REPORT_CONFIG,
      width: WIDE.width,
      height: WIDE.height,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'line', point: { size: 24 }, strokeWidth: 1.5, opacity: 0.85 },
          encoding: {
            x,
            y,
            order: { field: 'time', type: 'quantitative' },
            color: colorEncoding(ctx),
            tooltip: [
              { field: 'arm', type: 'nominal', title: armTitle(ctx) },
              { field: 'time', type: 'quantitative', title: 'Day', format: '.2~f' },
              { field: 'x', type: 'quantitative', title: xInfo.label, format: tooltipFormat(xMetric) },
              { field: 'y', type: 'quantitative', title: yInfo.label, format: tooltipFormat(yMetric) },
            ],
          },
        },
        {
          data: { values: ends },
          mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 11 },
          encoding: { x, y, text: { field: 'label', type: 'nominal' }, color: colorEncoding(ctx) },
        },
      ],
    },
  };
}

function trim(day: number): string {
  return String(Number(day.toFixed(2)));
}

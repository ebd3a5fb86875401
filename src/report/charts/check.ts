/**
 * A fitted world's check: per figure (click rate overall and by slot), the real log's value (a
 * black tick, with a grey band for its own interval) against the range of the fitted world's
 * simulated logs (a bar and its mean).
 */
import { NEUTRAL } from '../colors.js';
import type { Chart, CheckView } from '../types.js';
import type { ChartContext } from './context.js';
import { REPORT_CONFIG, SCHEMA_URL, WIDE } from './theme.js';
import type { Layer } from './vl-types.js';

const ROW_HEIGHT = 34;

export function checkCharts(ctx: ChartContext): Chart[] {
  const check = ctx.data.check;
  return check ? [checkChart(ctx, check), ...(check.exposure.items.length > 0 ? [exposureChart(ctx, check)] : [])] : [];
}

/** Each item's share of impressions, real (x) against simulated (y): on the diagonal where the world reproduces the policy's exposure. */
function exposureChart(ctx: ChartContext, check: CheckView): Chart {
  const { items, tvd, reference } = check.exposure;
  const top = 1.05 * Math.max(...items.flatMap((i) => [i.real, i.simulated]));
  const axis = (field: 'real' | 'simulated', title: string) => ({ field, type: 'quantitative' as const, title, scale: { domain: [0, top] }, axis: { format: '.0%' } });
  const share = (field: string, title: string) => ({ field, type: 'quantitative' as const, format: '.2%', title });
  const title = `Item exposure, real against simulated: ${check.policy}`;
  const f = (x: number) => x.toFixed(3);
  return {
    id: 'fit-check-exposure',
    family: 'check',
    title,
    caption: `One dot per item: its share of impressions in the real log (across) and in the simulated logs (up). On the diagonal the fitted world reproduces the policy's exposure. Total variation distance ${f(tvd.mean)} [${f(tvd.low)}, ${f(tvd.high)}], against ${f(reference.mean)} [${f(reference.low)}, ${f(reference.high)}] between two resamples of the real log.`,
    spec: {
      $schema: SCHEMA_URL,
      title: { text: title, subtitle: `${ctx.data.name} · distance ${f(tvd.mean)} (chance alone: ${f(reference.mean)})` },
      config: REPORT_CONFIG,
      width: 360,
      height: 360,
      layer: [
        {
          data: { values: [{ real: 0, simulated: 0 }, { real: top, simulated: top }] },
          mark: { type: 'line', color: '#000000', strokeDash: [4, 4], strokeWidth: 1 },
          encoding: { x: axis('real', 'Share of impressions, real log'), y: axis('simulated', 'Share of impressions, simulated') },
        },
        {
          data: { values: items.map((i) => ({ ...i })) },
          mark: { type: 'point', filled: true, size: 60, color: NEUTRAL.estimate, opacity: 0.85 },
          encoding: {
            x: axis('real', 'Share of impressions, real log'),
            y: axis('simulated', 'Share of impressions, simulated'),
            tooltip: [{ field: 'item', type: 'nominal', title: 'Item' }, share('real', 'Real'), share('simulated', 'Simulated')],
          },
        },
      ],
    },
  };
}

function checkChart(ctx: ChartContext, check: CheckView): Chart {
  const level = Math.round(check.level * 100);
  const order = check.rows.map((r) => r.figure);
  const y = { field: 'figure', type: 'nominal' as const, title: null, sort: order, axis: { labelFontSize: 12 } };
  const x = { type: 'quantitative' as const, title: check.unit, scale: { zero: false } };
  const rows = check.rows.map((r) => ({ ...r }));
  const banded = rows.filter((r) => r.real_low !== undefined && r.real_high !== undefined);
  const layers: Layer[] = [];
  if (banded.length > 0) {
    layers.push({
      data: { values: banded },
      mark: { type: 'rule', color: '#000000', opacity: 0.12, strokeWidth: ROW_HEIGHT * 0.6 },
      encoding: { y, x: { ...x, field: 'real_low' }, x2: { field: 'real_high' } },
    });
  }
  const value = (field: string, title: string) => ({ field, type: 'quantitative' as const, format: '.4~g', title });
  const tooltip = [
    { field: 'figure', type: 'nominal' as const, title: 'Figure' },
    value('real', 'Real'),
    value('simulated', 'Simulated (mean)'),
    value('simulated_low', 'Simulated low'),
    value('simulated_high', 'Simulated high'),
  ];
  layers.push(
    {
      data: { values: rows },
      mark: { type: 'tick', color: '#000000', thickness: 2, size: ROW_HEIGHT * 0.7 },
      encoding: { y, x: { ...x, field: 'real' }, tooltip },
    },
    {
      data: { values: rows },
      mark: { type: 'rule', strokeWidth: 3, color: NEUTRAL.estimate },
      encoding: { y, x: { ...x, field: 'simulated_low' }, x2: { field: 'simulated_high' } },
    },
    {
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 80, color: NEUTRAL.estimate, opacity: 1 },
      encoding: { y, x: { ...x, field: 'simulated' }, tooltip },
    },
  );
  const title = `Fitted world against the real log: ${check.policy}`;
  return {
    id: 'fit-check',
    family: 'check',
    title,
    caption: `Black ticks: the real log's figures (grey: their ${level}% intervals); bars: the middle ${level}% of the fitted world's simulated logs, dots their mean. A bar clear of its tick is a gap the fit does not explain.`,
    spec: {
      $schema: SCHEMA_URL,
      title: { text: title, subtitle: `${ctx.data.name} · bars: ${level}% of simulated logs · black ticks: real` },
      config: REPORT_CONFIG,
      width: WIDE.width,
      height: ROW_HEIGHT * Math.max(2, order.length),
      layer: layers,
    },
  };
}

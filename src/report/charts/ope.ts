/**
 * Off-policy evaluation: each estimator's estimate of the target policy's value with its
 * interval, against the truth measured by serving the target in a twin world (a black line,
 * with a grey band for that measurement's own interval).
 */
import { NEUTRAL } from '../colors.js';
import type { Chart, OpeView } from '../types.js';
import type { ChartContext } from './context.js';
import { REPORT_CONFIG, SCHEMA_URL, WIDE } from './theme.js';
import type { Layer } from './vl-types.js';

const ROW_HEIGHT = 34;

export function opeCharts(ctx: ChartContext): Chart[] {
  const ope = ctx.data.ope;
  return ope ? [opeChart(ctx, ope)] : [];
}

function opeChart(ctx: ChartContext, ope: OpeView): Chart {
  const level = Math.round(ope.level * 100);
  const order = ope.estimates.map((e) => e.estimator);
  const y = { field: 'estimator', type: 'nominal' as const, title: null, sort: order, axis: { labelFontSize: 12 } };
  const xTitle = `Estimated value of ${ope.target} (${ope.unit})`;
  const x = { type: 'quantitative' as const, title: xTitle, scale: { zero: false } };
  const layers: Layer[] = [];
  const { truth } = ope;
  if (truth?.ci_low !== undefined && truth.ci_high !== undefined) {
    layers.push({
      data: { values: [{ low: truth.ci_low, high: truth.ci_high }] },
      mark: { type: 'rect', color: '#000000', opacity: 0.1 },
      encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' } },
    });
  }
  if (truth) {
    layers.push({
      data: { values: [{ truth: truth.value }] },
      mark: { type: 'rule', color: '#000000', strokeWidth: 2 },
      encoding: { x: { ...x, field: 'truth' }, tooltip: [{ field: 'truth', type: 'quantitative', title: `Truth (${ope.truthSource})`, format: '.4~g' }] },
    });
  }
  layers.push(
    {
      data: { values: ope.estimates.map((e) => ({ ...e })) },
      mark: { type: 'rule', strokeWidth: 3, color: NEUTRAL.estimate },
      encoding: { y, x: { ...x, field: 'ci_low' }, x2: { field: 'ci_high' } },
    },
    {
      data: { values: ope.estimates.map((e) => ({ ...e })) },
      mark: { type: 'point', filled: true, size: 80, color: NEUTRAL.estimate, opacity: 1 },
      encoding: {
        y,
        x: { ...x, field: 'estimate' },
        tooltip: [
          { field: 'estimator', type: 'nominal', title: 'Estimator' },
          { field: 'estimate', type: 'quantitative', format: '.4~g', title: 'Estimate' },
          { field: 'ci_low', type: 'quantitative', format: '.4~g', title: 'CI low' },
          { field: 'ci_high', type: 'quantitative', format: '.4~g', title: 'CI high' },
        ],
      },
    },
  );
  const title = `Off-policy estimates: ${ope.target}, logged by ${ope.logging}`;
  return {
    id: 'ope',
    family: 'ope',
    title,
    caption: truth
      ? `Bars are ${level}% intervals; an estimator whose bar misses the black truth line (grey: the truth's own interval) is biased or over-confident.`
      : `Bars are ${level}% intervals. Nothing measured the target's value here, so no estimate can be checked.`,
    spec: {
      $schema: SCHEMA_URL,
      title: { text: title, subtitle: `${ctx.data.name}${ope.window ? ` · ${ope.window}` : ''} · bars: ${level}% intervals${truth ? ` · black line: truth from the ${ope.truthSource}` : ''}` },
      config: REPORT_CONFIG,
      width: WIDE.width,
      height: ROW_HEIGHT * Math.max(2, order.length),
      layer: layers,
    },
  };
}

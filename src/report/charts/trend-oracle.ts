/**
 * An experiment's trends and its distance from the oracle baseline, charted in the failure's own
 * section beside its sentences: each arm's slope per day (comparison.json's `slope_per_day`; the
 * oracle's drawn as a reference) and each design's difference from the oracle (`vs_oracle`).
 */
import { FAILURES, type Failure } from '../failures.js';
import { perDayScale, tooltipFormat } from '../format.js';
import { metricInfo } from '../metric-catalog.js';
import { armLabel, isDesign } from '../oracle.js';
import type { Chart, ChartFamily } from '../types.js';
import type { ChartContext } from './context.js';
import { intervalPanel } from './interval-panel.js';
import { axisFormatProp, grid, stripUndefined } from './panels.js';
import type { Panel } from './vl-types.js';

/** The chart of the failure drawn in `section`, built after that section's own charts so files follow reading order. */
export function trendOracleCharts(section: ChartFamily): (ctx: ChartContext) => Chart[] {
  return (ctx) => (ctx.data.kind === 'compare' ? FAILURES.filter((f) => f.section === section).flatMap((failure) => failureChart(ctx, failure)) : []);
}

function failureChart(ctx: ChartContext, failure: Failure): Chart[] {
  const { data } = ctx;
  const slopes = failure.slopes.filter((m) => data.slopes.some((s) => s.metric === m));
  const oracle = data.oracle;
  const againstOracle = oracle === undefined ? [] : failure.againstOracle.filter((m) => data.oracleDiffs.some((d) => d.metric === m && isDesign(data, d.arm)));
  const panels: Panel[] = [...slopes.map((m) => slopePanel(ctx, m)), ...againstOracle.map((m) => oraclePanel(ctx, m, oracle ?? ''))];
  if (panels.length === 0) return [];
  const title = slopes.length === 0 ? `Distance from the oracle baseline (${oracle})` : againstOracle.length === 0 ? 'Trend per day' : 'Trend per day and distance from the oracle baseline';
  const level = Math.round(data.level * 100);
  const caption = [
    slopes.length > 0 ? `Each arm's slope per day over the measured epochs (least squares per replica, then the mean with its ${level}% interval): a bar clear of the zero line is a real rise or fall.` : '',
    againstOracle.length > 0 ? `Each design minus the oracle baseline (${oracle}, which ranks by the world's true utility), paired by seed: how far the design is from what the world allows.` : '',
  ].filter(Boolean);
  const note = `${data.name} · ${data.replicas} replicas per arm · bars: ${level}% confidence interval`;
  return [{ id: `${failure.id}-trend-oracle`, family: failure.section, title, caption: caption.join(' '), spec: grid({ ...ctx, note }, title, panels, 2) }];
}

function slopePanel(ctx: ChartContext, metric: string): Panel {
  const { factor, unit } = perDayScale(metric);
  const scaled = (x: number | undefined): number | undefined => (x === undefined ? undefined : x * factor);
  const rows = ctx.data.arms.flatMap((arm) =>
    ctx.data.slopes
      .filter((s) => s.metric === metric && s.arm === arm)
      .map((s) => stripUndefined({ arm, row: armLabel(ctx.data, arm), slope: scaled(s.slope), ci_low: scaled(s.ci_low), ci_high: scaled(s.ci_high) })),
  );
  const fmt = '+.3~g';
  return intervalPanel(ctx, {
    title: metricInfo(metric).label,
    subtitle: 'trend over the measured days',
    rows,
    field: 'slope',
    x: { title: `${unit} a day`, axis: { format: '+~g' } },
    tooltip: [
      { field: 'row', type: 'nominal', title: 'Arm' },
      { field: 'slope', type: 'quantitative', format: fmt, title: `Slope (${unit} a day)` },
      { field: 'ci_low', type: 'quantitative', format: fmt, title: 'CI low' },
      { field: 'ci_high', type: 'quantitative', format: fmt, title: 'CI high' },
    ],
  });
}

function oraclePanel(ctx: ChartContext, metric: string, oracle: string): Panel {
  const info = metricInfo(metric);
  const rows = ctx.data.arms.flatMap((arm) =>
    ctx.data.oracleDiffs
      .filter((d) => d.metric === metric && d.arm === arm && isDesign(ctx.data, arm))
      .map((d) => stripUndefined({ arm, row: arm, diff: d.diff, relative: d.relative, ci_low: d.ci_low, ci_high: d.ci_high })),
  );
  const fmt = tooltipFormat(metric);
  return intervalPanel(ctx, {
    title: info.label,
    subtitle: `arm − ${oracle} (oracle baseline), paired by seed`,
    rows,
    field: 'diff',
    x: { title: `arm − oracle baseline (${info.format === 'percent' ? 'percentage points' : info.unit})`, axis: info.format === 'percent' ? { format: '+~%' } : axisFormatProp(metric) },
    tooltip: [
      { field: 'arm', type: 'nominal', title: 'Arm' },
      { field: 'diff', type: 'quantitative', format: fmt, title: 'Arm − oracle' },
      { field: 'relative', type: 'quantitative', format: '+.1%', title: "Relative to the oracle's mean" },
      { field: 'ci_low', type: 'quantitative', format: fmt, title: 'CI low' },
      { field: 'ci_high', type: 'quantitative', format: fmt, title: 'CI high' },
    ],
  });
}

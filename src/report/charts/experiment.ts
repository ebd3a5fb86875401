/**
 * Experiments: each arm's difference from the control with its confidence interval (a forest
 * plot per metric), zero marked, guardrail limits drawn and breaches labelled.
 */
import { NEUTRAL, pickColors } from '../colors.js';
import { tooltipFormat } from '../format.js';
import { metricInfo } from '../metric-catalog.js';
import type { ArmDiff, Chart, GuardrailFlag } from '../types.js';
import { isDesign } from '../oracle.js';
import type { ChartContext } from './context.js';
import { VERDICT_METRICS } from './families.js';
import { intervalPanel } from './interval-panel.js';
import { axisFormatProp, grid, stripUndefined } from './panels.js';
import type { Layer, Panel } from './vl-types.js';

const MAX_PANELS = 9;

export function experimentCharts(ctx: ChartContext): Chart[] {
  const { control, oracle } = ctx.data;
  // The oracle baseline is a reference, not a design: its differences would lead the ranking and stretch every axis.
  const diffs = ctx.data.diffs.filter((d) => isDesign(ctx.data, d.arm));
  if (diffs.length === 0 || control === undefined) return [];
  const chosen = chosenMetrics(ctx, diffs);
  // Only the arms that have a difference are drawn: the control is the zero line, not a legend entry.
  const drawn = ctx.data.arms.filter((arm) => diffs.some((d) => d.arm === arm));
  const diffCtx: ChartContext = { ...ctx, colors: pickColors(ctx.colors, drawn), legend: drawn.length > 1 };
  const panels = chosen.map((metric) => diffPanel(diffCtx, metric, diffs.filter((d) => d.metric === metric)));
  const title = `Difference from the control (${control})`;
  const level = Math.round(ctx.data.level * 100);
  const note = `${ctx.data.name} · ${ctx.data.replicas} replicas per arm · bars: ${level}% confidence interval of the difference`;
  const left = new Set(diffs.map((d) => d.metric)).size - chosen.length;
  return [
    {
      id: 'experiment-diffs',
      family: 'experiment',
      title,
      caption:
        `Arm minus control with its ${level}% interval: an interval clear of the solid zero line is a real difference; a dotted line is a guardrail limit, ⚠ marks an arm past it and ? one whose interval reaches past it.` +
        (left > 0 ? ` Guarded metrics, then those where the arms differ most clearly; the other ${left} are in the table.` : '') +
        (oracle === undefined ? '' : ` The oracle baseline (${oracle}) is left out: the failure sections measure the designs against it.`),
      spec: grid({ ...diffCtx, note }, title, panels, chosen.length > 4 ? 3 : 2),
    },
  ];
}

/**
 * Guarded metrics first (they decide launches), then the verdict families' metrics where some arm
 * differs most clearly from the control, drawn in report order: a fixed list would crowd out
 * exactly the metrics (coverage, never-shown share) where exploration changes things.
 */
function chosenMetrics(ctx: ChartContext, diffs: readonly ArmDiff[]): string[] {
  const withDiffs = Array.from(new Set(diffs.map((d) => d.metric)));
  const guarded = withDiffs.filter((m) => diffs.some((d) => d.metric === m && d.guardrail)).slice(0, MAX_PANELS);
  const candidates = VERDICT_METRICS.filter((m) => withDiffs.includes(m) && !guarded.includes(m));
  if (guarded.length === 0 && candidates.length === 0) return withDiffs.slice(0, MAX_PANELS);
  const strength = new Map(candidates.map((m) => [m, separation(ctx, diffs.filter((d) => d.metric === m))]));
  const clearest = new Set([...candidates].sort((a, b) => (strength.get(b) ?? 0) - (strength.get(a) ?? 0)).slice(0, MAX_PANELS - guarded.length));
  return [...guarded, ...candidates.filter((m) => clearest.has(m))];
}

/**
 * How clearly an arm differs on one metric: the largest |difference| in half-widths of its
 * interval, or, without intervals (one replica), relative to the control's mean.
 */
function separation(ctx: ChartContext, diffs: readonly ArmDiff[]): number {
  return Math.max(
    0,
    ...diffs.map((d) => {
      if (d.ci_low !== undefined && d.ci_high !== undefined) return Math.abs(d.diff) / Math.max((d.ci_high - d.ci_low) / 2, Number.MIN_VALUE);
      const control = ctx.data.summaries.find((s) => s.metric === d.metric && s.arm === ctx.data.control)?.mean;
      return control ? Math.abs(d.diff / control) : 0;
    }),
  );
}

/** The difference at which an arm breaches: worse than the control by the threshold. */
export function guardrailLimit(g: GuardrailFlag, controlMean: number | undefined): number | undefined {
  const scale = g.kind === 'relative' ? (controlMean === undefined ? undefined : Math.abs(controlMean)) : 1;
  if (scale === undefined) return undefined;
  return g.better === 'higher' ? -g.threshold * scale : g.threshold * scale;
}

function diffPanel(ctx: ChartContext, metric: string, diffs: readonly ArmDiff[]): Panel {
  const info = metricInfo(metric);
  const controlMean = ctx.data.summaries.find((s) => s.metric === metric && s.arm === ctx.data.control)?.mean;
  // A verdict is named in the arm's axis label, where it cannot collide with the interval.
  const label = (d: ArmDiff) => (d.guardrail?.status === 'breached' ? `${d.arm} ⚠ guardrail` : d.guardrail?.status === 'uncertain' ? `${d.arm} ? guardrail` : d.arm);
  const rows = diffs.map((d) => stripUndefined({ arm: d.arm, row: label(d), diff: d.diff, ci_low: d.ci_low, ci_high: d.ci_high, guardrail: d.guardrail?.status ?? 'none' }));
  const limits = diffs.flatMap((d) => {
    const limit = d.guardrail && guardrailLimit(d.guardrail, controlMean);
    return limit === undefined ? [] : [{ limit }];
  });
  const xTitle = `arm − control (${info.format === 'percent' ? 'percentage points' : info.unit})`;
  const fmt = tooltipFormat(metric);
  const limitLayers: Layer[] =
    limits.length === 0
      ? []
      : [
          {
            data: { values: limits },
            mark: { type: 'rule', color: NEUTRAL.reference, strokeDash: [2, 3], strokeWidth: 1.5 },
            encoding: { x: { field: 'limit', type: 'quantitative', title: xTitle } },
          },
        ];
  return intervalPanel(ctx, {
    title: info.label,
    subtitle: info.description,
    rows,
    field: 'diff',
    x: { title: xTitle, axis: info.format === 'percent' ? { format: '+~%' } : axisFormatProp(metric) },
    tooltip: [
      { field: 'arm', type: 'nominal', title: 'Arm' },
      { field: 'diff', type: 'quantitative', format: fmt, title: 'Arm − control' },
      { field: 'ci_low', type: 'quantitative', format: fmt, title: 'CI low' },
      { field: 'ci_high', type: 'quantitative', format: fmt, title: 'CI high' },
      { field: 'guardrail', type: 'nominal', title: 'Guardrail' },
    ],
    extraLayers: limitLayers,
  });
}

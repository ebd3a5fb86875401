/**
 * The summary table, shared by report.html and summary.md. A single run: start, end (means over
 * the first and last few measured epochs, trend.ts), change and mean per metric. An experiment: each arm's mean with its interval, each arm minus the control
 * with its interval, breached guardrails flagged.
 */
import { CHARTED_METRICS } from '../metrics/registry.js';
import { formatDiff, formatPlain, formatValue } from './format.js';
import { metricInfo, undefinedNote } from './metric-catalog.js';
import { armLabel } from './oracle.js';
import { trendOf, trendWindow } from './trend.js';
import type { GuardrailFlag, MeanInterval, ReportData } from './types.js';

export interface TableCell {
  readonly text: string;
  /** The text's pieces (value, interval, verdict) that a narrow page may put on lines of their own. */
  readonly parts?: readonly string[];
  readonly breach?: boolean;
}

export interface TableRow {
  readonly metric: string;
  readonly label: string;
  readonly cells: readonly TableCell[];
}

export interface SummaryTable {
  readonly header: readonly string[];
  readonly rows: readonly TableRow[];
  readonly notes: readonly string[];
}

/** Every charted metric, family by family (the metric registry's order). */
const HEADLINE_ORDER: readonly string[] = CHARTED_METRICS;
const PATTERN_ORDER = [/^ece_/, /^latency_/];
const SLICE = /_slice_/;

/** Metrics in table order: headline families, then calibration, latency, exploration, the rest. Slices are charted, not tabled. */
export function tableMetrics(metrics: readonly string[]): string[] {
  const rank = (m: string): number => {
    const h = HEADLINE_ORDER.indexOf(m);
    if (h >= 0) return h;
    const p = PATTERN_ORDER.findIndex((re) => re.test(m));
    return HEADLINE_ORDER.length + (p >= 0 ? p : PATTERN_ORDER.length);
  };
  return metrics
    .filter((m) => !SLICE.test(m))
    .map((m, i) => ({ m, i, r: rank(m) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.m);
}

export function summaryTable(data: ReportData): SummaryTable {
  if (data.kind === 'check') return checkTable(data);
  return data.kind === 'compare' ? compareTable(data) : data.kind === 'ope' ? opeTable(data) : data.kind === 'runs' ? runsTable(data) : runTable(data);
}

/** Overlaid runs: each run's mean over its epochs, side by side; runs that differ only in seed: their mean with its interval over seeds. */
function runsTable(data: ReportData): SummaryTable {
  const rows: TableRow[] = [];
  for (const metric of tableMetrics(data.metrics)) {
    const cells = data.arms.map((arm) => {
      const s = data.summaries.find((x) => x.metric === metric && x.arm === arm);
      return s ? cell(withInterval(formatValue(metric, s.mean), s.ci_low, s.ci_high, (v) => formatValue(metric, v))) : { text: '–' };
    });
    if (cells.some((c) => c.text !== '–')) rows.push({ metric, label: rowLabel(metric), cells });
  }
  const epochs = data.time.unit === 'round' ? 'metrics rows' : 'epochs';
  const pooled = data.replicas > 1;
  const notes = [
    pooled
      ? `Each cell: the mean over ${data.replicas} runs that differ only in seed of each run's mean over its ${epochs} [${Math.round(data.level * 100)}% confidence interval over seeds].`
      : `Each cell: one run's mean over its ${epochs}. One seed per run, so there are no intervals: a difference between runs may be noise; \`recloop compare\` with replicas gives intervals where it can hold the runs.`,
    ...data.notes,
  ];
  if (data.metrics.some((m) => SLICE.test(m))) notes.push('Per-slice metrics are in the slice charts.');
  return { header: ['Metric', ...data.arms.map((arm) => `${arm} (mean${pooled ? ` of ${data.replicas} seeds` : ''})`)], rows, notes };
}

function runTable(data: ReportData): SummaryTable {
  const arm = data.arms[0];
  const window = trendWindow(data);
  const rows: TableRow[] = [];
  const undefinedFor = new Map<string, string[]>();
  for (const metric of tableMetrics(data.metrics)) {
    const s = data.summaries.find((x) => x.metric === metric && x.arm === arm);
    const trend = trendOf(data.series.filter((p) => p.metric === metric && p.arm === arm), window);
    if (!s || !trend) continue;
    rows.push({
      metric,
      label: rowLabel(metric),
      cells: [
        { text: formatValue(metric, trend.start) },
        { text: formatValue(metric, trend.end) },
        { text: formatDiff(metric, trend.end - trend.start) },
        { text: formatValue(metric, s.mean) },
      ],
    });
    const note = undefinedNote(metric);
    if (note) undefinedFor.set(note, [...(undefinedFor.get(note) ?? []), metricInfo(metric).label]);
  }
  const unit = data.time.unit === 'round' ? 'row' : 'epoch';
  const notes = [
    'One run, no replicas: there are no confidence intervals, so treat small changes as noise. Shares are in %, their changes in percentage points (pp).',
    `Start and end: ${window.size === 1 ? `the first and last ${unit}` : `means over the first and last ${window.size} ${unit}s`} ${window.after > 0 ? `after the shaded start-up (${data.time.unit === 'round' ? 'rounds' : 'days'} ${trimDay(window.from)}–${trimDay(window.to)})` : 'of the run'}${window.size === 1 ? ` (too few ${unit}s to average several)` : `, so one noisy ${unit} does not set the change`}; the mean is over every ${unit}.`,
    ...data.notes,
    // One footnote per reason, naming every metric it applies to.
    ...Array.from(undefinedFor, ([note, labels]) => `${labels.length > 2 ? `${labels[0]} and ${labels.length - 1} more` : labels.join(' and ')}: ${note}; those ${unit}s are left out of start, end and mean.`),
  ];
  if (data.metrics.some((m) => SLICE.test(m))) notes.push('Per-slice metrics are in the slice charts.');
  const head = (end: 'first' | 'last'): string => (window.size === 1 ? `${end} measured ${unit}` : `mean of ${end} ${window.size} ${unit}s`);
  return { header: ['Metric', `Start (${head('first')})`, `End (${head('last')})`, 'Change', 'Mean over run'], rows, notes };
}

function trimDay(x: number): string {
  return String(Number(x.toFixed(2)));
}

function compareTable(data: ReportData): SummaryTable {
  const control = data.control ?? data.arms[0];
  const others = data.arms.filter((a) => a !== control);
  const level = Math.round(data.level * 100);
  const rows: TableRow[] = [];
  const verdicts: string[] = [];
  for (const metric of tableMetrics(data.metrics)) {
    const cells: TableCell[] = data.arms.map((arm) => {
      const s = data.summaries.find((x) => x.metric === metric && x.arm === arm);
      if (!s) return { text: '–' };
      return cell(withInterval(formatValue(metric, s.mean), s.ci_low, s.ci_high, (v) => formatValue(metric, v)));
    });
    for (const arm of others) {
      const d = data.diffs.find((x) => x.metric === metric && x.arm === arm);
      if (!d) {
        cells.push({ text: '–' });
        continue;
      }
      const status = d.guardrail?.status;
      const flag = status === 'breached' ? ['⚠ guardrail breached'] : status === 'uncertain' ? ['? guardrail uncertain'] : [];
      if (d.guardrail && status !== 'ok') verdicts.push(guardrailNote(metric, arm, d.guardrail));
      cells.push(cell([...withInterval(formatDiff(metric, d.diff), d.ci_low, d.ci_high, (v) => formatDiff(metric, v)), ...flag], status === 'breached'));
    }
    rows.push({ metric, label: rowLabel(metric), cells });
  }
  const guarded = data.diffs.some((d) => d.guardrail);
  const notes = [
    `Each cell: mean over ${data.replicas} replica${data.replicas === 1 ? '' : 's'}${data.replicas > 1 ? ` [${level}% confidence interval]` : ' (no interval with one replica)'}. Differences are arm − ${control} (the control); shares are in %, their differences in percentage points (pp).`,
    ...data.notes,
    ...(verdicts.length > 0 ? verdicts : guarded ? ['Every guardrail holds: no arm is worse than the control by more than its limit, interval included.'] : []),
  ];
  if (data.metrics.some((m) => SLICE.test(m))) notes.push('Per-slice metrics are in the slice charts.');
  return {
    header: ['Metric', ...data.arms.map((a) => (a === control ? `${a} (control)` : armLabel(data, a))), ...others.map((a) => `${a} − ${control}`)],
    rows,
    notes,
  };
}

/** OPE folders: one row per estimator. */
function opeTable(data: ReportData): SummaryTable {
  const ope = data.ope;
  if (!ope) return { header: [], rows: [], notes: [] };
  const level = Math.round(ope.level * 100);
  const num = (x: number) => formatPlain(x);
  const truth = ope.truth;
  const rows: TableRow[] = ope.estimates.map((e) => {
    const covers = truth ? truth.value >= e.ci_low && truth.value <= e.ci_high : undefined;
    return {
      metric: e.estimator,
      label: e.estimator,
      cells: [
        cell([num(e.estimate), `[${num(e.ci_low)}, ${num(e.ci_high)}]`]),
        { text: truth ? `${e.estimate - truth.value >= 0 ? '+' : '\u2212'}${num(Math.abs(e.estimate - truth.value))}` : '' },
        covers === undefined ? { text: '' } : { text: covers ? 'yes' : 'no ⚠', breach: !covers },
      ],
    };
  });
  if (truth) {
    rows.unshift({
      metric: 'truth',
      label: `truth (${ope.truthSource})`,
      cells: [cell(withInterval(num(truth.value), truth.ci_low, truth.ci_high, num)), { text: '' }, { text: '' }],
    });
  }
  return {
    header: ['Estimator', `Estimate [${level}% CI] (${ope.unit})`, 'Error vs truth', 'Interval covers truth'],
    rows,
    notes: [...data.notes, ...(truth ? ['An interval that misses the truth means the estimator is biased here or over-confident.'] : [])],
  };
}

/** A fitted world's check: one row per figure, the real log's value against the simulated logs'. */
function checkTable(data: ReportData): SummaryTable {
  const check = data.check;
  if (!check) return { header: [], rows: [], notes: [] };
  const level = Math.round(check.level * 100);
  const num = (x: number) => formatPlain(x);
  const signed = (x: number) => `${x >= 0 ? '+' : '\u2212'}${num(Math.abs(x))}`;
  const rows: TableRow[] = check.rows.map((r) => ({
    metric: r.figure,
    label: r.figure,
    cells: [
      cell(withInterval(num(r.real), r.real_low, r.real_high, num)),
      cell([num(r.simulated), `[${num(r.simulated_low)}, ${num(r.simulated_high)}]`]),
      cell([signed(r.gap), `[${signed(r.gap_low)}, ${signed(r.gap_high)}]`], !r.consistent),
      { text: r.consistent ? 'yes' : 'no ⚠', breach: !r.consistent },
    ],
  }));
  const e = check.exposure;
  const tvd = (x: MeanInterval) => [num(x.mean), `[${num(x.low)}, ${num(x.high)}]`];
  rows.push(
    { metric: 'exposure_tvd', label: 'item exposure: distance, simulated vs real', cells: [{ text: '' }, cell(tvd(e.tvd)), { text: '' }, { text: '' }] },
    { metric: 'exposure_tvd_reference', label: 'item exposure: distance, two resamples of real', cells: [{ text: '' }, cell(tvd(e.reference)), { text: '' }, { text: '' }] },
  );
  return {
    header: ['Figure', `Real [${level}% CI] (${check.unit})`, `Simulated [${level}% of seeds]`, 'Gap real − simulated', 'Consistent'],
    rows,
    notes: data.notes,
  };
}

/** The metric's name with its unit, unless the values (shares print as %) or the name already say it. */
function rowLabel(metric: string): string {
  const info = metricInfo(metric);
  const said = info.format === 'percent' || info.label.toLowerCase().includes(info.unit.toLowerCase());
  return said ? info.label : `${info.label} (${info.unit})`;
}

/** A value and, when there is one, its interval: separate parts, so the interval may wrap under the value. */
function withInterval(text: string, low: number | undefined, high: number | undefined, format: (x: number) => string): string[] {
  return low === undefined || high === undefined ? [text] : [text, `[${format(low)}, ${format(high)}]`];
}

function cell(parts: readonly string[], breach?: boolean): TableCell {
  return { text: parts.join(' '), parts, ...(breach === undefined ? {} : { breach }) };
}

function guardrailNote(metric: string, arm: string, g: GuardrailFlag): string {
  const limit = g.kind === 'relative' ? `${formatPlain(g.threshold * 100)}% of the control's mean` : formatValue(metric, g.threshold);
  const verdict = g.status === 'breached' ? '⚠ breached: the estimate is worse than the control by more than' : '? uncertain: the estimate is within the limit but its interval reaches past';
  return `${arm}, ${metricInfo(metric).label}: guardrail ${verdict} ${limit} (${g.better} is better).`;
}

/** What every chart builder needs besides its own columns: the data, arm colours, the honest subtitle. */
import { armColors, type ArmColors } from '../colors.js';
import type { ReportData, SeriesPoint } from '../types.js';

export interface ChartContext {
  readonly data: ReportData;
  readonly colors: ArmColors;
  /** Chart subtitle: which runs, and what the lines and bands mean. */
  readonly note: string;
  /** Bands only where replicas give an interval. */
  readonly bands: boolean;
  /** A one-arm report needs no colour legend. */
  readonly legend: boolean;
  /** Right end of every time axis: the last day (or round). */
  readonly maxTime: number;
  /** Points on the lines while epochs are few enough to see one by one. */
  readonly points: boolean;
  /** Series of one metric, in arm order. */
  series(metric: string): SeriesPoint[];
  has(metric: string): boolean;
}

const MAX_EPOCHS_WITH_POINTS = 40;

export function chartContext(data: ReportData): ChartContext {
  const byMetric = new Map<string, SeriesPoint[]>();
  for (const point of data.series) {
    const list = byMetric.get(point.metric) ?? [];
    list.push(point);
    byMetric.set(point.metric, list);
  }
  const bands = data.replicas > 1 && data.series.some((p) => p.ci_low !== undefined);
  const epochs = new Set(data.series.map((p) => p.epoch)).size;
  const note =
    data.kind === 'compare'
      ? `${data.name} · lines: mean of ${data.replicas} replica${data.replicas === 1 ? '' : 's'} per arm` +
        (bands ? ` · bands: ${Math.round(data.level * 100)}% confidence interval` : ' · no intervals with one replica')
      : data.kind === 'runs' && bands
        ? `${data.name} · ${data.arms[0]} · line: mean of ${data.replicas} seeds · band: ${Math.round(data.level * 100)}% confidence interval over seeds`
        : data.kind === 'runs'
        ? `${data.name} · a line per run, one seed each: small gaps and wiggles are noise, not effects`
        : `${data.name} · ${data.arms[0]} · one run, no replicas: small wiggles are noise, not effects`;
  return {
    data,
    colors: armColors(data.arms),
    note,
    bands,
    legend: data.arms.length > 1,
    maxTime: data.series.reduce((max, p) => Math.max(max, p.time), 0),
    points: epochs <= MAX_EPOCHS_WITH_POINTS,
    series: (metric) => byMetric.get(metric) ?? [],
    has: (metric) => (byMetric.get(metric)?.length ?? 0) > 0,
  };
}

/** What the coloured lines are: arms of an experiment, overlaid runs, or the one run's recommender (policy, for bandits). */
export function armTitle(ctx: ChartContext): string {
  return ctx.data.kind === 'compare' ? 'Arm' : ctx.data.kind === 'runs' ? 'Run' : ctx.data.time.unit === 'round' ? 'Policy' : 'Recommender';
}

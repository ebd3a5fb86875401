/**
 * Run folders of one scenario that differ only in their seed: one series, the mean over the runs
 * epoch by epoch with its 95% t interval over seeds (the experiment's own helper), instead of a
 * line per seed whose gaps a reader would take for effects.
 */
import { parse } from 'yaml';
import { meanInterval } from '../../experiment/stats.js';
import type { MetricSummary, ReportData, SeriesPoint } from '../types.js';

/** Whether the runs' resolved scenarios are the same but for the seed, and every seed differs. */
export function seedsOnly(runs: readonly ReportData[]): boolean {
  if (runs.length < 2) return false;
  const parsed = runs.map((run) => scenarioOf(run.scenarioYaml));
  const seeds = parsed.map((doc) => doc?.seed);
  const rest = parsed.map((doc) => (doc === undefined ? undefined : JSON.stringify({ ...doc, seed: null })));
  return rest.every((r) => r !== undefined && r === rest[0]) && seeds.every((s) => typeof s === 'number') && new Set(seeds).size === runs.length;
}

/** The runs' series and summaries pooled: per metric and epoch, the mean over the runs that have it, with its interval from two on. */
export function pooledSeeds(runs: readonly ReportData[], arm: string, level: number): { series: SeriesPoint[]; summaries: MetricSummary[] } {
  const byPoint = new Map<string, SeriesPoint[]>();
  for (const run of runs) {
    for (const point of run.series) {
      const key = `${point.metric}\u0000${point.epoch}`;
      byPoint.set(key, [...(byPoint.get(key) ?? []), point]);
    }
  }
  const series = Array.from(byPoint.values(), (points): SeriesPoint => {
    const { mean, ...bounds } = estimate(points.map((p) => p.value), level);
    return { ...points[0], arm, value: mean, ...bounds };
  });
  const metrics = Array.from(new Set(runs.flatMap((run) => run.metrics)));
  const summaries = metrics.flatMap((metric): MetricSummary[] => {
    const means = runs.flatMap((run) => run.summaries.filter((s) => s.metric === metric).map((s) => s.mean));
    return means.length === 0 ? [] : [{ metric, arm, ...estimate(means, level) }];
  });
  return { series, summaries };
}

function estimate(values: readonly number[], level: number): { mean: number; ci_low?: number; ci_high?: number } {
  const { estimate: mean, low, high } = meanInterval(values, level);
  return { mean, ...(low === null || high === null ? {} : { ci_low: low, ci_high: high }) };
}

function scenarioOf(yamlText: string | undefined): Record<string, unknown> | undefined {
  if (yamlText === undefined) return undefined;
  try {
    const doc: unknown = parse(yamlText);
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

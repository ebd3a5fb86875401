/**
 * A compare folder (comparison.json from `recloop compare`: arms × replica seeds) → ReportData:
 * per arm, the mean over replicas with its confidence interval, per epoch and over the run; each
 * arm's difference from the control; the guardrail verdicts.
 */
import { join } from 'node:path';
import { isDefined } from '../metric-catalog.js';
import { ORACLE_ROLE } from '../oracle.js';
import type { ArmDiff, ArmSlope, GuardrailFlag, MetricSummary, ReportData, SeriesPoint } from '../types.js';
import { calibrationSchema } from './calibration-schema.js';
import { comparisonSchema, type ComparisonFile } from './comparison-schema.js';
import { readJson, readOptionalJson, readOptionalText } from './read-files.js';
import { RUN_INPUTS } from './run-folder.js';
import { shadedPeriods } from './periods.js';
import { scenarioInfo } from './scenario-info.js';
import { hasServingStages } from './serving-stages.js';
import { readSweepGrid } from './sweep-grid.js';

export const COMPARISON_FILE = 'comparison.json';

export async function loadCompareFolder(dir: string): Promise<ReportData> {
  const file = await readJson(join(dir, COMPARISON_FILE), comparisonSchema);
  const [yamlText, calibration, grid] = await Promise.all([
    readOptionalText(dir, RUN_INPUTS.scenario),
    readOptionalJson(dir, RUN_INPUTS.calibration, calibrationSchema),
    readSweepGrid(dir),
  ]);
  const info = scenarioInfo(yamlText);
  // The control takes the first colour; the others keep the file's order.
  const arms = [file.control, ...file.arms.map((a) => a.name).filter((name) => name !== file.control)];
  const series: SeriesPoint[] = [];
  const summaries: MetricSummary[] = [];
  const diffs: ArmDiff[] = [];
  const oracleDiffs: ArmDiff[] = [];
  const slopes: ArmSlope[] = [];
  for (const [metric, entry] of Object.entries(file.metrics)) {
    for (const arm of arms) {
      const stats = entry.arms[arm];
      if (!stats) continue;
      if (stats.mean !== null) summaries.push({ metric, arm, mean: stats.mean, ...interval(stats.ci95) });
      const s = stats.series;
      s.day_end.forEach((time, epoch) => {
        const value = s.mean[epoch];
        // comparison.json writes null where a metric is undefined; files written before it did
        // hold 0 there, which the epoch and day still tell for some metrics.
        if (value === undefined || value === null || !isDefined(metric, { epoch, day_end: time })) return;
        const low = s.ci95_low[epoch];
        const high = s.ci95_high[epoch];
        series.push({ metric, arm, epoch, time, value, ...(low !== null && high !== null && low !== undefined && high !== undefined ? { ci_low: low, ci_high: high } : {}) });
      });
      if (stats.vs_control && arm !== file.control) {
        const guard = file.guardrails.find((g) => g.metric === metric && g.arm === arm);
        const guardrail: GuardrailFlag | undefined = guard && { kind: guard.kind, threshold: guard.threshold, better: guard.better, status: guard.status };
        const { diff, ci95, relative } = stats.vs_control;
        const crossing = s.crossing_day;
        diffs.push({
          metric,
          arm,
          diff,
          ...interval(ci95),
          ...(relative === null || relative === undefined ? {} : { relative }),
          ...(crossing === null || crossing === undefined ? {} : { crossingDay: crossing }),
          guardrail,
        });
      }
      const vsOracle = stats.vs_oracle;
      if (vsOracle) oracleDiffs.push({ metric, arm, diff: vsOracle.diff, ...interval(vsOracle.ci95), ...(vsOracle.relative === null || vsOracle.relative === undefined ? {} : { relative: vsOracle.relative }) });
      const slope = stats.slope_per_day;
      if (slope) slopes.push({ metric, arm, slope: slope.mean, ...interval(slope.ci95) });
    }
  }
  const days = series.reduce((max, p) => Math.max(max, p.time), 0);
  const replicas = file.seeds.length;
  return {
    kind: 'compare',
    dir,
    name: file.scenario,
    description: info.description,
    scenarioYaml: yamlText,
    arms,
    control: file.control,
    replicas,
    level: file.confidence,
    time: { unit: 'day', title: 'Simulated day' },
    metrics: Object.keys(file.metrics),
    series,
    summaries,
    diffs,
    ...(file.oracle === undefined ? {} : { oracle: file.oracle }),
    oracleDiffs,
    slopes,
    calibration,
    ...(grid === undefined ? {} : { sweep: { ...grid, ...(info.frontier === undefined ? {} : { frontier: info.frontier }) } }),
    latencyBudgetMs: info.latencyBudgetMs,
    servingStages: hasServingStages(file.arms.map((a) => a.kind ?? info.recommenderKind)),
    periods: shadedPeriods(info.randomStartupDays, file.measure_from),
    references: {},
    facts: [
      { label: 'Arms', value: arms.map((arm) => `${arm} (${roleOf(file, arm)})`).join(', ') },
      { label: 'Design', value: (file.design ?? 'unknown').replace(/_/g, ' ') },
      { label: 'Replicas per arm', value: `${replicas} (seeds ${file.seeds.join(', ')})` },
      { label: 'Intervals', value: `${Math.round(file.confidence * 100)}% confidence over replicas${file.difference ? `, ${file.difference} differences` : ''}` },
      { label: 'Simulated days', value: days > 0 ? String(days) : 'unknown' },
    ],
    notes: [
      ...(file.measure_from ? [`Means and differences count only epochs that end after day ${file.measure_from} (the experiment's measure_from); the charts show every epoch.`] : []),
      ...(file.guardrails_unavailable.length > 0 ? [`⚠ Guardrails not checked, because no arm reported the metric: ${file.guardrails_unavailable.join(', ')}.`] : []),
    ],
  };
}

function interval(range: readonly [number, number] | null): { ci_low?: number; ci_high?: number } {
  return range === null ? {} : { ci_low: range[0], ci_high: range[1] };
}

function roleOf(file: ComparisonFile, arm: string): string {
  if (arm === file.oracle) return ORACLE_ROLE;
  return file.arms.find((a) => a.name === arm)?.role ?? 'arm';
}

/**
 * A single run folder → ReportData: one arm (named after the recommender, or the bandit policy),
 * per-epoch values from metrics.jsonl joined with timings.jsonl by epoch, no intervals (one run
 * has no replicas). Bandit runs write one row per chunk of rounds (a `round` column, no epoch);
 * their x axis counts rounds.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { epochMean, isBookkeeping, isDefined } from '../../metrics/registry.js';
import type { MetricReference, MetricSummary, ReportData, ReportFact, SeriesPoint, TimeAxis } from '../types.js';
import { calibrationSchema } from './calibration-schema.js';
import { readJsonl, readOptionalJson, readOptionalText, ReportInputError, type NumericRow } from './read-files.js';
import { shadedPeriods } from './periods.js';
import { scenarioInfo } from './scenario-info.js';
import { hasServingStages } from './serving-stages.js';

/** File names inside a run folder (the names RUN_FILES gives, plus the optional calibration table). */
export const RUN_INPUTS = {
  scenario: 'scenario.resolved.yaml',
  metrics: 'metrics.jsonl',
  timings: 'timings.jsonl',
  summary: 'summary.json',
  runInfo: 'run.json',
  calibration: 'calibration.json',
} as const;

const DAYS: TimeAxis = { unit: 'day', title: 'Simulated day' };
const ROUNDS: TimeAxis = { unit: 'round', title: 'Round' };

const summarySchema = z.object({
  scenario: z.string().optional(),
  recommender: z.string().optional(),
  policy: z.string().optional(),
  world: z.string().optional(),
  seed: z.number().optional(),
  days: z.number().optional(),
  rounds: z.number().optional(),
  arms: z.number().optional(),
  lai_robbins: z.object({ constant: z.number(), stationary: z.boolean() }).optional(),
});
const runInfoSchema = z.object({ wall_seconds: z.number().optional() });

export async function loadRunFolder(dir: string): Promise<ReportData> {
  const metricRows = await readJsonl(join(dir, RUN_INPUTS.metrics));
  if (metricRows.length === 0) throw new ReportInputError(`${join(dir, RUN_INPUTS.metrics)}: no rows yet`);
  const bandit = metricRows[0].epoch === undefined && metricRows[0].round !== undefined;
  const timingsFile = join(dir, RUN_INPUTS.timings);
  const timingRows = existsSync(timingsFile) ? await readJsonl(timingsFile) : [];
  const rows: NumericRow[] = bandit ? metricRows.map((row, i) => ({ ...row, epoch: i })) : joinByEpoch(metricRows, timingRows);
  const [yamlText, summary, runInfo, calibration] = await Promise.all([
    readOptionalText(dir, RUN_INPUTS.scenario),
    readOptionalJson(dir, RUN_INPUTS.summary, summarySchema),
    readOptionalJson(dir, RUN_INPUTS.runInfo, runInfoSchema),
    readOptionalJson(dir, RUN_INPUTS.calibration, calibrationSchema),
  ]);
  const info = scenarioInfo(yamlText);
  const arm = summary?.recommender ?? summary?.policy ?? 'run';
  const metrics = columnsOf(rows);
  const timeOf = (row: NumericRow): number => (bandit ? row.round : (row.day_end ?? row.epoch + 1));
  const series: SeriesPoint[] = [];
  for (const row of rows) {
    for (const metric of metrics) {
      const value = row[metric];
      if (value === undefined || !isDefined(metric, row)) continue;
      series.push({ metric, arm, epoch: row.epoch, time: timeOf(row), value });
    }
  }
  const last = rows[rows.length - 1];
  const facts: ReportFact[] = [
    { label: bandit ? 'Policy' : 'Recommender', value: arm },
    { label: 'Seed', value: summary?.seed === undefined ? 'unknown' : String(summary.seed) },
    bandit
      ? { label: 'Rounds', value: (summary?.rounds ?? timeOf(last)).toLocaleString('en-US') }
      : { label: 'Simulated days', value: String(summary?.days ?? timeOf(last)) },
    { label: bandit ? 'Metrics rows' : 'Epochs', value: String(rows.length) },
    { label: 'Replicas', value: '1 (a single run: no confidence intervals)' },
  ];
  if (bandit && summary?.arms !== undefined) facts.splice(1, 0, { label: 'Arms', value: String(summary.arms) });
  if (runInfo?.wall_seconds !== undefined) facts.push({ label: 'Wall time', value: `${runInfo.wall_seconds.toFixed(1)} s` });
  const references: Record<string, MetricReference> = {};
  if (summary?.lai_robbins?.stationary) references.regret_over_log_round = { value: summary.lai_robbins.constant, label: 'Lai–Robbins constant' };
  return {
    kind: 'run',
    dir,
    name: summary?.scenario ?? info.name ?? 'run',
    description: info.description,
    scenarioYaml: yamlText,
    arms: [arm],
    replicas: 1,
    level: 0.95,
    time: bandit ? ROUNDS : DAYS,
    metrics,
    series,
    summaries: summarize(metrics, arm, rows),
    diffs: [],
    oracleDiffs: [],
    slopes: [],
    calibration,
    latencyBudgetMs: info.latencyBudgetMs,
    servingStages: hasServingStages([info.recommenderKind]),
    periods: bandit ? [] : shadedPeriods(info.randomStartupDays, undefined),
    references,
    facts,
    notes: [],
  };
}

/** Metrics rows with each epoch's timing figures added (timings never override metrics). */
function joinByEpoch(metricRows: readonly NumericRow[], timingRows: readonly NumericRow[]): NumericRow[] {
  const timings = new Map(timingRows.map((row) => [row.epoch, row]));
  return metricRows.filter((row) => row.epoch !== undefined).map((row) => ({ ...timings.get(row.epoch), ...row }));
}

function columnsOf(rows: readonly NumericRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!isBookkeeping(key)) seen.add(key);
  return Array.from(seen);
}

/** The registry's epochMean, as in summary.json (start and end of the trend are read from the series, trend.ts). */
function summarize(metrics: readonly string[], arm: string, rows: readonly NumericRow[]): MetricSummary[] {
  const out: MetricSummary[] = [];
  for (const metric of metrics) {
    const mean = epochMean(metric, rows);
    if (mean !== undefined) out.push({ metric, arm, mean });
  }
  return out;
}

/**
 * One mean over epochs: the run summary, the comparison of an experiment and the report (of the
 * run folder and of the compare folder) all read the registry's epochMean, so over the same
 * rows they give the same figure for every metric, with epochs where a metric is undefined left
 * out (never averaged in as the 0 the metric writes there). The console tables print such a
 * figure as –.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../src/experiment/run-experiment.js';
import { formatComparison } from '../src/experiment/table.js';
import { epochMean, isDefined, UNDEFINED_MARK } from '../src/metrics/index.js';
import { loadCompareFolder } from '../src/report/data/compare-folder.js';
import { loadRunFolder } from '../src/report/data/run-folder.js';
import { summarize, type MetricsRow } from '../src/run/summary.js';
import { parseScenario } from '../src/scenario/index.js';
import { tempDir } from './support/scenarios.js';

/** Four days, so 7-day retention is undefined throughout; greedy popularity shows new items only in the random start-up. */
const WORLD = `name: epoch-mean
seed: 5
horizon: { days: 4 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: 200, signups_per_day: 20 }
  items: { count: 250, uploads_per_day: 30, creators: 25 }
recommender:
  kind: popularity
  slate_size: 5
  window: 2d
  random_startup: 1d
logs: { impressions: false }
`;
const EXPERIMENT = `${WORLD}experiment:
  control: greedy
  arms:
    greedy: {}
    explore: { exploration: { policy: epsilon_greedy, epsilon: 0.2, over: catalog } }
`;

describe('the mean over epochs', () => {
  it('is the same in the run summary, the comparison and both reports, leaving undefined epochs out', async () => {
    const scenario = parseScenario(EXPERIMENT, 'compare.yaml');
    const experiment = await runExperiment(scenario, { outDir: join(tempDir(), 'compare'), workers: 0 });
    // The control arm's own run folder (arms/<arm>/seed-<n>/metrics.jsonl), summarized as a run is.
    const armDir = join(experiment.dir, 'arms', 'greedy', `seed-${scenario.seed}`);
    const rows = readFileSync(join(armDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as MetricsRow);
    const run = { rows, summary: summarize(scenario, 'popularity', rows) };
    const runReport = await loadRunFolder(armDir);
    const compareReport = await loadCompareFolder(experiment.dir);
    const reportMean = (data: typeof runReport, arm: string, metric: string): number | null =>
      data.summaries.find((s) => s.metric === metric && s.arm === arm)?.mean ?? null;

    const metrics = Object.keys(run.summary.mean);
    expect(metrics.length).toBeGreaterThan(20);
    for (const metric of metrics) {
      const summary = run.summary.mean[metric];
      expect(experiment.comparison.metrics[metric].arms.greedy.mean, metric).toBe(summary);
      expect(reportMean(runReport, 'run', metric), metric).toBe(summary);
      expect(reportMean(compareReport, 'greedy', metric), metric).toBe(summary);
    }

    // The cases that used to disagree: a first epoch without a return rate, a metric undefined throughout.
    expect(isDefined('return_rate', rows[0])).toBe(false);
    expect(rows[0].return_rate).toBe(0);
    const later = rows.slice(1).map((r) => r.return_rate);
    expect(run.summary.mean.return_rate).toBeCloseTo(later.reduce((s, x) => s + x, 0) / later.length, 12);
    expect(run.summary.mean.return_rate).toBeGreaterThan(rows.reduce((s, r) => s + r.return_rate, 0) / rows.length);
    expect(run.summary.mean.retention_7d).toBeNull();
    expect(experiment.comparison.metrics.retention_7d.arms.greedy).toMatchObject({ mean: null, ci95: null, vs_control: null });
    expect(epochMean('ctr', rows)).toBe(run.summary.mean.ctr);
  });

  it('gives an arm that never shows a new item no time to first impression, not "0 days", and the table prints –', async () => {
    const scenario = parseScenario(`${EXPERIMENT}  measure_from: 1d\n`, 'compare.yaml');
    const experiment = await runExperiment(scenario, { outDir: join(tempDir(), 'compare'), workers: 0 });
    const { arms } = experiment.comparison.metrics.time_to_first_impression_median;
    // Greedy popularity shows new items only in the random start-up (epoch 0), which is not measured.
    expect(arms.greedy.series.mean.slice(1)).toEqual([null, null, null]);
    expect(arms.greedy.series.mean[0]).toBeGreaterThan(0);
    expect(arms.greedy).toMatchObject({ mean: null, replicas: [null] });
    expect(arms.explore.mean).toBeGreaterThan(0);
    expect(arms.explore.vs_control).toBeNull();

    const lines = formatComparison(experiment.comparison, ['time_to_first_impression_median']).split('\n');
    const cells = (line: string | undefined) => line?.trim().split(/\s{2,}/);
    const at = lines.findIndex((l) => l.startsWith('time_to_first_impression_median'));
    expect(cells(lines[at])).toEqual(['time_to_first_impression_median', 'greedy', UNDEFINED_MARK, '-', '(control)']);
    expect(cells(lines[at + 1])?.[0]).toBe('explore');
    expect(Number(cells(lines[at + 1])?.[1])).toBeGreaterThan(0);
    expect(cells(lines[at + 1])?.[3]).toBe(UNDEFINED_MARK);
  });
});

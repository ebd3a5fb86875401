/**
 * The sentence each failure's section opens with, on hand-made experiment and run data: which arm
 * is named and in which direction, shares in points and other figures relative to the control,
 * no claim where the interval includes 0, the crossing day, metrics a run lacks, and a single
 * run's trend read from means over the first and last measured epochs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAILURES, type Failure } from '../src/report/failures.js';
import { loadReportData, summaryMarkdown } from '../src/report/index.js';
import { failureSentence } from '../src/report/sentences/index.js';
import type { ArmDiff, MetricSummary, ReportData, SeriesPoint } from '../src/report/types.js';
import { comparisonFile, handMadeCompare, writeSyntheticCompare } from './support/report-fixtures.js';
import { tempDir } from './support/scenarios.js';

const failure = (id: string): Failure => {
  const found = FAILURES.find((f) => f.id === id);
  if (!found) throw new Error(id);
  return found;
};
const FILTER_BUBBLES = failure('filter-bubbles');
const COLD_START = failure('cold-start');
const SHORT_LONG = failure('short-long');

const BASE: ReportData = handMadeCompare(['greedy', 'eps', 'thompson'], 5);

interface ArmFigure {
  readonly mean: number;
  /** Half-width of the difference's interval; undefined: no interval (one replica). */
  readonly half?: number;
  readonly crossingDay?: number;
}

/** An experiment where each metric has the control's mean and each treatment arm's mean and interval. */
function experiment(metrics: Record<string, { readonly control: number } & Partial<Record<'eps' | 'thompson', ArmFigure>>>): ReportData {
  const summaries: MetricSummary[] = [];
  const diffs: ArmDiff[] = [];
  for (const [metric, figures] of Object.entries(metrics)) {
    summaries.push({ metric, arm: 'greedy', mean: figures.control });
    for (const arm of ['eps', 'thompson'] as const) {
      const f = figures[arm];
      if (!f) continue;
      const diff = f.mean - figures.control;
      summaries.push({ metric, arm, mean: f.mean });
      diffs.push({
        metric,
        arm,
        diff,
        ...(f.half === undefined ? {} : { ci_low: diff - f.half, ci_high: diff + f.half }),
        ...(f.crossingDay === undefined ? {} : { crossingDay: f.crossingDay }),
      });
    }
  }
  return { ...BASE, metrics: Object.keys(metrics), summaries, diffs };
}

describe("an experiment's sentence", () => {
  it('names the arm that differs most clearly, with points for shares and the cost in CTR', () => {
    const data = experiment({
      // eps differs by more, but thompson's interval is far tighter: thompson is the clearer difference.
      new_items_never_shown_share: { control: 0.25, eps: { mean: 0.1, half: 0.14 }, thompson: { mean: 0.12, half: 0.02 } },
      ctr: { control: 0.084, eps: { mean: 0.083, half: 0.01 }, thompson: { mean: 0.081, half: 0.001 } },
    });
    expect(failureSentence(data, COLD_START)).toBe('Against greedy, thompson\'s new items never shown was 13 points lower (12% against 25%), and its click-through rate 0.3 points lower (8.1% against 8.4%).');
  });

  it('says relative changes for figures that are not shares, and multiples from twice on', () => {
    const up = experiment({ topic_entropy_impressions: { control: 3.2, thompson: { mean: 3.6, half: 0.1 } }, ctr: { control: 0.08, thompson: { mean: 0.08, half: 0.002 } } });
    expect(failureSentence(up, FILTER_BUBBLES)).toBe("Against greedy, thompson's topic entropy of what users see was 13% higher (3.6 against 3.2 bits), with no measurable difference in click-through rate.");
    const twice = experiment({ time_to_first_impression_median: { control: 0.5, eps: { mean: 1.05, half: 0.2 } } });
    expect(failureSentence(twice, COLD_START)).toBe("Against greedy, eps's time to first impression was 2.1× as high (1.05 against 0.5 days).");
  });

  it('claims nothing whose interval includes 0, however large the estimate', () => {
    const data = experiment({
      topic_entropy_impressions: { control: 3.2, eps: { mean: 2.2, half: 1.1 }, thompson: { mean: 3.0, half: 0.3 } },
      catalog_coverage: { control: 0.3, thompson: { mean: 0.5, half: 0.21 } },
      impression_gini: { control: 0.6, thompson: { mean: 0.61, half: 0.05 } },
    });
    expect(failureSentence(data, FILTER_BUBBLES)).toBe('No arm differed measurably from greedy on topic entropy of what users see, catalog coverage or 1 more measure: every 95% interval includes 0.');
    // A later key metric that does differ is told instead.
    const later = experiment({ topic_entropy_impressions: { control: 3.2, eps: { mean: 2.2, half: 1.1 } }, impression_gini: { control: 0.6, eps: { mean: 0.42, half: 0.05 } } });
    expect(failureSentence(later, FILTER_BUBBLES)).toBe("Against greedy, eps's impression concentration was 30% lower (0.42 against 0.6 Gini).");
  });

  it('says there are no intervals with one replica', () => {
    const data = { ...experiment({ return_rate: { control: 0.3, eps: { mean: 0.36 } } }), replicas: 1 };
    expect(failureSentence(data, SHORT_LONG)).toBe('No arm differed measurably from greedy on return rate: with one replica there are no intervals to tell.');
  });

  it('weighs the long-term gain against the short-term loss and gives the crossing day', () => {
    const data = experiment({
      ctr: { control: 0.1, eps: { mean: 0.0986, half: 0.0005 } },
      return_rate: { control: 0.3, eps: { mean: 0.363, half: 0.01, crossingDay: 6 } },
    });
    expect(failureSentence(data, SHORT_LONG)).toBe(
      "Against greedy, eps's return rate was 6.3 points higher (36.3% against 30%), and its click-through rate 0.14 points lower (9.86% against 10%); its return rate line crossed above greedy's from day 6.",
    );
  });

  it('leaves out metrics the data lacks, and has no sentence without any key metric', () => {
    const data = experiment({ retention_7d: { control: 0.8, thompson: { mean: 0.7, half: 0.02 } } });
    expect(failureSentence(data, SHORT_LONG)).toBe("Against greedy, thompson's 7-day retention was 10 points lower (70% against 80%).");
    expect(failureSentence(data, FILTER_BUBBLES)).toBeUndefined();
  });

  it('reads the crossing day from comparison.json, and summary.md opens with a section per failure', async () => {
    const dir = writeSyntheticCompare(join(tempDir(), 'compare'));
    const file = comparisonFile();
    const thompson = file.metrics.mean_true_satisfaction.arms.thompson;
    (file.metrics.mean_true_satisfaction.arms as Record<string, typeof thompson>).thompson = { ...thompson, series: { ...thompson.series, crossing_day: 4 } };
    writeFileSync(join(dir, 'comparison.json'), JSON.stringify(file));
    const data = await loadReportData(dir);
    expect(data.diffs.find((d) => d.metric === 'mean_true_satisfaction' && d.arm === 'thompson')?.crossingDay).toBe(4);
    const md = summaryMarkdown(data);
    expect(md).toMatch(/## Short-term against long-term\n\nAgainst greedy, thompson's true satisfaction per click was [\d.]+% lower \(.*\), and its click-through rate [\d.]+ points higher \(.*\); its true satisfaction per click line crossed below greedy's from day 4\.\n/);
    expect(md).toContain('## Filter bubbles\n\nAgainst greedy, thompson');
    expect(md.indexOf('## Cold start')).toBeLessThan(md.indexOf('## Summary table'));
  });
});

/** A single run: per metric, one value per epoch (epoch e ends on day e + 1). */
function run(values: Record<string, readonly number[]>, startupDays = 0): ReportData {
  const series: SeriesPoint[] = Object.entries(values).flatMap(([metric, list]) => list.map((value, epoch) => ({ metric, arm: 'popularity', epoch, time: epoch + 1, value })));
  return { ...BASE, kind: 'run', arms: ['popularity'], control: undefined, replicas: 1, metrics: Object.keys(values), series, periods: startupDays > 0 ? [{ from: 0, to: startupDays, label: 'random start-up' }] : [] };
}

describe("a single run's sentence", () => {
  it('reads the trend from means over the first and last three measured epochs, leaving out the start-up', () => {
    // Day 1 is start-up (entropy 5, left out); days 2–10 measured: first three 4.0, 3.9, 3.8, last three 3.2, 3.1, 3.0.
    const entropy = [5, 4.0, 3.9, 3.8, 3.6, 3.5, 3.4, 3.2, 3.1, 3.0];
    const p10 = [4, 3.5, 3.4, 3.3, 3.0, 2.9, 2.8, 2.6, 2.5, 2.4];
    expect(failureSentence(run({ topic_entropy_impressions: entropy, user_topic_entropy_p10: p10 }, 1), FILTER_BUBBLES)).toBe(
      'Topic entropy of what users see fell from 3.9 to 3.1 bits; topic entropy of what users see, narrowest tenth fell from 3.4 to 2.5 bits (days 1–10, means of the first and last 3 epochs).',
    );
  });

  it('puts the short-term metric beside the long-term one, shares in %, and says "held at" when the rounded figure does not move', () => {
    const data = run({ ctr: [0.1, 0.1, 0.11, 0.12, 0.12, 0.13], return_rate: [0.4, 0.4, 0.4, 0.4, 0.4, 0.4] });
    expect(failureSentence(data, SHORT_LONG)).toBe('Click-through rate rose from 10% to 12.5%; return rate held at 40% (days 0–6, means of the first and last 2 epochs).');
  });

  it('has no sentence for a failure whose metrics the run lacks (a bandit run has no diversity)', () => {
    expect(failureSentence(run({ cumulative_regret: [1, 2, 3] }), FILTER_BUBBLES)).toBeUndefined();
    expect(failureSentence(run({ new_items_never_shown_share: [0.1, 0.2, 0.3] }), COLD_START)).toBe('New items never shown rose from 10% to 30% (days 0–3, first against last measured epoch).');
  });
});

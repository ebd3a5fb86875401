/**
 * The sentence each failure's section opens with, on hand-made experiment and run data: which arm
 * is named and in which direction, shares in points and other figures relative to the control,
 * no claim where the interval includes 0, the crossing day, metrics a run lacks, and a single
 * run's trend read from means over the first and last measured epochs; an experiment's trends per
 * day and its designs against the oracle baseline, which is never named as the clearest difference.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORACLE_RELATIVE_METRICS, TREND_METRICS } from '../src/experiment/table.js';
import { FAILURES, type Failure } from '../src/report/failures.js';
import { loadReportData, summaryMarkdown } from '../src/report/index.js';
import { failureSentence } from '../src/report/sentences/index.js';
import type { ArmDiff, ArmSlope, MetricSummary, ReportData, SeriesPoint } from '../src/report/types.js';
import { comparisonFile, handMadeCompare, writeOracleCompare, writeSyntheticCompare } from './support/report-fixtures.js';
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
    // Names with commas of their own are parted by semicolons.
    const commas = experiment({
      topic_entropy_impressions: { control: 3.2, eps: { mean: 2.2, half: 1.1 } },
      user_topic_entropy_p10: { control: 2.1, eps: { mean: 2.0, half: 0.3 } },
      catalog_coverage: { control: 0.3, eps: { mean: 0.5, half: 0.21 } },
    });
    expect(failureSentence(commas, FILTER_BUBBLES)).toBe(
      'No arm differed measurably from greedy on topic entropy of what users see; topic entropy of what users see, narrowest tenth; or 1 more measure: every 95% interval includes 0.',
    );
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

describe("an experiment's trend per day", () => {
  /** Slopes of recommended popularity per arm: [slope, CI low, CI high], or [slope] without an interval. */
  function slopes(figures: Record<string, readonly number[]>, oracle?: string): ReportData {
    const list: ArmSlope[] = Object.entries(figures).map(([arm, [slope, low, high]]) => ({ metric: 'recommended_popularity', arm, slope, ...(low === undefined || high === undefined ? {} : { ci_low: low, ci_high: high }) }));
    const arms = [...BASE.arms, ...(oracle === undefined ? [] : [oracle])];
    return { ...BASE, arms, ...(oracle === undefined ? {} : { oracle }), metrics: ['recommended_popularity'], slopes: list };
  }

  it('tells a rise and a fall in percentile points a day with their intervals, and an interval that includes 0 as no measurable trend', () => {
    const data = slopes({ greedy: [0.008, 0.003, 0.013], eps: [-0.002, -0.0031, -0.0009], thompson: [0.004, -0.001, 0.009] });
    expect(failureSentence(data, FILTER_BUBBLES)).toBe(
      'Under greedy, the popularity of what is shown rose 0.8 percentile points a day (95% CI 0.3 to 1.3); under eps it fell 0.2 (95% CI 0.09 to 0.31); under thompson it had no measurable trend (the 95% interval includes 0).',
    );
    // The slope is told only in its failure's section.
    expect(failureSentence(data, COLD_START)).toBeUndefined();
  });

  it('opens with the first arm whose trend is measurable, and groups the arms without one', () => {
    const data = slopes({ greedy: [0.001, -0.002, 0.004], eps: [-0.01, -0.012, -0.008], thompson: [0.002, -0.001, 0.005] });
    expect(failureSentence(data, FILTER_BUBBLES)).toBe(
      'Under eps, the popularity of what is shown fell 1 percentile point a day (95% CI 0.8 to 1.2); under greedy and thompson it had no measurable trend (each 95% interval includes 0).',
    );
  });

  it('says no arm has a measurable trend when every interval includes 0, however steep the estimate, and leaves the oracle baseline out', () => {
    // The oracle's rise is measurable, but it is a reference, not a design.
    const data = slopes({ greedy: [0.05, -0.01, 0.11], eps: [-0.002, -0.004, 0.0001], thompson: [0, -0.001, 0.001], oracle: [0.02, 0.01, 0.03] }, 'oracle');
    expect(failureSentence(data, FILTER_BUBBLES)).toBe('The popularity of what is shown had no measurable trend under any arm: every 95% interval of its slope per day includes 0.');
  });

  it('claims no trend with one replica', () => {
    const data = { ...slopes({ greedy: [0.008], eps: [0.002] }), replicas: 1 };
    expect(failureSentence(data, FILTER_BUBBLES)).toBe('With one replica there is no interval to tell whether the popularity of what is shown rose or fell.');
  });

  it('tells the slopes comparison.json prints (TREND_METRICS) and no others', () => {
    expect(FAILURES.flatMap((f) => f.slopes)).toEqual([...TREND_METRICS]);
  });
});

describe('an experiment against its oracle baseline', () => {
  const ARMS_WITH_ORACLE = [...BASE.arms, 'oracle'];

  /** Per metric: each arm's mean and, for the designs, the half-width of the interval of its difference from the oracle. */
  function againstOracle(metric: string, oracleMean: number, arms: Record<string, { readonly mean: number; readonly half?: number }>): ReportData {
    const summaries: MetricSummary[] = [{ metric, arm: 'oracle', mean: oracleMean }, ...Object.entries(arms).map(([arm, f]) => ({ metric, arm, mean: f.mean }))];
    const oracleDiffs: ArmDiff[] = Object.entries(arms).map(([arm, f]) => {
      const diff = f.mean - oracleMean;
      return { metric, arm, diff, relative: diff / oracleMean, ...(f.half === undefined ? {} : { ci_low: diff - f.half, ci_high: diff + f.half }) };
    });
    return { ...BASE, arms: ARMS_WITH_ORACLE, oracle: 'oracle', metrics: [metric], summaries, oracleDiffs };
  }

  it("gives each design's gap from the oracle where its interval excludes 0, and names the others as not differing", () => {
    const data = againstOracle('homogenization', 0.05, { greedy: { mean: 0.067, half: 0.01 }, eps: { mean: 0.056, half: 0.01 }, thompson: { mean: 0.04, half: 0.005 } });
    expect(failureSentence(data, FILTER_BUBBLES)).toBe(
      "Against the oracle baseline (oracle, 0.05 Jaccard), greedy's homogenization was 34% higher (0.067) and thompson's 20% lower (0.04); eps's did not differ measurably.",
    );
  });

  it("says so when no design's interval excludes 0, in the failure whose metric it is", () => {
    const data = againstOracle('mean_true_satisfaction', 0.7, { greedy: { mean: 0.6, half: 0.2 }, eps: { mean: 0.65, half: 0.3 } });
    expect(failureSentence(data, SHORT_LONG)).toBe('No arm\'s true satisfaction per click differed measurably from the oracle baseline (oracle, 0.7 true utility): every 95% interval includes 0.');
    expect(failureSentence(data, FILTER_BUBBLES)).toBeUndefined();
    expect(failureSentence({ ...againstOracle('mean_true_satisfaction', 0.7, { greedy: { mean: 0.6 } }), replicas: 1 }, SHORT_LONG)).toBe(
      "With one replica there is no interval to tell how far the arms' true satisfaction per click was from the oracle baseline (oracle, 0.7 true utility).",
    );
  });

  it('never names the oracle baseline as the clearest difference from the control', () => {
    // The oracle differs by far the most, with the tightest interval; eps is the design that differs.
    const diffs: ArmDiff[] = [
      { metric: 'new_items_never_shown_share', arm: 'eps', diff: -0.1, ci_low: -0.15, ci_high: -0.05 },
      { metric: 'new_items_never_shown_share', arm: 'oracle', diff: -0.2, ci_low: -0.201, ci_high: -0.199 },
    ];
    const summaries: MetricSummary[] = [
      { metric: 'new_items_never_shown_share', arm: 'greedy', mean: 0.3 },
      { metric: 'new_items_never_shown_share', arm: 'eps', mean: 0.2 },
      { metric: 'new_items_never_shown_share', arm: 'oracle', mean: 0.1 },
    ];
    const data: ReportData = { ...BASE, arms: ARMS_WITH_ORACLE, oracle: 'oracle', metrics: ['new_items_never_shown_share'], summaries, diffs };
    expect(failureSentence(data, COLD_START)).toBe("Against greedy, eps's new items never shown was 10 points lower (20% against 30%).");
    // Only the oracle differs: no design does.
    const onlyOracle: ReportData = { ...data, diffs: [{ ...diffs[0], ci_low: -0.2, ci_high: 0.01 }, diffs[1]] };
    expect(failureSentence(onlyOracle, COLD_START)).toBe('No arm differed measurably from greedy on new items never shown: every 95% interval includes 0.');
    // Without an oracle arm, the same arm is a design and is named.
    expect(failureSentence({ ...onlyOracle, oracle: undefined }, COLD_START)).toBe("Against greedy, oracle's new items never shown was 20 points lower (10% against 30%).");
  });

  it('reads against the oracle the metrics compare prints that way (ORACLE_RELATIVE_METRICS)', () => {
    expect(FAILURES.flatMap((f) => f.againstOracle).sort()).toEqual([...ORACLE_RELATIVE_METRICS].sort());
  });

  it('reads slopes, vs_oracle and the oracle arm from comparison.json, and summary.md says them and names the oracle baseline', async () => {
    const data = await loadReportData(writeOracleCompare(join(tempDir(), 'oracle-compare')));
    expect(data.oracle).toBe('oracle');
    expect(data.slopes.find((s) => s.metric === 'recommended_popularity' && s.arm === 'eps_0.05')).toEqual({ metric: 'recommended_popularity', arm: 'eps_0.05', slope: -0.002, ci_low: -0.003, ci_high: -0.001 });
    expect(data.oracleDiffs.filter((d) => d.metric === 'homogenization').map((d) => d.arm)).toEqual(['greedy', 'eps_0.05', 'thompson']);
    const md = summaryMarkdown(data);
    expect(md).toContain(
      'Under greedy, the popularity of what is shown rose 0.8 percentile points a day (95% CI 0.3 to 1.3); under eps_0.05 it fell 0.2 (95% CI 0.1 to 0.3); under thompson it had no measurable trend (the 95% interval includes 0). Against the oracle baseline (oracle, 0.02 Jaccard), greedy\'s homogenization was 43% higher (0.0285),',
    );
    expect(md).toContain("No arm's true satisfaction per click differed measurably from the oracle baseline (oracle, 0.6 true utility): every 95% interval includes 0.\n");
    // The fixture's oracle differs from greedy ten times as much as thompson: still thompson is named.
    expect(md).toMatch(/## Filter bubbles\n\nAgainst greedy, thompson's /);
    expect(md).toContain('oracle (oracle baseline)');
    expect(md).toContain('| Metric | greedy (control) | eps_0.05 | thompson | oracle (oracle baseline) |');
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

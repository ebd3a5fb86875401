/**
 * Statistics of experiments on data whose answers are worked out by hand: t quantiles against
 * the printed table, the t interval of a mean, paired against Welch differences, guardrail
 * verdicts, and the comparison of arms built from per-epoch rows.
 */
import { describe, expect, it } from 'vitest';
import { resolveExperiment } from '../src/experiment/arms.js';
import { compareArms } from '../src/experiment/comparison.js';
import { evaluateGuardrail, type GuardrailSpec } from '../src/experiment/guardrails.js';
import { meanInterval, pairedDifference, tCdf, tQuantile, welchDifference, type Interval } from '../src/experiment/stats.js';
import type { MetricsRow } from '../src/run/summary.js';
import { parseScenario } from '../src/scenario/index.js';

describe('Student t', () => {
  it('matches the printed table of two-sided 95% and 99% critical values', () => {
    const table: [number, number, number][] = [
      [1, 12.7062, 63.6567],
      [2, 4.3027, 9.9248],
      [4, 2.7764, 4.6041],
      [7, 2.3646, 3.4995],
      [9, 2.2622, 3.2498],
      [29, 2.0452, 2.7564],
      [120, 1.9799, 2.6174],
    ];
    for (const [df, q975, q995] of table) {
      expect(tQuantile(0.975, df)).toBeCloseTo(q975, 4);
      expect(tQuantile(0.995, df)).toBeCloseTo(q995, 4);
    }
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.7764, 4);
  });

  it('has a CDF that inverts its quantile, also at fractional degrees of freedom (Welch)', () => {
    for (const df of [1.3, 3.53, 17.2]) {
      for (const p of [0.6, 0.9, 0.975, 0.999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 10);
    }
    expect(tCdf(0, 5)).toBeCloseTo(0.5, 12);
  });
});

describe('intervals', () => {
  it('gives mean ± t(0.975, n−1)·s/√n for a mean (hand-computed)', () => {
    // mean 5, s² = 32/7, se = √(32/56) = 0.755929, t(0.975, 7) = 2.364624 → half width 1.787489.
    const ci = meanInterval([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(ci.estimate).toBe(5);
    expect(ci.df).toBe(7);
    expect(ci.se).toBeCloseTo(0.755929, 6);
    expect(ci.low).toBeCloseTo(3.212511, 5);
    expect(ci.high).toBeCloseTo(6.787489, 5);
  });

  it('has no interval with a single replica', () => {
    expect(meanInterval([3])).toEqual({ estimate: 3, low: null, high: null, se: null, df: null, n: 1 });
    expect(welchDifference([3], [1, 2]).low).toBeNull();
  });

  it('pairs by replica: a steady difference under large shared noise is found by pairing, not by Welch', () => {
    const control = [1, 2, 3, 4, 5];
    const treatment = [1.11, 2.09, 3.1, 4.12, 5.08];
    // Differences .11 .09 .10 .12 .08: mean 0.1, s = 0.0158114, se = 0.00707107, t(0.975, 4) = 2.776445.
    const paired = pairedDifference(treatment, control);
    expect(paired.estimate).toBeCloseTo(0.1, 12);
    expect(paired.low).toBeCloseTo(0.1 - 0.0196324, 6);
    expect(paired.high).toBeCloseTo(0.1 + 0.0196324, 6);
    const welch = welchDifference(treatment, control);
    expect(welch.estimate).toBeCloseTo(0.1, 12);
    expect(welch.low as number).toBeLessThan(0);
    expect(welch.high as number).toBeGreaterThan(0);
    expect((paired.high as number) - (paired.low as number)).toBeLessThan(((welch.high as number) - (welch.low as number)) / 50);
  });

  it("gives Welch's se and Welch–Satterthwaite degrees of freedom (hand-computed)", () => {
    // a = 2.5/5 = 0.5, b = 4/3; se = √(11/6) = 1.354006; df = (11/6)² / (0.25/4 + (16/9)/2) = 3.532847.
    const d = welchDifference([1, 2, 3, 4, 5], [2, 4, 6]);
    expect(d.estimate).toBe(-1);
    expect(d.se).toBeCloseTo(1.354006, 6);
    expect(d.df).toBeCloseTo(3.532847, 6);
    const half = tQuantile(0.975, d.df as number) * (d.se as number);
    expect(d.low).toBeCloseTo(-1 - half, 12);
    expect(half).toBeGreaterThan(tQuantile(0.975, 6) * (d.se as number));
  });
});

describe('guardrails', () => {
  const ctr: GuardrailSpec = { metric: 'ctr', kind: 'relative', threshold: 0.05, better: 'higher' };
  const gini: GuardrailSpec = { metric: 'impression_gini', kind: 'absolute', threshold: 0.02, better: 'lower' };
  const diff = (estimate: number, low: number, high: number): Interval => ({ estimate, low, high, se: 1, df: 4, n: 5 });

  it('flags a worsening beyond the threshold, and says when a breach cannot be ruled out', () => {
    // Control CTR 0.2: −0.02 is 10% worse; −0.005 is 2.5% worse but its interval reaches 7.5%.
    const breached = evaluateGuardrail(ctr, 'b', diff(-0.02, -0.025, -0.015), 0.2);
    expect(breached).toMatchObject({ status: 'breached', flagged: true });
    expect(breached.worsening).toBeCloseTo(0.1, 12);
    expect(breached.worst_case).toBeCloseTo(0.125, 12);
    expect(evaluateGuardrail(ctr, 'b', diff(-0.005, -0.015, 0.005), 0.2)).toMatchObject({ status: 'uncertain', flagged: false });
    expect(evaluateGuardrail(ctr, 'b', diff(-0.002, -0.006, 0.002), 0.2)).toMatchObject({ status: 'ok', flagged: false });
    expect(evaluateGuardrail(ctr, 'b', diff(0.03, 0.02, 0.04), 0.2).worsening).toBeCloseTo(-0.15, 12);
  });

  it('turns the difference by direction for lower-is-better metrics, in absolute units', () => {
    expect(evaluateGuardrail(gini, 'b', diff(0.03, 0.025, 0.035), 0.5)).toMatchObject({ status: 'breached', worsening: 0.03 });
    expect(evaluateGuardrail(gini, 'b', diff(-0.3, -0.32, -0.28), 0.5)).toMatchObject({ status: 'ok', worsening: 0.3 * -1 });
    const single: Interval = { estimate: 0.01, low: null, high: null, se: null, df: null, n: 1 };
    expect(evaluateGuardrail(gini, 'b', single, 0.5)).toMatchObject({ status: 'uncertain', worst_case: null });
  });
});

describe('comparing arms from per-epoch rows', () => {
  const scenario = (design: string, extra = ''): ReturnType<typeof parseScenario> =>
    parseScenario(
      `name: t\nhorizon: { days: 2 }\nrecommender: { kind: popularity }\nreplicas: 3\nexperiment:\n  design: ${design}\n  control: a\n  arms: { a: {}, b: {${extra}} }\n  guardrails: { ctr: 0.05 }\n`,
      't.yaml',
    );
  const row = (epoch: number, ctr: number, clicks: number, share = 1): MetricsRow => ({ epoch, day_start: epoch, day_end: epoch + 1, ctr, clicks, user_share: share });

  it('averages epochs per replica, pairs replicas by seed in twin worlds and flags the guardrail', () => {
    const experiment = resolveExperiment(scenario('twin_worlds'));
    const a = [0.2, 0.3, 0.25].map((ctr) => [row(0, ctr - 0.01, 10), row(1, ctr + 0.01, 10)]);
    const b = [0.18, 0.27, 0.225].map((ctr) => [row(0, ctr, 10), row(1, ctr, 10)]);
    const result = compareArms({ scenario: 't', experiment, seeds: [1, 2, 3], rows: new Map([['a', a], ['b', b]]) });
    const ctr = result.metrics.ctr;
    expect(ctr.better).toBe('higher');
    expect(ctr.arms.a.replicas).toEqual([0.2, 0.3, 0.25].map((x) => expect.closeTo(x, 12)));
    expect(ctr.arms.a.mean).toBeCloseTo(0.25, 12);
    // b is exactly 10% below a in every replica: paired differences −0.02, −0.03, −0.025.
    const diff = ctr.arms.b.vs_control;
    expect(diff?.diff).toBeCloseTo(-0.025, 12);
    expect(diff?.relative).toBeCloseTo(-0.1, 12);
    const half = tQuantile(0.975, 2) * Math.sqrt(0.000025 / 3);
    expect(diff?.ci95?.[0]).toBeCloseTo(-0.025 - half, 10);
    expect(ctr.arms.b.series.mean).toEqual([expect.closeTo(0.225, 12), expect.closeTo(0.225, 12)]);
    expect(ctr.arms.a.series.diff).toBeUndefined();
    expect(result.difference).toBe('paired');
    expect(result.guardrails).toEqual([expect.objectContaining({ metric: 'ctr', arm: 'b', status: 'breached', flagged: true })]);
  });

  it('uses Welch in a user split and puts counts on a full-traffic footing by each arm’s share of users', () => {
    const experiment = resolveExperiment(scenario('user_split', ' traffic: 0.1 '));
    expect(experiment.arms.map((arm) => arm.traffic)).toEqual([expect.closeTo(0.9, 12), 0.1]);
    const a = [0, 1, 2].map((r) => [row(0, 0.2, 900 + r, 0.9), row(1, 0.2, 900 + r, 0.9)]);
    const b = [0, 1, 2].map((r) => [row(0, 0.2, 100 + r, 0.1), row(1, 0.2, 100 + r, 0.1)]);
    const result = compareArms({ scenario: 't', experiment, seeds: [1, 2, 3], rows: new Map([['a', a], ['b', b]]) });
    expect(result.difference).toBe('welch');
    expect(result.metrics.clicks.per_full_traffic).toBe(true);
    expect(result.metrics.ctr.per_full_traffic).toBe(false);
    expect(result.metrics.clicks.arms.a.mean).toBeCloseTo(901 / 0.9, 9);
    expect(result.metrics.clicks.arms.b.mean).toBeCloseTo(1010, 9);
    expect(result.metrics.clicks.arms.b.vs_control?.df).toBeCloseTo(welchDifference([1000, 1010, 1020], [1000, 1001.1111, 1002.2222]).df as number, 3);
  });

  it('leaves burn-in epochs out of each replica’s figure (measure_from)', () => {
    const text = `name: t\nhorizon: { days: 2 }\nrecommender: { kind: popularity }\nexperiment: { control: a, arms: { a: {} }, measure_from: 1d }\n`;
    const experiment = resolveExperiment(parseScenario(text, 't.yaml'));
    const result = compareArms({ scenario: 't', experiment, seeds: [1], rows: new Map([['a', [[row(0, 0.9, 1), row(1, 0.1, 1)]]]]) });
    expect(result.metrics.ctr.arms.a.mean).toBe(0.1);
    expect(result.metrics.ctr.arms.a.ci95).toBeNull();
    expect(result.metrics.ctr.arms.a.series.mean).toEqual([0.9, 0.1]);
  });
});

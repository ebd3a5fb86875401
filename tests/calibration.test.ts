import { describe, expect, it } from 'vitest';
import { auc } from '../src/recommender/ranking/auc.js';
import { expectedCalibrationError, IsotonicCalibrator, PlattCalibrator, sigmoid } from '../src/recommender/ranking/calibration.js';
import { crossFittedEce } from '../src/recommender/ranking/calibrators.js';
import { Rng } from '../src/rng/index.js';

/** Scores that are a distortion of the true logit, and labels drawn from the true probability. */
function sample(n: number, seed: string, distort: (trueLogit: number) => number): { logits: Float64Array; labels: Float64Array; truth: Float64Array } {
  const rng = new Rng(seed);
  const logits = new Float64Array(n);
  const labels = new Float64Array(n);
  const truth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = rng.normal(-1, 1.2);
    truth[i] = sigmoid(z);
    logits[i] = distort(z);
    labels[i] = rng.bernoulli(truth[i]) ? 1 : 0;
  }
  return { logits, labels, truth };
}

const overconfident = (z: number): number => 2.5 * z + 1;
/** A distortion no sigmoid of an affine map can undo: only isotonic regression straightens it. */
const bent = (z: number): number => (z < -1 ? 0.3 * z : 3 * (z + 1) - 0.3);

describe('expected calibration error', () => {
  it('matches a hand computation with 10 equal-width bins', () => {
    // bin 0: p .05, y 0 → .05; bin 1: mean p .135, mean y .5 → .365 on 2 rows; bin 9: p .95, y 1 → .05.
    const ece = expectedCalibrationError([0.05, 0.15, 0.12, 0.95], [0, 1, 0, 1]);
    expect(ece).toBeCloseTo((0.05 + 2 * 0.365 + 0.05) / 4, 12);
  });

  it('puts a prediction of exactly 1 in the last bin, and is 0 when rates match predictions', () => {
    expect(expectedCalibrationError([1, 1], [1, 1])).toBe(0);
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0])).toBe(0);
    expect(expectedCalibrationError([], [])).toBe(0);
  });

  it('works on soft labels as fractional positives', () => {
    expect(expectedCalibrationError([0.3, 0.3], [0.2, 0.4])).toBeCloseTo(0, 12);
  });
});

describe('Platt scaling', () => {
  it('recovers the inverse of an affine distortion and lowers ECE on fresh data', () => {
    const train = sample(20_000, 'platt-train', overconfident);
    const test = sample(20_000, 'platt-test', overconfident);
    const platt = PlattCalibrator.fit(train.logits, train.labels);
    // logit = 2.5 z + 1 → z = 0.4 logit − 0.4
    expect(platt.a).toBeCloseTo(0.4, 1);
    expect(platt.b).toBeCloseTo(-0.4, 1);
    const raw = expectedCalibrationError(Array.from(test.logits, sigmoid), test.labels);
    const calibrated = expectedCalibrationError(Array.from(test.logits, (z) => platt.apply(z)), test.labels);
    expect(raw).toBeGreaterThan(0.05);
    expect(calibrated).toBeLessThan(0.015);
    expect(calibrated).toBeLessThan(raw / 4);
  });

  it('keeps the ranking (AUC unchanged) and handles all-zero labels', () => {
    const train = sample(2_000, 'platt-auc', overconfident);
    const platt = PlattCalibrator.fit(train.logits, train.labels);
    const calibrated = Array.from(train.logits, (z) => platt.apply(z));
    expect(auc(calibrated, train.labels)).toBeCloseTo(auc(train.logits, train.labels), 12);
    const none = PlattCalibrator.fit([0.1, 0.5, 2], [0, 0, 0]);
    expect(none.apply(0.5)).toBeLessThan(0.05);
  });
});

describe('isotonic regression', () => {
  it('lowers ECE on fresh data where Platt scaling cannot (a bent distortion)', () => {
    const train = sample(20_000, 'iso-train', bent);
    const test = sample(20_000, 'iso-test', bent);
    const iso = IsotonicCalibrator.fit(train.logits, train.labels);
    const platt = PlattCalibrator.fit(train.logits, train.labels);
    const raw = expectedCalibrationError(Array.from(test.logits, sigmoid), test.labels);
    const isoEce = expectedCalibrationError(Array.from(test.logits, (z) => iso.apply(z)), test.labels);
    const plattEce = expectedCalibrationError(Array.from(test.logits, (z) => platt.apply(z)), test.labels);
    expect(raw).toBeGreaterThan(0.05);
    expect(isoEce).toBeLessThan(0.015);
    expect(isoEce).toBeLessThan(plattEce);
  });

  it('is monotone and continuous between blocks, flat beyond them', () => {
    const train = sample(5_000, 'iso-mono', bent);
    const iso = IsotonicCalibrator.fit(train.logits, train.labels);
    expect(iso.x.length).toBeGreaterThan(5);
    let previous = -Infinity;
    for (let z = -12; z <= 12; z += 0.01) {
      const p = iso.apply(z);
      expect(p).toBeGreaterThanOrEqual(previous);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      previous = p;
    }
    for (let k = 1; k < iso.x.length; k++) expect(iso.x[k]).toBeGreaterThan(iso.x[k - 1]);
    expect(iso.apply(-1e9)).toBe(iso.y[0]);
    expect(iso.apply(1e9)).toBe(iso.y[iso.y.length - 1]);
  });

  it('interpolates between the block centres either side of the logit, wherever the lookup grid puts them (crowded and sparse centres, logits on a centre)', () => {
    const rng = new Rng('iso-grid');
    // 300 centres crowded into [0, 0.01] beside a few spread to 50: many centres share a grid cell, and many cells hold none.
    const x = Float64Array.from([...Array.from({ length: 300 }, (_, k) => k * 3.3e-5), 0.5, 2, 7.25, 30, 50]);
    const y = Float64Array.from(x, (_, k) => k / x.length);
    const iso = new IsotonicCalibrator(x, y);
    // Interpolation from a linear scan: the last centre at or below the logit.
    const reference = (z: number): number => {
      if (!(z > x[0])) return y[0];
      if (z >= x[x.length - 1]) return y[y.length - 1];
      let lo = 0;
      while (x[lo + 1] <= z) lo++;
      return y[lo] + ((z - x[lo]) / (x[lo + 1] - x[lo])) * (y[lo + 1] - y[lo]);
    };
    const logits = [...Array.from({ length: 5_000 }, () => rng.uniform(-1, 51)), ...Array.from({ length: 5_000 }, () => rng.uniform(0, 0.011)), ...x, ...Array.from(x, (c) => c - 1e-12), ...Array.from(x, (c) => c + 1e-12)];
    for (const z of logits) expect(iso.apply(z)).toBe(reference(z));
  });

  it('pools adjacent violators on a hand case, giving tied scores one value', () => {
    // Sorted by score: labels 1, 0, 0, 1 at scores 1, 2, 2, 3 → blocks {1,2,2} mean 1/3, {3} mean 1.
    const iso = IsotonicCalibrator.fit([2, 1, 3, 2], [0, 1, 1, 0], 1);
    expect(Array.from(iso.y)).toEqual([1 / 3, 1]);
    expect(Array.from(iso.x)).toEqual([5 / 3, 3]);
    expect(iso.apply(1)).toBeCloseTo(1 / 3, 12);
    expect(iso.apply(2.5)).toBeCloseTo(1 / 3 + ((2.5 - 5 / 3) / (3 - 5 / 3)) * (2 / 3), 12);
  });

  it('keeps every block at least minBlock rows, so noise in the tails is pooled away', () => {
    const { logits, labels } = sample(5_000, 'iso-min', overconfident);
    const plain = IsotonicCalibrator.fit(logits, labels, 1);
    const pooled = IsotonicCalibrator.fit(logits, labels); // default: 1% of the rows
    expect(pooled.x.length).toBeLessThan(plain.x.length);
    expect(Math.min(...pooled.rows)).toBeGreaterThanOrEqual(50);
    expect(pooled.rows.reduce((a, b) => a + b, 0)).toBe(5_000);
    expect(Math.min(...plain.rows)).toBeLessThan(50);
    for (let k = 1; k < pooled.y.length; k++) expect(pooled.y[k]).toBeGreaterThan(pooled.y[k - 1]);
  });
});

describe('cross-fitted ECE', () => {
  it('is below the raw ECE for both calibrators, and above an in-sample isotonic fit', () => {
    const { logits, labels } = sample(6_000, 'cross', overconfident);
    const raw = expectedCalibrationError(Array.from(logits, sigmoid), labels);
    const iso = IsotonicCalibrator.fit(logits, labels);
    const inSample = expectedCalibrationError(Array.from(logits, (z) => iso.apply(z)), labels);
    for (const kind of ['platt', 'isotonic'] as const) expect(crossFittedEce(kind, logits, labels)).toBeLessThan(raw / 3);
    expect(crossFittedEce('isotonic', logits, labels)).toBeGreaterThan(inSample);
    expect(crossFittedEce('none', logits, labels)).toBeCloseTo(raw, 12);
  });
});

describe('AUC', () => {
  it('counts ties as one half and soft labels as fractional positives', () => {
    expect(auc([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1])).toBe(1);
    expect(auc([0.4, 0.3, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
    // One row worth 0.5 positive and 0.5 negative above a sure negative and below a sure positive.
    expect(auc([0, 1, 2], [0, 0.5, 1])).toBe(1);
    expect(auc([1, 1], [1, 1])).toBe(0.5);
  });
});

/**
 * Calibration's arithmetic on inputs small enough to work out by hand: the reliability table and
 * the ECE behind it, pool-adjacent-violators and its interpolation, Platt scaling's fit on soft
 * labels whose optimum is known, and the fold assignment of cross-fitting. Platt's Newton steps,
 * backtracking and stopping rule are checked against the same iteration carried out in 50-digit
 * arithmetic (mpmath), and its optimum against the root of the ridge-penalised gradient.
 */
import { describe, expect, it } from 'vitest';
import { IdentityCalibrator, expectedCalibrationError, IsotonicCalibrator, PlattCalibrator, reliabilityBins, sigmoid } from '../src/recommender/ranking/calibration.js';
import { crossFittedEce, crossFittedPredictions, fitCalibrator } from '../src/recommender/ranking/calibrators.js';

const P = [0.05, 0.15, 0.12, 0.95, 1];
const Y = [0, 1, 0, 1, 1];

describe('calibration mechanics', () => {
  it('sigmoid is exact at 0, symmetric, and finite at extreme logits', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
    expect(sigmoid(1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(sigmoid(-1)).toBeCloseTo(1 / (1 + Math.exp(1)), 15);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(-720)).toBe(Math.exp(-720)); // e^z / (1 + e^z) keeps a subnormal tail that 1 / (1 + e^−z) loses
    expect(sigmoid(800)).toBe(1);
  });

  it('bins predictions into equal-width bins, a prediction of 1 in the last, empty bins left out', () => {
    const bins = reliabilityBins(P, Y);
    expect(bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.1, 1],
      [0.1, 0.2, 2],
      [0.9, 1, 2],
    ]);
    expect(bins[0].predicted).toBeCloseTo(0.05, 12);
    expect(bins[0].observed).toBe(0);
    expect(bins[1].predicted).toBeCloseTo(0.135, 12);
    expect(bins[1].observed).toBe(0.5);
    expect(bins[2].predicted).toBeCloseTo(0.975, 12);
    expect(bins[2].observed).toBe(1);
    expect(reliabilityBins([0.3, 0.8], [1, 0], 2).map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0, 0.5, 1],
      [0.5, 1, 1],
    ]);
  });

  it('ECE is the count-weighted gap of those bins', () => {
    // |0 − 0.05| + |1 − 0.27| + |2 − 1.95|, over 5 rows.
    expect(expectedCalibrationError(P, Y)).toBeCloseTo(0.83 / 5, 12);
    // Two bins: [0.05, 0.15, 0.12] with one positive, [0.95, 1] with two.
    expect(expectedCalibrationError(P, Y, 2)).toBeCloseTo((Math.abs(1 - 0.32) + Math.abs(2 - 1.95)) / 5, 12);
    expect(expectedCalibrationError([], [])).toBe(0);
    expect(expectedCalibrationError([-0.5, 1.5], [0, 1])).toBeCloseTo(0.5, 12); // clamped into the end bins: (0.5 + 0.5) / 2
  });

  it('refuses scores and labels of different lengths', () => {
    expect(() => expectedCalibrationError([0.1], [])).toThrow(/differ in length \(1 vs 0\)/);
    expect(() => reliabilityBins([0.1], [1, 0])).toThrow(RangeError);
    expect(() => PlattCalibrator.fit([0.1], [])).toThrow(RangeError);
    expect(() => IsotonicCalibrator.fit([0.1], [])).toThrow(RangeError);
    expect(() => crossFittedPredictions('platt', [0.1], [])).toThrow(RangeError);
    expect(() => new IsotonicCalibrator(Float64Array.of(0, 1), Float64Array.of(0))).toThrow(/same length/);
  });

  it('isotonic regression pools adjacent violators and interpolates between block centres', () => {
    const fit = IsotonicCalibrator.fit([0, 1, 2, 3], [0, 1, 0, 1], 1);
    expect(Array.from(fit.x)).toEqual([0, 1.5, 3]);
    expect(Array.from(fit.y)).toEqual([0, 0.5, 1]);
    expect(fit.rows).toEqual([1, 2, 1]);
    expect(fit.apply(-1)).toBe(0);
    expect(fit.apply(0)).toBe(0);
    expect(fit.apply(0.75)).toBeCloseTo(0.25, 12);
    expect(fit.apply(1.5)).toBe(0.5);
    expect(fit.apply(2.25)).toBeCloseTo(0.75, 12);
    expect(fit.apply(3)).toBe(1);
    expect(fit.apply(9)).toBe(1);
    expect(fit.apply(Number.NaN)).toBe(0);
  });

  it('isotonic regression keeps equal logits in one block, merges equal means, and pools small blocks', () => {
    const ties = IsotonicCalibrator.fit([2, 1, 1], [1, 0, 1], 1);
    expect(Array.from(ties.x)).toEqual([1, 2]);
    expect(Array.from(ties.y)).toEqual([0.5, 1]);
    const equalMeans = IsotonicCalibrator.fit([0, 1, 2], [1, 1, 1], 1);
    expect(Array.from(equalMeans.y)).toEqual([1]);
    // The default block size on 10 rows is all 10 rows: one block at the mean label.
    const small = IsotonicCalibrator.fit([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(small.y)).toEqual([0.5]);
    expect(small.rows).toEqual([10]);
    // A last block below the minimum joins its neighbour.
    const tail = IsotonicCalibrator.fit([0, 1, 2, 3, 4], [0, 0, 1, 1, 1], 2);
    expect(tail.rows).toEqual([2, 3]);
    const empty = IsotonicCalibrator.fit([], []);
    expect(empty.apply(3)).toBe(0.5);
    // Fewer rows than minBlock: still one block, the mean label.
    const few = IsotonicCalibrator.fit([0, 1], [0, 1], 5);
    expect([Array.from(few.x), Array.from(few.y), few.rows]).toEqual([[0.5], [0.5], [2]]);
  });

  it('isotonic apply returns a block value exactly at its centre, not an interpolation that rounds', () => {
    // 1/3 + (5/6 − 1/3) is not 5/6 in floating point.
    const three = new IsotonicCalibrator(Float64Array.of(0, 1, 2), Float64Array.of(1 / 3, 5 / 6, 1));
    expect(three.apply(1)).toBe(5 / 6);
    const two = new IsotonicCalibrator(Float64Array.of(0, 1), Float64Array.of(1 / 3, 5 / 6));
    expect(two.apply(1)).toBe(5 / 6);
    expect(two.rows).toEqual([]);
  });

  it('Platt scaling recovers the known optimum of soft labels and stays finite on separable ones', () => {
    const z = Array.from({ length: 41 }, (_, i) => -4 + i * 0.2);
    const fit = PlattCalibrator.fit(z, z.map((v) => sigmoid(2 * v - 1)));
    expect(fit.a).toBeCloseTo(2, 3);
    expect(fit.b).toBeCloseTo(-1, 3);
    expect(fit.apply(0.5)).toBeCloseTo(0.5, 3);
    const none = PlattCalibrator.fit([], []);
    expect([none.a, none.b]).toEqual([1, 0]);
    const separable = PlattCalibrator.fit([-1, 0, 1], [1, 1, 1]);
    expect(Number.isFinite(separable.a) && Number.isFinite(separable.b)).toBe(true);
    expect(separable.apply(0)).toBeGreaterThan(0.99);
  });

  // References: the same iteration in 50-digit arithmetic (mpmath): from (1, 0), Newton steps on the
  // log loss plus the ridge 1e−6·n/2·((a − 1)² + b²), halving a step until the loss does not rise
  // (down to 1e−6), stopping once an accepted step improves the loss by less than 1e−10·n.
  it('Platt: one and two full Newton steps, and the optimum, on four hard labels', () => {
    const z = [-2, -0.5, 1, 3];
    const y = [0, 1, 0, 1];
    const one = PlattCalibrator.fit(z, y, 1);
    expect(one.a).toBeCloseTo(0.389808744518477692, 13);
    expect(one.b).toBeCloseTo(-0.305156808475141906, 13);
    const two = PlattCalibrator.fit(z, y, 2);
    expect(two.a).toBeCloseTo(0.569730045247651909, 13);
    expect(two.b).toBeCloseTo(-0.218108197354761063, 13);
    // Five steps; the root of the penalised gradient is a = 0.595987672944617586, b = −0.206646294213919421.
    const fit = PlattCalibrator.fit(z, y);
    expect(fit.a).toBeCloseTo(0.595987672944617586, 12);
    expect(fit.b).toBeCloseTo(-0.206646294213919421, 12);
  });

  it('Platt: from saturated logits the first steps backtrack (by 2^−11, then 2^−14)', () => {
    // Near-saturated sigmoids cost digits here: agreement to 1e−10, not 1e−13.
    const z = [-10, 12];
    const y = [0.8, 0.3];
    const one = PlattCalibrator.fit(z, y, 1);
    expect(one.a).toBeCloseTo(-1.81027482148273402, 9);
    expect(one.b).toBeCloseTo(-19.0462923971835779, 9);
    const two = PlattCalibrator.fit(z, y, 2);
    expect(two.a).toBeCloseTo(0.184054967208924532, 9);
    expect(two.b).toBeCloseTo(0.897055832341010151, 9);
    const fit = PlattCalibrator.fit(z, y); // the root: a = −0.101526827056792887, b = 0.371022934985604484
    expect(fit.a).toBeCloseTo(-0.101526827056792887, 9);
    expect(fit.b).toBeCloseTo(0.371022934985604484, 9);
  });

  it('Platt: separable labels stop where a step improves the loss by less than 1e−10·n', () => {
    // Thirteen steps; the last improves the loss by 2.85e−10 < 3e−10. The ridge's optimum
    // (a = 0.116625846791739159, b = 11.3875106072235907) is 8e−6 further.
    const fit = PlattCalibrator.fit([-1, 0, 1], [1, 1, 1]);
    expect(fit.a).toBeCloseTo(0.116617722051897236, 9);
    expect(fit.b).toBeCloseTo(11.3875031636814697, 9);
  });

  it('Platt: logits far past the sigmoid’s range leave the fit at (1, 0) when no step lowers the loss', () => {
    // The Hessian there is the ridge alone, so the Newton step is ~5e8 long and every step down to
    // 2^−20 of it raises the loss.
    const fit = PlattCalibrator.fit([-800, 800], [0.7, 0.4]);
    expect([fit.a, fit.b]).toEqual([1, 0]);
  });

  it('fitCalibrator builds the kind it is asked for', () => {
    expect(fitCalibrator('none', [0], [1]).apply(0)).toBe(0.5);
    expect(fitCalibrator('none', [0], [1]).kind).toBe('none');
    expect(new IdentityCalibrator().kind).toBe('none');
    expect(fitCalibrator('platt', [0], [1]).kind).toBe('platt');
    expect(fitCalibrator('isotonic', [0], [1]).kind).toBe('isotonic');
  });

  it('cross-fitting predicts each row with a fit on the other folds (row i in fold i mod K)', () => {
    const z = [0, 1, 2, 3, 4, 5];
    const y = [0, 0, 1, 0, 1, 1];
    const got = crossFittedPredictions('isotonic', z, y, 2);
    const even = fitCalibrator('isotonic', [1, 3, 5], [0, 0, 1]);
    const odd = fitCalibrator('isotonic', [0, 2, 4], [0, 1, 1]);
    expect(Array.from(got)).toEqual(z.map((v, i) => (i % 2 === 0 ? even : odd).apply(v)));
    expect(crossFittedEce('isotonic', z, y, 2)).toBe(expectedCalibrationError(got, y));
    // Fewer rows than folds: the model's own sigmoid. As many rows as folds: each row's fit is on the others.
    expect(Array.from(crossFittedPredictions('platt', [0, 2], [1, 0], 3))).toEqual([0.5, sigmoid(2)]);
    expect(Array.from(crossFittedPredictions('isotonic', [0, 1, 2], [0, 1, 1], 3))).toEqual([1, 0.5, 0.5]);
  });
});

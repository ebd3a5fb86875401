/**
 * Linear Thompson sampling's pieces on small exact cases: Jacobi eigenvectors, PCA whitening
 * (unit-free features of variance 1/k), the ranker-layer features and their replay after a
 * retrain, the Bayesian linear posterior, and the policy's rebuild and diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { BayesianLinearModel } from '../src/recommender/explore/bayes-linear.js';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import { LinearThompsonPolicy } from '../src/recommender/explore/linear-thompson.js';
import { RankerFeatures } from '../src/recommender/explore/ranker-features.js';
import { symmetricEigen } from '../src/recommender/explore/symmetric-eigen.js';
import { Whitening } from '../src/recommender/explore/whitening.js';
import { RepresentationExport } from '../src/recommender/ranking/representation.js';
import type { RecRequest, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';

function request(slateId: number): RecRequest {
  return { slateId, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: slateId, pastSessions: 0 };
}

describe('symmetric eigen-decomposition', () => {
  it('A v = λ v for every column, the columns orthonormal', () => {
    const a = [4, 1, -2, 1, 3, 0.5, -2, 0.5, 5];
    const { values, vectors } = symmetricEigen(a, 3);
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        let av = 0;
        for (let k = 0; k < 3; k++) av += a[i * 3 + k] * vectors[k * 3 + j];
        expect(av).toBeCloseTo(values[j] * vectors[i * 3 + j], 8);
      }
      for (let m = 0; m < 3; m++) {
        let dot = 0;
        for (let i = 0; i < 3; i++) dot += vectors[i * 3 + j] * vectors[i * 3 + m];
        expect(dot).toBeCloseTo(j === m ? 1 : 0, 10);
      }
    }
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10);
  });

  it('a diagonal matrix is its own decomposition', () => {
    const { values, vectors } = symmetricEigen([2, 0, 0, 7], 2);
    expect(Array.from(values)).toEqual([2, 7]);
    expect(Array.from(vectors)).toEqual([1, 0, 0, 1]);
  });
});

/** n rows of (2a + b, a − b, 5): two varying directions of different scale, one constant column. */
function rows(n: number, seed: string): Float32Array {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 3);
  for (let r = 0; r < n; r++) {
    const a = rng.normal(1, 3);
    const b = rng.normal(-2, 0.5);
    x.set([2 * a + b, a - b, 5], r * 3);
  }
  return x;
}

/** Sample mean and covariance (n − 1) of k-wide rows. */
function moments(x: ArrayLike<number>, n: number, k: number): { mean: number[]; cov: number[][] } {
  const mean = Array.from({ length: k }, (_, i) => {
    let s = 0;
    for (let r = 0; r < n; r++) s += x[r * k + i];
    return s / n;
  });
  const cov = mean.map((mi, i) =>
    mean.map((mj, j) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += (x[r * k + i] - mi) * (x[r * k + j] - mj);
      return s / (n - 1);
    }),
  );
  return { mean, cov };
}

function whiten(w: Whitening, x: Float32Array, n: number): Float64Array {
  const out = new Float64Array(n * w.components);
  for (let r = 0; r < n; r++) w.apply(x.subarray(r * 3, r * 3 + 3), out, r * w.components);
  return out;
}

describe('PCA whitening', () => {
  it('keeps the varying directions only; on the fitted rows each feature has mean 0, variance 1/k, none correlated', () => {
    const x = rows(60, 'w');
    const w = Whitening.fit(x, 60, 3, 5);
    if (!w) throw new Error('two directions vary');
    expect([w.components, w.inputDim]).toEqual([2, 3]);
    const { mean, cov } = moments(whiten(w, x, 60), 60, 2);
    for (const m of mean) expect(m).toBeCloseTo(0, 5);
    expect(cov[0][0]).toBeCloseTo(0.5, 5);
    expect(cov[1][1]).toBeCloseTo(0.5, 5);
    expect(cov[0][1]).toBeCloseTo(0, 5);
  });

  it('the leading component first; at most maxComponents and n − 1 of them', () => {
    const x = rows(60, 'w');
    const one = Whitening.fit(x, 60, 3, 1);
    const two = Whitening.fit(x, 60, 3, 2);
    if (!one || !two) throw new Error('two directions vary');
    expect(one.components).toBe(1);
    // One component: variance 1/1; the same direction as the first of two (whose variance is 1/2).
    const a = whiten(one, x, 60);
    const b = whiten(two, x, 60);
    expect(moments(a, 60, 1).cov[0][0]).toBeCloseTo(1, 5);
    for (let r = 0; r < 60; r++) expect(Math.abs(a[r])).toBeCloseTo(Math.abs(b[2 * r]) * Math.SQRT2, 4);
    expect(Whitening.fit(x, 2, 3, 5)?.components).toBe(1);
  });

  it('nothing to fit on fewer than two rows, no columns, or rows that do not vary', () => {
    expect(Whitening.fit(rows(1, 'w'), 1, 3, 2)).toBeNull();
    expect(Whitening.fit(new Float32Array(0), 5, 0, 2)).toBeNull();
    expect(Whitening.fit(new Float32Array(12).fill(3), 4, 3, 2)).toBeNull();
  });
});

/** Two features per item: a bias and item id / 10; no ranker. */
const OWN: FeatureMap = {
  dim: 2,
  write: (_request, itemId, out) => {
    out[0] = 1;
    out[1] = itemId / 10;
  },
};

describe('features from the ranker’s layer', () => {
  it('falls back to its own features until the ranker has trained; then a bias and the whitened layer', () => {
    const layer = new RepresentationExport('click', 0);
    const features = new RankerFeatures(layer, OWN, 2);
    const out = new Float64Array(3);
    expect([features.dim, features.onRanker, features.fromScoring]).toEqual([2, false, true]);
    features.write(request(0), 7, out);
    expect(Array.from(out.subarray(0, 2))).toEqual([1, 0.7]);
    expect(features.retrain()).toBeNull();

    const x = rows(40, 'r');
    layer.retrained(3, { n: 40, x, windowRows: Int32Array.from({ length: 40 }, (_, r) => 39 - r) });
    const replay = features.retrain();
    if (!replay) throw new Error('a retrain gives a replay');
    expect([features.dim, features.onRanker, replay.n]).toEqual([3, true, 40]);
    expect(replay.windowRows[0]).toBe(39);
    const w = Whitening.fit(x, 40, 3, 2);
    if (!w) throw new Error('two directions vary');
    const expected = whiten(w, x, 40);
    for (let r = 0; r < 40; r++) {
      expect(replay.x[r * 3]).toBe(1);
      expect(replay.x[r * 3 + 1]).toBeCloseTo(expected[r * 2], 10);
      expect(replay.x[r * 3 + 2]).toBeCloseTo(expected[r * 2 + 1], 10);
    }
    expect(features.retrain()).toBeNull(); // same version

    const served = request(1);
    layer.setBatch([served], [[{ itemId: 4 }, { itemId: 9 }]], x.slice(0, 6));
    features.write(served, 9, out);
    expect(Array.from(out)).toEqual([1, replay.x[4], replay.x[5]]);
    features.write(served, 5, out); // not scored: the bias alone
    expect(Array.from(out)).toEqual([1, 0, 0]);
  });

  it('a retrain with nothing to fit on falls back again and replays nothing', () => {
    const layer = new RepresentationExport('click', 0);
    const features = new RankerFeatures(layer, OWN, 2);
    layer.retrained(3, { n: 1, x: rows(1, 'r'), windowRows: Int32Array.from([0]) });
    expect(features.retrain()).toEqual({ n: 0, x: new Float64Array(0), windowRows: new Int32Array(0) });
    expect([features.dim, features.onRanker]).toEqual([2, false]);
  });
});

describe('Bayesian linear regression', () => {
  it('the posterior mean solves (λI + XᵀX/σ²) μ = Xᵀy/σ²; draws scatter around it with covariance A⁻¹', () => {
    const model = new BayesianLinearModel(3, 0.5, 2);
    const xs = [[1, 0, 2], [0, 1, 1], [1, 1, 0], [2, 0, 1]];
    const ys = [1, -1, 0.5, 2];
    xs.forEach((x, i) => model.update(Float64Array.from(x), ys[i]));
    expect(model.count).toBe(4);
    const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? 0.5 : 0) + xs.reduce((s, x) => s + x[i] * x[j], 0) / 4));
    const b = [0, 1, 2].map((i) => xs.reduce((s, x, r) => s + x[i] * ys[r], 0) / 4);
    const mu = model.mean();
    for (let i = 0; i < 3; i++) expect(a[i].reduce((s, aij, j) => s + aij * mu[j], 0)).toBeCloseTo(b[i], 10);
    // E[(w − μ)ᵀ A (w − μ)] = d for w ~ N(μ, A⁻¹).
    const rng = new Rng('blr');
    const w = new Float64Array(3);
    let quad = 0;
    const draws = 4_000;
    for (let t = 0; t < draws; t++) {
      model.sample(rng, w);
      const d = [0, 1, 2].map((i) => w[i] - mu[i]);
      quad += d.reduce((s, di, i) => s + di * a[i].reduce((t2, aij, j) => t2 + aij * d[j], 0), 0);
    }
    // The quadratic form is χ²₃: mean 3, sd √6/√4000 ≈ 0.04.
    expect(quad / draws).toBeCloseTo(3, 0);
    expect(Math.abs(quad / draws - 3)).toBeLessThan(0.16);
  });

  it('rejects a prior precision or noise of 0', () => {
    expect(() => new BayesianLinearModel(2, 0, 1)).toThrow(RangeError);
    expect(() => new BayesianLinearModel(2, 1, 0)).toThrow(RangeError);
  });
});

function feedback(req: RecRequest, entries: readonly SlateEntry[], clicked: number): SlateFeedback {
  return { request: req, slate: { slateId: req.slateId, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

const pool = (ids: readonly number[]) => ids.map((itemId) => ({ itemId, sources: ['test'], sourceScore: 0, score: 0 }));

describe('linear Thompson sampling: learning, rebuild, diagnostics', () => {
  it('predicts each shown item before learning from it: AUC near 1 when one item keeps paying, 0 without both outcomes', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 5 }, OWN, new KeyedStream('mc'));
    const rng = new Rng('s');
    for (let t = 0; t < 20; t++) {
      const req = request(t);
      const slate = policy.select(req, pool([9, 1]), 2, rng);
      policy.observe(feedback(req, slate, slate.findIndex((e) => e.itemId === 9)));
    }
    const log = new TrainingLog(14);
    policy.retrain(log);
    expect(policy.model.count).toBe(40); // fixed features: the posterior keeps everything
    const metrics = policy.diagnostics().metrics;
    expect([metrics.linear_ts_ranker_share, metrics.linear_ts_rebuild_rows, metrics.linear_ts_dim]).toEqual([0, 0, 2]);
    // Only the first slate, predicted at the prior mean 0 for both items, is a tie.
    expect(metrics.linear_ts_auc).toBeGreaterThan(0.95);
    policy.retrain(log);
    expect(policy.diagnostics().metrics.linear_ts_auc).toBe(0); // an empty epoch
  });

  it('on the ranker’s layer: counts slates served on it, rebuilds the posterior from the replay, ignores feedback scored in the old space', () => {
    const layer = new RepresentationExport('click', 0);
    const features = new RankerFeatures(layer, OWN, 2);
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 1, mcDraws: 5 }, features, new KeyedStream('mc'));
    const rng = new Rng('s');
    // Unserved feedback is skipped when features come from scoring.
    policy.observe(feedback(request(0), [{ itemId: 3, source: 'test', propensity: 1 }], 0));
    expect(policy.model.count).toBe(0);
    const before = request(1);
    const slate = policy.select(before, pool([3, 4]), 2, rng);

    const x = rows(6, 'r');
    layer.retrained(3, { n: 6, x, windowRows: Int32Array.from([0, 1, 2, 3, 4, 5]) });
    const buffer = new ImpressionBuffer(8);
    for (let r = 0; r < 6; r++) {
      buffer.append({
        time: 0, epoch: 0, slateId: r, userId: 0, itemId: r, position: 0, arm: 'a', source: 's', propensity: 1,
        clicked: r % 3 === 0, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
      });
    }
    const log = new TrainingLog(14);
    log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
    const old = policy.model;
    policy.retrain(log);
    expect(policy.model).not.toBe(old);
    expect([policy.model.count, policy.model.dim]).toEqual([6, 3]);
    const metrics = policy.diagnostics().metrics;
    expect([metrics.linear_ts_rebuild_rows, metrics.linear_ts_dim, metrics.linear_ts_ranker_share]).toEqual([6, 3, 0]);
    // The rebuilt posterior is the prior updated with the replay rows and their logged clicks.
    const replayed = new BayesianLinearModel(3, 1, 1);
    const w = Whitening.fit(x, 6, 3, 2);
    if (!w) throw new Error('two directions vary');
    const z = whiten(w, x, 6);
    for (let r = 0; r < 6; r++) replayed.update(Float64Array.from([1, z[r * 2], z[r * 2 + 1]]), r % 3 === 0 ? 1 : 0);
    const mean = policy.model.mean();
    replayed.mean().forEach((m, i) => expect(mean[i]).toBeCloseTo(m, 6));

    policy.observe(feedback(before, slate, 0)); // scored before the retrain
    expect(policy.model.count).toBe(6);
    const now = request(2);
    layer.setBatch([now], [pool([3, 4])], x.slice(0, 6));
    policy.observe(feedback(now, policy.select(now, pool([3, 4]), 2, rng), 1));
    expect(policy.model.count).toBe(8);
    policy.retrain(log); // same version: the posterior stays
    expect(policy.model.count).toBe(8);
    expect(policy.diagnostics().metrics.linear_ts_ranker_share).toBe(1);
  });
});

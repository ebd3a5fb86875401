/**
 * Exploration edges with exact answers: the candidate stage over a greedy slate policy (which
 * has no feedback to take), epsilon-greedy at ε = 0 and under a binding cap, the capped
 * estimate's conditionals, linear Thompson sampling's diagnostics and rows, Beta posteriors'
 * cached draws and counts, the Thompson head's bookkeeping, Plackett–Luce's kept weights and
 * one uniform per slot, PCA whitening's component order and floor, and the pipeline's context.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BayesianLinearModel } from '../src/recommender/explore/bayes-linear.js';
import { symmetricEigen } from '../src/recommender/explore/symmetric-eigen.js';
import { buildExploration, pipelineExplorationContext } from '../src/recommender/explore/build.js';
import { CandidateStagePolicy, EpsilonExploreSource } from '../src/recommender/explore/candidate-stage.js';
import { cappedMarginals, sampleCapped } from '../src/recommender/explore/epsilon-capped.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { LinearThompsonPolicy } from '../src/recommender/explore/linear-thompson.js';
import { PlackettLuceSampler, softmaxWeights } from '../src/recommender/explore/plackett-luce.js';
import { candidateLimit, cappedTopInto, cappedWalk, catalogLimit } from '../src/recommender/explore/pool-limit.js';
import { EpsilonSlots } from '../src/recommender/explore/epsilon-slots.js';
import { PosteriorDraws } from '../src/recommender/explore/posterior-draws.js';
import { RewardCounts } from '../src/recommender/explore/reward-counts.js';
import { ThompsonExploreSource } from '../src/recommender/explore/thompson-candidates.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import { topInto } from '../src/recommender/explore/sampled-slate.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import { Whitening } from '../src/recommender/explore/whitening.js';
import type { CreatorCap, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { RepresentationExport } from '../src/recommender/ranking/representation.js';
import type { RankerHead } from '../src/recommender/ranking/heads.js';
import { KeyedStream, RandomStreams, Rng } from '../src/rng/index.js';
import { exploration as explorationSchema } from '../src/scenario/exploration-schema.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';
import { clickLog } from './support/click-log.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

function pool(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
}

function feedback(request: RecRequest, entries: readonly SlateEntry[], clicked: number): SlateFeedback {
  return { request, slate: { slateId: request.slateId, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

function capOf(cap: number, creators: number): CreatorCap {
  return { cap, creatorOf: (itemId) => itemId % creators, catalogItems: () => 100 };
}

const log = clickLog;

/** A stream that replays the given uniforms in turn (Rng accepts a source of the caller's own). */
function scriptedUniforms(values: readonly number[]): Rng {
  let next = 0;
  const source = Object.assign(() => values[next++ % values.length], { double: () => values[next++ % values.length] });
  return new Rng(source);
}

describe('the candidate stage over a greedy slate policy', () => {
  it('feedback and retraining are no-ops when the slate policy takes none', () => {
    const stage = new CandidateStagePolicy(new GreedyPolicy(), new EpsilonExploreSource(2, 0.5, () => 10, new KeyedStream('c')), 'epsilon_greedy');
    const slate = stage.select(REQUEST, pool([3, 2, 1]), 2, new Rng('s'));
    expect(slate.map((e) => [e.itemId, e.propensity])).toEqual([[10, 1], [11, 1]]);
    expect(() => stage.observe(feedback(REQUEST, slate, 0))).not.toThrow();
    expect(stage.retrain(new TrainingLog(14), 1)).toBeUndefined();
  });
});

describe('the greedy policy', () => {
  it('logs each slate with its candidates\' own sources when an item comes back from another source', () => {
    const greedy = new GreedyPolicy();
    const first = greedy.select(REQUEST, [{ itemId: 10, sources: ['popular'], sourceScore: 2, score: 2 }], 1);
    const again = greedy.select(REQUEST, [{ itemId: 10, sources: ['popular'], sourceScore: 2, score: 2 }], 1);
    const other = greedy.select(REQUEST, [{ itemId: 10, sources: ['fresh', 'popular'], sourceScore: 2, score: 2 }], 1);
    expect([...first, ...again, ...other].map((e) => [e.itemId, e.source, e.propensity])).toEqual([
      [10, 'popular', 1],
      [10, 'popular', 1],
      [10, 'fresh+popular', 1],
    ]);
  });
});

describe('epsilon-greedy over the candidates', () => {
  it('ε = 0 gives the greedy slate, each slot at propensity 1', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0, over: 'candidates', mcDraws: 10 }, () => 100, new KeyedStream('mc'));
    const rng = new Rng('draws');
    for (let t = 0; t < 10; t++) {
      expect(policy.select(REQUEST, pool([5, 4, 3, 2, 1]), 3, rng).map((e) => [e.itemId, e.source, e.propensity])).toEqual([
        [10, 'test', 1],
        [11, 'test', 1],
        [12, 'test', 1],
      ]);
    }
  });

  it('under a binding cap: the greedy walk the cap allows at ε = 0, one item per creator at ε = 1', () => {
    // Items 10..15, creator = id mod 2, cap 1: two items at most, one of each creator.
    const cap = capOf(1, 2);
    const greedy = new EpsilonGreedyPolicy({ epsilon: 0, over: 'candidates', mcDraws: 10 }, () => 100, new KeyedStream('mc'));
    expect(greedy.select(REQUEST, pool([6, 5, 4, 3, 2, 1]), 3, new Rng('s'), cap).map((e) => [e.itemId, e.propensity])).toEqual([
      [10, 1],
      [11, 1],
    ]);
    const explore = new EpsilonGreedyPolicy({ epsilon: 1, over: 'candidates', mcDraws: 10 }, () => 100, new KeyedStream('mc'));
    const rng = new Rng('s');
    for (let t = 0; t < 20; t++) {
      const slate = explore.select(REQUEST, pool([6, 5, 4, 3, 2, 1]), 3, rng, cap);
      expect(slate).toHaveLength(2);
      expect(new Set(slate.map((e) => e.itemId % 2)).size).toBe(2);
      // The first exploring slot faces all six candidates.
      expect(slate[0].propensity).toBeCloseTo(1 / 6, 14);
    }
  });
});

describe('capped epsilon-greedy draws and conditionals', () => {
  // Pool indices 0..5 are items 10..15: creators 1, 2, 0, 1, 2, 0; cap 1 leaves one of each.
  const candidates = pool([6, 5, 4, 3, 2, 1]);
  function limit() {
    const l = candidateLimit(capOf(1, 3), candidates);
    if (!l) throw new Error('the cap binds');
    return l;
  }

  it('one explore flag per greedy slot that fits the slate; no more items than slots', () => {
    const l = limit();
    expect(sampleCapped(0.5, 6, 2, [0, 1, 2], l, new Rng('s')).explored).toHaveLength(2);
    expect(sampleCapped(0.5, 6, 3, [0], l, new Rng('s')).explored).toHaveLength(1);
    const rng = new Rng('s');
    for (let t = 0; t < 30; t++) {
      const { slate } = sampleCapped(1, 6, 2, [], l, rng);
      expect(slate).toHaveLength(2);
      for (const k of slate) expect(Number.isInteger(k) && k >= 0 && k < 6).toBe(true);
      const full = sampleCapped(1, 6, 3, [], l, rng).slate;
      expect(full.every((k) => Number.isInteger(k) && k >= 0 && k < 6)).toBe(true);
      expect(new Set(full.map((k) => (10 + k) % 3)).size).toBe(3);
    }
  });

  it('the realised slate alone: 1/6, then 1/(6 − 1 − 1), then 1/(6 − 2 − 2)', () => {
    // All slots explore; items 10, 11, 12 (pool 0, 1, 2) fill them, each filling its creator.
    const marginals = cappedMarginals(1, 6, [], { slate: [0, 1, 2], explored: [] }, limit(), 0, new Rng('mc'));
    expect(Array.from(marginals)).toEqual([1 / 6, 1 / 4, 1 / 2]);
  });

  it('the second slot’s marginal over simulated slates is 4/6 · 1/4 = 1/6', () => {
    // Slot 1 holds pool item 1 when slot 0 took neither it nor its creator's other item (4 of 6),
    // and then faces the 4 items left open.
    const realised = { slate: [0, 1], explored: [] };
    const marginals = cappedMarginals(1, 6, [], realised, limit(), 4_000, new Rng('mc'));
    // Per draw 0 or 1/4, sd ≈ 0.118; over 4,000 draws ≈ 0.0019.
    expect(Math.abs(marginals[1] - 1 / 6)).toBeLessThan(0.01);
  });

  it('a kept slot counts only when it keeps the realised item', () => {
    // Realised: slot 1 explored and drew pool item 4; in half of the simulated slates slot 1 keeps item 1 instead.
    const realised = { slate: [0, 4, 2], explored: [false, true, false] };
    const marginals = cappedMarginals(0.5, 6, [0, 1, 2], realised, limit(), 2_000, new Rng('mc'));
    expect(marginals[1]).toBeLessThan(0.5);
    expect(marginals[1]).toBeGreaterThan(0);
  });
});

/** Two features per item: a bias and item id / 10. */
const OWN: FeatureMap = {
  dim: 2,
  write: (_request, itemId, out) => {
    out[0] = 1;
    out[1] = itemId / 10;
  },
};

describe('linear Thompson sampling', () => {
  const options = { reward: 'click' as const, priorPrecision: 1, noise: 1, mcDraws: 5 };

  it('diagnostics before the first retrain: zeros and the feature count', () => {
    const policy = new LinearThompsonPolicy(options, OWN, new KeyedStream('mc'));
    expect(policy.diagnostics().metrics).toEqual({ linear_ts_ranker_share: 0, linear_ts_auc: 0, linear_ts_dim: 2, linear_ts_rebuild_rows: 0 });
  });

  it('an epoch where every shown item earned the reward has no AUC: 0', () => {
    const policy = new LinearThompsonPolicy(options, OWN, new KeyedStream('mc'));
    for (const [slateId, itemId] of [[1, 12], [2, 15]]) {
      const request = { ...REQUEST, slateId, requestInSession: slateId };
      policy.observe(feedback(request, [{ itemId, source: 'test', propensity: 1 }], 0));
    }
    policy.retrain(new TrainingLog(14));
    expect(policy.diagnostics().metrics.linear_ts_auc).toBe(0);
  });

  it('a shown item its served pool did not hold is featurised afresh', () => {
    const policy = new LinearThompsonPolicy(options, OWN, new KeyedStream('mc'));
    const request = { ...REQUEST, slateId: 3, requestInSession: 3 };
    policy.select(request, pool([2, 1]), 1, new Rng('s'));
    policy.observe(feedback(request, [{ itemId: 5, source: 'test', propensity: 1 }], 0));
    const expected = new BayesianLinearModel(2, 1, 1);
    expected.update(Float64Array.from([1, 0.5]), 1);
    expect(Array.from(policy.model.mean())).toEqual(Array.from(expected.mean()));
  });
});

describe('Beta Thompson sampling', () => {
  it('two items with the same posterior get independent draws: each is on top about half the time', () => {
    const policy = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws: 400 }, new KeyedStream('mc'));
    const rng = new Rng('s');
    for (let t = 0; t < 5; t++) {
      const [top] = policy.select(REQUEST, pool([1, 1]), 1, rng);
      // (W + 1)/(M + 1), W ~ Bin(400, 1/2): sd ≈ 0.025.
      expect(Math.abs(top.propensity - 0.5)).toBeLessThan(0.1);
    }
  });

  it('posterior draws are redrawn when only β moves', () => {
    const draws = new PosteriorDraws(4, new KeyedStream('pd'));
    const a = Array.from(draws.matrix([7], Float64Array.from([2]), Float64Array.from([3])));
    const b = Array.from(draws.matrix([7], Float64Array.from([2]), Float64Array.from([4])));
    for (let m = 0; m < 4; m++) expect(b[m]).not.toBe(a[m]);
  });

  it('a moved posterior draws from its own stream: α changed by 1e-9 gives unrelated draws', () => {
    // Draws keyed by the item alone would run the same uniforms through almost the same Beta.
    const draws = new PosteriorDraws(200, new KeyedStream('pd-key'));
    const a = Array.from(draws.matrix([7], Float64Array.from([2]), Float64Array.from([3])));
    const b = Array.from(draws.matrix([7], Float64Array.from([2 + 1e-9]), Float64Array.from([3])));
    const meanGap = a.reduce((sum, value, m) => sum + Math.abs(value - b[m]), 0) / a.length;
    expect(meanGap).toBeGreaterThan(0.1);
  });

  it('counts read 0 just past their initial size; a rebuild counts each logged row once', () => {
    const fresh = new RewardCounts('click');
    expect([fresh.trials(64), fresh.successes(64)]).toEqual([0, 0]);
    const counts = new RewardCounts('click');
    counts.rebuild(log([[3, 2, 1], [4, 1, 0]]));
    expect(counts.total).toBe(3);
    expect([counts.trials(3), counts.successes(3), counts.trials(4)]).toEqual([2, 1, 1]);
  });
});

describe('the Thompson head at the candidate stage', () => {
  const source = (options: { k: number; head: number; mcDraws: number }, size: number) =>
    new ThompsonExploreSource({ reward: 'click', prior: [1, 1], ...options }, () => size, new KeyedStream('c'), new Rng('mc'));

  it('no more than `head` items; topped up from the newest, item 0 included, none twice', () => {
    const many = source({ k: 1, head: 2, mcDraws: 5 }, 10);
    many.retrain(log([[3, 4, 0], [5, 3, 0], [1, 2, 0], [9, 1, 0]]));
    expect(Array.from(many.head)).toEqual([3, 5]);
    expect(Array.from(source({ k: 1, head: 3, mcDraws: 5 }, 3).head)).toEqual([2, 1, 0]);
    const seen = source({ k: 1, head: 3, mcDraws: 5 }, 3);
    seen.retrain(log([[2, 1, 0]]));
    expect(Array.from(seen.head)).toEqual([2, 1, 0]);
  });

  it('ties in impressions go to the lower id however many items tie', () => {
    // 70 items, ids 0..69: even ids shown twice, odd ids once.
    const s = source({ k: 1, head: 70, mcDraws: 1 }, 70);
    s.retrain(log(Array.from({ length: 70 }, (_, id): [number, number, number] => [id, id % 2 === 0 ? 2 : 1, 0])));
    const evens = Array.from({ length: 35 }, (_, i) => 2 * i);
    expect(Array.from(s.head)).toEqual([...evens, ...evens.map((id) => id + 1)]);
  });

  it('inclusion is estimated once per retrain: generating and reading the head leave it as it is', () => {
    // Four unseen items (9, 8, 7, 6) with the same prior: each estimate is near 1/2 and varies from one estimate to the next.
    const s = source({ k: 2, head: 4, mcDraws: 30 }, 10);
    void s.head;
    const before = [9, 8, 7, 6].map((id) => s.inclusion(REQUEST, id));
    s.generate([REQUEST, REQUEST]);
    void s.head;
    s.generate([REQUEST]);
    expect([9, 8, 7, 6].map((id) => s.inclusion(REQUEST, id))).toEqual(before);
  });

  it('draws each head item from its own posterior: the best rate wins, the candidates vary', () => {
    const s = source({ k: 1, head: 2, mcDraws: 200 }, 10);
    // Item 4: 10 of 10 clicked, Beta(11, 1); item 9 (newest, unseen): Beta(1, 1).
    s.retrain(log([[4, 10, 10]]));
    expect(Array.from(s.head)).toEqual([4, 9]);
    expect(s.inclusion(REQUEST, 4)).toBeGreaterThan(0.85);
    const picks = s.generate(Array.from({ length: 200 }, (_, slateId) => ({ ...REQUEST, slateId, requestInSession: slateId }))).map(([c]) => c.itemId);
    const fours = picks.filter((id) => id === 4).length;
    // P(Beta(11, 1) > Beta(1, 1)) = 11/12.
    expect(fours).toBeGreaterThan(160);
    expect(fours).toBeLessThan(200);
  });
});

describe('Plackett–Luce draws', () => {
  it('one uniform per slot: the item where the running weight passes u · total', () => {
    const candidates = pool([0, 0]);
    const sampler = new PlackettLuceSampler(candidates, softmaxWeights(candidates, new Uint8Array(2), 1), 1);
    const rng = new Rng('pl');
    const mirror = new Rng('pl');
    const out = new Int32Array(1);
    for (let t = 0; t < 40; t++) {
      sampler.draw(rng, out);
      expect(out[0]).toBe(mirror.next() < 0.5 ? 0 : 1);
    }
  });

  it('the kept weights decide while any is positive, however small', () => {
    // exp(−744) is the smallest subnormal, exp(−745.5) rounds to 0: item 1 always comes second,
    // where a softmax recomputed over the rest would give item 2 a weight of e^−1.5.
    const candidates = pool([0, -744, -745.5]);
    const initial = softmaxWeights(candidates, new Uint8Array(3), 1);
    expect(initial[1]).toBeGreaterThan(0);
    expect(initial[2]).toBe(0);
    const sampler = new PlackettLuceSampler(candidates, initial, 1);
    const rng = new Rng('pl');
    const out = new Int32Array(3);
    for (let t = 0; t < 60; t++) {
      sampler.draw(rng, out);
      expect(Array.from(out)).toEqual([0, 1, 2]);
    }
  });

  it('softmax weights are relative to the highest score, wherever it stands', () => {
    expect(Array.from(softmaxWeights(pool([3, 1]), new Uint8Array(2), 1))).toEqual([1, Math.exp(-2)]);
  });

  it('u · total exactly at the end of an item’s weight belongs to the next item', () => {
    const candidates = pool([0, 0]);
    const sampler = new PlackettLuceSampler(candidates, softmaxWeights(candidates, new Uint8Array(2), 1), 1);
    const out = new Int32Array(2);
    sampler.draw(scriptedUniforms([0.5, 0.25]), out);
    expect(Array.from(out)).toEqual([1, 0]);
  });
});

describe('PCA whitening on axis-aligned rows', () => {
  // Columns: variance 4/3, 16/3 and (third) 4e²/3 with e = 1e−4, uncorrelated; the mean is 0.
  const e = 1e-4;
  const x = Float64Array.from([1, 2, e, -1, 2, -e, 1, -2, -e, -1, -2, e]);

  it('components by decreasing variance, each scaled to variance 1/k; the third is below the floor', () => {
    const w = Whitening.fit(x, 4, 3, 5);
    if (!w) throw new Error('two directions vary');
    expect(w.components).toBe(2);
    const out = new Float64Array(2);
    w.apply([0, 2, 0], out, 0);
    // No rotation is needed, so each component is its column with a positive sign.
    expect(out[0]).toBeCloseTo(2 / Math.sqrt((16 / 3) * 2), 12);
    expect(out[1]).toBeCloseTo(0, 12);
    w.apply([1, 0, 0], out, 0);
    expect(out[0]).toBeCloseTo(0, 12);
    expect(out[1]).toBeCloseTo(1 / Math.sqrt((4 / 3) * 2), 12);
    expect(Whitening.fit(x, 4, 3, 1)?.components).toBe(1);
  });

  it('equal variances: the lower column first', () => {
    const tied = Float64Array.from([1, 1, -1, 1, 1, -1, -1, -1]);
    const w = Whitening.fit(tied, 4, 2, 2);
    if (!w) throw new Error('both directions vary');
    const out = new Float64Array(2);
    w.apply([1, 0], out, 0);
    expect(out[0]).toBeCloseTo(Math.sqrt(3 / 8), 12);
    expect(out[1]).toBeCloseTo(0, 12);
  });
});

describe('PCA whitening, more shapes', () => {
  it('one column that varies gives one component', () => {
    const w = Whitening.fit(Float64Array.from([1, -1, 3]), 3, 1, 2);
    expect(w?.components).toBe(1);
    const out = new Float64Array(1);
    // Mean 1, variance 4: (3 − 1)/2.
    w?.apply([3], out, 0);
    expect(out[0]).toBeCloseTo(1, 12);
  });

  it('four columns: the covariance is mirrored whole before the decomposition', () => {
    // Centred, orthogonal columns scaled 1, 2, 3 (variances 4/3, 16/3, 12) and a constant one.
    const cols = [[1, -1, 1, -1], [2, 2, -2, -2], [3, -3, -3, 3], [5, 5, 5, 5]];
    const x = Float64Array.from({ length: 16 }, (_, i) => cols[i % 4][Math.floor(i / 4)]);
    const w = Whitening.fit(x, 4, 4, 4);
    if (!w) throw new Error('three directions vary');
    expect(w.components).toBe(3);
    const out = new Float64Array(3);
    w.apply([0, 0, 3, 5], out, 0);
    expect(Array.from(out).map((v) => Number(v.toFixed(12)))).toEqual([0.5, 0, 0]);
    w.apply([0, 2, 0, 5], out, 0);
    expect(Array.from(out).map((v) => Number(v.toFixed(12)))).toEqual([0, Number((2 / Math.sqrt(16)).toFixed(12)), 0]);
  });
});

describe('Jacobi eigen-decomposition of a dense 4 × 4 matrix', () => {
  it('A v = λ v for every column', () => {
    const a = [6, 2, -1, 0.5, 2, 5, 1.5, -2, -1, 1.5, 4, 1, 0.5, -2, 1, 3];
    const { values, vectors } = symmetricEigen(a, 4);
    for (let j = 0; j < 4; j++) {
      for (let i = 0; i < 4; i++) {
        let av = 0;
        for (let k = 0; k < 4; k++) av += a[i * 4 + k] * vectors[k * 4 + j];
        expect(av).toBeCloseTo(values[j] * vectors[i * 4 + j], 9);
      }
    }
  });
});

describe('Bayesian linear regression in four dimensions', () => {
  const xs = [[1, 0, 2, 1], [0, 1, 1, -1], [1, 1, 0, 2], [2, 0, 1, 0], [0, 2, -1, 1]];
  const ys = [1, -1, 0.5, 2, 0];
  const fitted = () => {
    const model = new BayesianLinearModel(4, 0.5, 2);
    xs.forEach((x, i) => model.update(Float64Array.from(x), ys[i]));
    return model;
  };
  const a = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 0.5 : 0) + xs.reduce((s, x) => s + x[i] * x[j], 0) / 4));
  const b = [0, 1, 2, 3].map((i) => xs.reduce((s, x, r) => s + x[i] * ys[r], 0) / 4);

  it('the mean solves A μ = b', () => {
    const mu = fitted().mean();
    for (let i = 0; i < 4; i++) expect(a[i].reduce((s, aij, j) => s + aij * mu[j], 0)).toBeCloseTo(b[i], 10);
  });

  it('each draw is μ + L⁻ᵀ z for the stream’s normals z: (w − μ)ᵀ A (w − μ) = |z|² exactly', () => {
    const model = fitted();
    const mu = Array.from(model.mean());
    const rng = new Rng('blr');
    const mirror = new Rng('blr');
    const w = new Float64Array(4);
    for (let t = 0; t < 5; t++) {
      model.sample(rng, w);
      const z = [0, 1, 2, 3].map(() => mirror.normal());
      const d = mu.map((m, i) => w[i] - m);
      const quad = d.reduce((s, di, i) => s + di * a[i].reduce((t2, aij, j) => t2 + aij * d[j], 0), 0);
      expect(quad).toBeCloseTo(z.reduce((s, zi) => s + zi * zi, 0), 9);
    }
  });

  it('a fresh model draws from its prior N(0, I/λ); it says what is wrong with a precision of 0', () => {
    const model = new BayesianLinearModel(3, 4, 1);
    const rng = new Rng('prior');
    const mirror = new Rng('prior');
    const w = new Float64Array(3);
    model.sample(rng, w);
    for (let i = 0; i < 3; i++) expect(w[i]).toBeCloseTo(mirror.normal() / 2, 12);
    expect(() => new BayesianLinearModel(2, 0, 1)).toThrow(/BayesianLinearModel: prior precision and noise must be above 0/);
  });

  it('a three-dimensional precision with one correlated pair: the draw solves the triangular system in order', () => {
    // A = I + x xᵀ for x = (0, 1, 1): L has l11 = √2, l21 = 1/√2, l22 = √1.5.
    const model = new BayesianLinearModel(3, 1, 1);
    model.update(Float64Array.from([0, 1, 1]), 0);
    const w = new Float64Array(3);
    model.sample(new Rng('tri'), w);
    const mirror = new Rng('tri');
    const [z0, z1, z2] = [mirror.normal(), mirror.normal(), mirror.normal()];
    const w2 = z2 / Math.sqrt(1.5);
    expect(Array.from(w).map((v) => Number(v.toFixed(12)))).toEqual([z0, (z1 - w2 / Math.SQRT2) / Math.SQRT2, w2].map((v) => Number(v.toFixed(12))));
  });
});

describe('the exploration settings', () => {
  it('epsilon outside [0, 1] is refused with the value given', () => {
    expect(() => new EpsilonSlots(2)).toThrow(/epsilon must be in \[0, 1\], got 2/);
  });

  it('linear Thompson sampling on the ranker’s layer reads the head of its reward', () => {
    for (const [reward, head] of [['click', 'click'], ['like', 'like'], ['complete', 'complete'], ['survey_positive', 'survey']]) {
      const asked: string[] = [];
      const ctx = {
        catalogSize: () => 30,
        streams: new RandomStreams('build'),
        features: () => OWN,
        representation: (h: RankerHead) => {
          asked.push(h);
          return new RepresentationExport(h, 0);
        },
      };
      buildExploration(explorationSchema.parse(parse(`{policy: linear_thompson, reward: ${reward}}`)), ctx);
      expect(asked).toEqual([head]);
    }
  });
});

describe('the pipeline’s exploration context', () => {
  it('catalog size and topic features from the recommender’s catalog, its streams, its ranker if any', () => {
    const catalog = new PublicRegistry<PublicItem>();
    catalog.add({ id: 0, creatorId: 0, topics: [1], lengthMinutes: 1, uploadTime: 0 });
    catalog.add({ id: 1, creatorId: 0, topics: [2], lengthMinutes: 1, uploadTime: 0 });
    const streams = new RandomStreams('ctx');
    const ctx = pipelineExplorationContext({ catalog, users: new PublicRegistry<PublicUser>(), slateSize: 2, streams });
    expect(ctx.catalogSize()).toBe(2);
    catalog.add({ id: 2, creatorId: 1, topics: [3], lengthMinutes: 1, uploadTime: 0 });
    expect(ctx.catalogSize()).toBe(3);
    expect(ctx.streams).toBe(streams);
    expect(ctx.representation).toBeUndefined();
    const features = ctx.features?.(4);
    expect(features?.dim).toBe(5);
    const out = new Float64Array(5);
    features?.write(REQUEST, 1, out);
    expect(Array.from(out)).toEqual([1, 0, 0, 1, 0]);
  });

  it('Thompson sampling at the candidate stage gets its k and head', () => {
    const ctx = { catalogSize: () => 30, streams: new RandomStreams('build') };
    const { sources } = buildExploration(explorationSchema.parse(parse('{policy: thompson, stage: candidate, k: 2, head: 5}')), ctx);
    const [lists] = sources.map((s) => s.generate([REQUEST, REQUEST]));
    for (const list of lists) {
      expect(list).toHaveLength(2);
      for (const c of list) expect([25, 26, 27, 28, 29]).toContain(c.itemId);
    }
  });
});

describe('closed-form epsilon-greedy slots', () => {
  it('with two greedy items, the other one reaches a slot with probability ε² · 1/n', () => {
    // Both greedy slots explore (ε²) and slot p's uniform fill of the n − 0 open items picks it: E[1/(n + 0)].
    expect(new EpsilonSlots(0.5).probabilities(6, 2, 2).otherGreedy).toBeCloseTo(0.25 / 6, 14);
  });

  it('an exploring slot never draws an item a kept slot holds', () => {
    const slots = new EpsilonSlots(0.5);
    const rng = new Rng('slots');
    for (let t = 0; t < 200; t++) expect(new Set(slots.sample(4, 3, [0, 1, 2], rng)).size).toBe(3);
  });
});

describe('UCB', () => {
  it('learns from feedback, and a retrain replaces the counts with the log window’s', () => {
    const policy = new UcbPolicy(1, 'click');
    policy.observe(feedback(REQUEST, [{ itemId: 10, source: 'test', propensity: 1 }, { itemId: 11, source: 'test', propensity: 1 }], 1));
    expect([policy.counts.trials(10), policy.counts.successes(11), policy.counts.total]).toEqual([1, 1, 2]);
    policy.retrain(log([[12, 3, 3]]));
    expect([policy.counts.trials(10), policy.counts.trials(12), policy.counts.total]).toEqual([0, 3, 3]);
  });
});

describe('top lists under the cap and without', () => {
  it('cappedWalk stops at the end of a short order', () => {
    const limit = catalogLimit(capOf(1, 3), 10);
    if (!limit) throw new Error('a cap');
    expect(cappedWalk([0, 1], 3, limit)).toEqual([0, 1]);
  });

  it('cappedTopInto never places an item twice, even while its creator has room', () => {
    // Items 10..13; creator 0 for 10, 11, 12 and 1 for 13; cap 2.
    const cap: CreatorCap = { cap: 2, creatorOf: (id) => (id < 13 ? 0 : 1), catalogItems: () => 3 };
    const candidates = pool([4, 3, 2, 1]);
    const limit = candidateLimit(cap, candidates);
    if (!limit) throw new Error('the cap binds');
    const out = new Int32Array(3);
    cappedTopInto(Float64Array.from([4, 3, 2, 1]), 0, 4, out, limit, new Uint8Array(4));
    expect(Array.from(out)).toEqual([0, 1, 3]);
  });

  it('topInto: rising scores shift every kept entry down; the best may come last', () => {
    const out = new Int32Array(3);
    topInto(Float64Array.from([1, 2, 3]), 0, 3, out);
    expect(Array.from(out)).toEqual([2, 1, 0]);
    const one = new Int32Array(1);
    topInto(Float64Array.from([1, 2, 3, 4]), 0, 4, one);
    expect(one[0]).toBe(3);
  });
});

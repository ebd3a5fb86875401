/**
 * Exploration policies one by one: the propensity each logs is the marginal probability of that
 * item in that slot. Checked empirically (many independent slates for one request and candidate
 * list: the frequency of every item at every slot against the propensity logged for it there),
 * and, for the exact ones, by sums (each slot's probabilities over the pool sum to 1). Plus seeds,
 * epsilon = 0 against greedy, UCB's order, and the learning updates.
 */
import { describe, expect, it } from 'vitest';
import { BayesianLinearModel } from '../src/recommender/explore/bayes-linear.js';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { LinearThompsonPolicy } from '../src/recommender/explore/linear-thompson.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import { RewardCounts } from '../src/recommender/explore/reward-counts.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

function pool(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
}

function feedback(entries: readonly SlateEntry[], clicked: number): SlateFeedback {
  return { request: REQUEST, slate: { slateId: 0, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

/** Thompson sampling with posteriors that overlap, so every item can take every slot. */
function trainedThompson(mcDraws = 400, seed = 'mc'): ThompsonPolicy {
  const policy = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws }, new KeyedStream(seed));
  const wins = [6, 4, 3, 2, 1];
  wins.forEach((w, k) => {
    for (let t = 0; t < 10; t++) policy.observe(feedback([{ itemId: 10 + k, source: 'test', propensity: 1 }], t < w ? 0 : -1));
  });
  return policy;
}

/** One-hot item features (item ids 10..13), for the linear policy. */
const ONE_HOT: FeatureMap = {
  dim: 4,
  write: (_request, itemId, out) => {
    out.fill(0);
    out[itemId - 10] = 1;
  },
};

interface Cell {
  /** Slates with the item at the slot. */
  n: number;
  /** The propensities logged for it there. */
  readonly logged: number[];
}

/** Per slot, per item: how often `select` put it there in `draws` independent calls (one request each), and what it logged. */
function tabulate(policy: ExplorationPolicy, candidates: ScoredCandidate[], slateSize: number, draws: number, seed = 'draws', cap?: CreatorCap): Map<number, Cell>[] {
  const rng = new Rng(seed);
  const slots: Map<number, Cell>[] = [];
  for (let d = 0; d < draws; d++) {
    policy.select({ ...REQUEST, slateId: d, requestInSession: d }, candidates, slateSize, rng, cap).forEach((e, p) => {
      slots[p] ??= new Map();
      const cell = slots[p].get(e.itemId) ?? { n: 0, logged: [] };
      cell.n++;
      cell.logged.push(e.propensity);
      slots[p].set(e.itemId, cell);
    });
  }
  return slots;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * How far a Monte-Carlo estimate (W + 1)/(M + 1) may sit from p, besides sampling error:
 * `shared`, every call logs the same estimate (draws kept while the posterior is unchanged);
 * `fresh`, each call draws its own, so the mean over the n logged values averages them.
 */
type McError = { readonly draws: number; readonly kind: 'shared' | 'fresh' } | null;

/**
 * Every (item, slot) pair's empirical frequency against its mean logged propensity: within 4.5
 * binomial standard errors, plus 4.5 standard errors of the Monte-Carlo estimate and its
 * (1 − p)/(M + 1) bias for estimated propensities.
 */
function expectMarginals(slots: readonly Map<number, Cell>[], draws: number, mc: McError): void {
  slots.forEach((cells, p) => {
    for (const [item, { n, logged }] of cells) {
      const q = mean(logged);
      const v = q * (1 - q);
      let tolerance = 4.5 * Math.sqrt(v / draws) + 1e-12;
      if (mc) tolerance += 4.5 * Math.sqrt(v / (mc.draws + 1) / (mc.kind === 'fresh' ? n : 1)) + 1 / (mc.draws + 1);
      expect(Math.abs(n / draws - q), `item ${item} at slot ${p}: frequency ${n / draws}, logged ${q}`).toBeLessThanOrEqual(tolerance);
    }
  });
}

/** Σ over the items seen at each slot of their (exact, so single-valued) logged propensity. */
function slotSums(slots: readonly Map<number, Cell>[]): number[] {
  return slots.map((cells) => {
    let sum = 0;
    for (const [, { logged }] of cells) {
      expect(new Set(logged).size).toBe(1); // exact: one value per item and slot
      sum += logged[0];
    }
    return sum;
  });
}

describe('logged propensity = marginal P(item at slot), against the empirical frequency', () => {
  const candidates = pool([3, 2, 1.5, 1, 0.5]);

  it.each([
    ['5 candidates, slate 3', 5, 3],
    ['3 candidates, slate 4 (fewer candidates than slots)', 3, 4],
  ])('epsilon-greedy over the candidates, %s: exact, and each slot sums to 1 over the pool', (_name, n, slateSize) => {
    const slots = tabulate(new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'candidates', mcDraws: 100 }, () => 100, new KeyedStream('mc')), candidates.slice(0, n), slateSize, 20_000);
    expect(slots).toHaveLength(Math.min(n, slateSize));
    for (const cells of slots) expect(cells.size).toBe(n);
    for (const sum of slotSums(slots)) expect(sum).toBeCloseTo(1, 12);
    expectMarginals(slots, 20_000, null);
  });

  it('epsilon-greedy over the catalog, candidates running out before the slate does: exact, sums to 1, explored items logged as explore', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 100 }, () => 12, new KeyedStream('mc'));
    const few = [3, 7, 10].map((itemId, k) => ({ itemId, sources: ['test'], sourceScore: 3 - k, score: 3 - k }));
    const slots = tabulate(policy, few, 5, 20_000);
    expect(slots).toHaveLength(5);
    for (const cells of slots) expect(cells.size).toBe(12);
    for (const sum of slotSums(slots)) expect(sum).toBeCloseTo(1, 12);
    expectMarginals(slots, 20_000, null);
    const rng = new Rng('sources');
    const entries = Array.from({ length: 200 }, () => policy.select(REQUEST, few, 5, rng)).flat();
    expect(new Set(entries.filter((e) => ![3, 7, 10].includes(e.itemId)).map((e) => e.source))).toEqual(new Set(['explore']));
    expect(new Set(entries.filter((e) => [3, 7, 10].includes(e.itemId)).map((e) => e.source))).toEqual(new Set(['test']));
  });

  it('epsilon-greedy, one slot: the textbook (1 − ε) + ε/n and ε/n', () => {
    const [top] = tabulate(new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'catalog', mcDraws: 100 }, () => 20, new KeyedStream('mc')), candidates.slice(0, 3), 1, 2_000);
    expect(top.get(10)?.logged[0]).toBeCloseTo(0.5 + 0.5 / 20, 12);
    expect(top.get(5)?.logged[0]).toBeCloseTo(0.5 / 20, 12);
  });

  it('boltzmann: slot 0 exact (the softmax), later slots Monte-Carlo estimates of the Plackett–Luce marginals', () => {
    const slots = tabulate(new BoltzmannPolicy(1, 100, new KeyedStream('mc')), candidates, 3, 20_000);
    const [top, ...rest] = slots;
    expect(slotSums([top])[0]).toBeCloseTo(1, 12);
    const z = candidates.reduce((s, c) => s + Math.exp(c.score), 0);
    for (const c of candidates) expect(top.get(c.itemId)?.logged[0]).toBeCloseTo(Math.exp(c.score) / z, 12);
    expectMarginals([top], 20_000, null);
    expectMarginals(rest, 20_000, { draws: 100, kind: 'fresh' });
  });

  it('Thompson sampling: one posterior draw per slate; Monte-Carlo marginals (1000 draws kept while the posterior stands) match', () => {
    const slots = tabulate(trainedThompson(1000), pool([0, 0, 0, 0, 0]), 3, 20_000);
    for (const cells of slots) expect(cells.size).toBe(5);
    expectMarginals(slots, 20_000, { draws: 1000, kind: 'shared' });
  });

  it('linear Thompson sampling: Monte-Carlo marginals (200 fresh draws per slate) match', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 200 }, ONE_HOT, new KeyedStream('mc'));
    const rewards = [0.6, 0.4, 0.3, 0.2];
    const rng = new Rng('train');
    for (let t = 0; t < 40; t++) {
      const k = t % 4;
      policy.observe(feedback([{ itemId: 10 + k, source: 'test', propensity: 1 }], rng.bernoulli(rewards[k]) ? 0 : -1));
    }
    const slots = tabulate(policy, pool([0, 0, 0, 0]), 3, 10_000);
    expectMarginals(slots, 10_000, { draws: 200, kind: 'fresh' });
  });
});

/** A cap of `cap` items per creator, creator = item id mod `creators`, over a catalog of `catalogSize` items. */
function capOf(cap: number, creators: number, catalogSize: number): CreatorCap {
  const items = Array.from({ length: creators }, (_, c) => Math.ceil((catalogSize - c) / creators));
  return { cap, creatorOf: (itemId) => itemId % creators, catalogItems: (creatorId) => items[creatorId] };
}

/** Items of one creator in each slate: never above the cap. */
function expectCapHeld(policy: ExplorationPolicy, candidates: ScoredCandidate[], slateSize: number, cap: CreatorCap): void {
  const rng = new Rng('held');
  for (let d = 0; d < 500; d++) {
    const creators = policy.select(REQUEST, candidates, slateSize, rng, cap).map((e) => cap.creatorOf(e.itemId));
    for (const c of creators) expect(creators.filter((x) => x === c).length).toBeLessThanOrEqual(cap.cap);
  }
}

describe('under a creator cap that binds: the slate keeps the cap, and the logged propensity is still the marginal', () => {
  // Items 10..15; creator = id mod 3, two items each; cap 1, so a slate of 3 holds one item of each creator.
  const candidates = pool([3, 2, 1.5, 1, 0.5, 0.2]);
  const cap = capOf(1, 3, 100);

  it('epsilon-greedy over the candidates: Rao–Blackwellised Monte-Carlo marginals match, each slot sums to about 1', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'candidates', mcDraws: 200 }, () => 100, new KeyedStream('mc'));
    expectCapHeld(policy, candidates, 3, cap);
    const slots = tabulate(policy, candidates, 3, 10_000, 'draws', cap);
    expect(slots).toHaveLength(3);
    for (const cells of slots) expect(cells.size).toBe(6);
    expectMarginals(slots, 10_000, { draws: 200, kind: 'fresh' });
    for (const cells of slots) {
      let sum = 0;
      for (const [, { logged }] of cells) sum += mean(logged);
      expect(Math.abs(sum - 1)).toBeLessThan(0.05);
    }
  });

  it('epsilon-greedy over the catalog (12 items, creator = id mod 4): the greedy list and the fills skip full creators; marginals match', () => {
    const catalogCap = capOf(1, 4, 12);
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 200 }, () => 12, new KeyedStream('mc'));
    const few = [3, 7, 10].map((itemId, k) => ({ itemId, sources: ['test'], sourceScore: 3 - k, score: 3 - k }));
    expectCapHeld(policy, few, 4, catalogCap);
    const slots = tabulate(policy, few, 4, 10_000, 'draws', catalogCap);
    expect(slots).toHaveLength(4);
    expectMarginals(slots, 10_000, { draws: 200, kind: 'fresh' });
    // Items 3 and 7 share a creator: with ε = 0.4, 7 is never the greedy item of a slot, so it shows only when explored.
    expect(slots[1].get(10)?.n).toBeGreaterThan(0.5 * 10_000);
  });

  it('boltzmann: slot 0 still the exact softmax, later slots Monte-Carlo under the cap', () => {
    const policy = new BoltzmannPolicy(1, 100, new KeyedStream('mc'));
    expectCapHeld(policy, candidates, 3, cap);
    const [top, ...rest] = tabulate(policy, candidates, 3, 10_000, 'draws', cap);
    const z = candidates.reduce((s, c) => s + Math.exp(c.score), 0);
    for (const c of candidates) expect(top.get(c.itemId)?.logged[0]).toBeCloseTo(Math.exp(c.score) / z, 12);
    expectMarginals([top], 10_000, null);
    expectMarginals(rest, 10_000, { draws: 100, kind: 'fresh' });
  });

  it('Thompson sampling: one draw per slate, the top under the cap; Monte-Carlo marginals match', () => {
    const policy = trainedThompson(400);
    const five = pool([0, 0, 0, 0, 0]); // items 10..14: creators 1, 2, 0, 1, 2
    expectCapHeld(policy, five, 3, cap);
    const slots = tabulate(policy, five, 3, 10_000, 'draws', cap);
    expectMarginals(slots, 10_000, { draws: 400, kind: 'shared' });
  });

  it('linear Thompson sampling: Monte-Carlo marginals under the cap match', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 200 }, ONE_HOT, new KeyedStream('mc'));
    const four = pool([0, 0, 0, 0]); // items 10..13: creators 1, 2, 0, 1
    expectCapHeld(policy, four, 3, cap);
    const slots = tabulate(policy, four, 3, 10_000, 'draws', cap);
    expectMarginals(slots, 10_000, { draws: 200, kind: 'fresh' });
  });

  it('UCB and greedy: deterministic under the cap, the first allowed items of their order', () => {
    expect(new GreedyPolicy().select(REQUEST, candidates, 4, new Rng('x'), cap).map((e) => e.itemId)).toEqual([10, 11, 12]);
    const ucb = new UcbPolicy(1, 'click');
    ucb.observe(feedback([{ itemId: 10, source: 'test', propensity: 1 }], -1));
    expect(ucb.select(REQUEST, candidates, 3, new Rng('x'), cap).map((e) => e.itemId)).toEqual([11, 12, 13]);
  });

  it('a cap that cannot bind on the pool leaves every policy as it was: same slates and propensities', () => {
    const loose = capOf(2, 3, 100); // two items per creator in the pool, cap 2
    const make: (() => ExplorationPolicy)[] = [
      () => new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'candidates', mcDraws: 50 }, () => 100, new KeyedStream('mc')),
      () => new BoltzmannPolicy(1, 20, new KeyedStream('mc')),
      () => trainedThompson(50),
    ];
    for (const policy of make) {
      const run = (c?: CreatorCap) => {
        const p = policy();
        const rng = new Rng('same');
        return Array.from({ length: 50 }, () => p.select(REQUEST, candidates, 3, rng, c));
      };
      expect(run(loose)).toEqual(run());
    }
  });
});

describe('seeds', () => {
  const candidates = pool([5, 4, 3, 2, 1, 0]);
  const policies: [string, () => ExplorationPolicy][] = [
    ['epsilon_greedy', () => new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'catalog', mcDraws: 100 }, () => 50, new KeyedStream('mc'))],
    ['boltzmann', () => new BoltzmannPolicy(2, 20, new KeyedStream('mc'))],
    ['thompson', () => trainedThompson(50)],
  ];

  it.each(policies)('%s: the same seed gives the same slates and propensities, another seed other slates', (_name, make) => {
    const run = (seed: string) => {
      const policy = make();
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => policy.select(REQUEST, candidates, 3, rng));
    };
    expect(run('a')).toEqual(run('a'));
    expect(run('a')).not.toEqual(run('b'));
  });

  it('Thompson sampling chooses the same items whatever the number of Monte-Carlo draws', () => {
    const choices = (mcDraws: number) => {
      const policy = trainedThompson(mcDraws, `mc-${mcDraws}`);
      const rng = new Rng('same');
      return Array.from({ length: 100 }, () => policy.select(REQUEST, pool([0, 0, 0, 0]), 2, rng).map((e) => e.itemId));
    };
    expect(choices(5)).toEqual(choices(300));
  });

  it('Boltzmann exploration chooses the same items whatever the number of Monte-Carlo draws', () => {
    const choices = (mcDraws: number) => {
      const policy = new BoltzmannPolicy(1, mcDraws, new KeyedStream(`mc-${mcDraws}`));
      const rng = new Rng('same');
      return Array.from({ length: 100 }, () => policy.select(REQUEST, candidates, 3, rng).map((e) => e.itemId));
    };
    expect(choices(5)).toEqual(choices(300));
  });
});

describe('epsilon = 0 is greedy', () => {
  const candidates = pool([9, 7, 5, 3, 1, 0]);
  it.each(['candidates', 'catalog'] as const)('over %s: same items, sources and propensity 1', (over) => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0, over, mcDraws: 100 }, () => 100, new KeyedStream('mc'));
    const rng = new Rng('zero');
    for (let i = 0; i < 20; i++) expect(policy.select(REQUEST, candidates, 4, rng)).toEqual(new GreedyPolicy().select(REQUEST, candidates, 4));
  });
});

describe('UCB', () => {
  it('shows never-shown items first, then orders by mean + c·sqrt(ln N / n); deterministic, propensity 1', () => {
    const policy = new UcbPolicy(Math.SQRT2, 'click');
    const candidates = pool([4, 3, 2, 1]);
    const show = (k: number, clicked: boolean) => policy.observe(feedback([{ itemId: 10 + k, source: 'test', propensity: 1 }], clicked ? 0 : -1));
    for (let t = 0; t < 10; t++) show(0, t < 8); // item 10: 8/10
    for (let t = 0; t < 2; t++) show(1, t < 1); // item 11: 1/2
    show(2, false); // item 12: 0/1; item 13 never shown
    const slate = policy.select(REQUEST, candidates, 4);
    expect(slate.map((e) => e.itemId)).toEqual([13, 12, 11, 10]);
    expect(slate.every((e) => e.propensity === 1)).toBe(true);
    const ln = Math.log(13);
    expect(policy.index(10)).toBeCloseTo(0.8 + Math.SQRT2 * Math.sqrt(ln / 10), 12);
    expect(policy.index(12)).toBeCloseTo(0 + Math.SQRT2 * Math.sqrt(ln / 1), 12);
  });
});

describe('learning', () => {
  it('Thompson sampling counts every slot as a trial and the chosen reward as a success', () => {
    const policy = new ThompsonPolicy({ reward: 'like', prior: [2, 3], mcDraws: 10 }, new KeyedStream('x'));
    const entries = [10, 11, 12].map((itemId) => ({ itemId, source: 'test', propensity: 1 }));
    policy.observe({ ...feedback(entries, 1), liked: true });
    policy.observe(feedback(entries, 2)); // clicked, not liked
    expect(policy.posterior(10)).toEqual([2, 5]);
    expect(policy.posterior(11)).toEqual([3, 4]);
    expect(policy.posterior(12)).toEqual([2, 5]);
  });

  it.each([
    ['click', [2, 1]],
    ['like', [1, 0]],
    ['complete', [0, 1]],
    ['survey_positive', [1, 0]],
  ] as const)('a retrain rebuilds the counts from the log window (reward %s)', (reward, successes) => {
    const buffer = new ImpressionBuffer(16);
    const row = { time: 0, epoch: 0, slateId: 0, userId: 0, position: 0, arm: 'a', source: 's', propensity: 1, watchMinutes: 1, watchFraction: 1 };
    const no = { clicked: false, completed: false, liked: false, survey: null };
    buffer.append({ ...row, itemId: 10, clicked: true, completed: false, liked: true, survey: 5 });
    buffer.append({ ...row, itemId: 10, clicked: true, completed: false, liked: false, survey: 3 });
    buffer.append({ ...row, itemId: 10, ...no });
    buffer.append({ ...row, itemId: 11, clicked: true, completed: true, liked: false, survey: null });
    const log = new TrainingLog(14);
    log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
    const counts = new RewardCounts(reward);
    counts.record(12, true); // dropped: the log window replaces the streamed counts
    counts.rebuild(log);
    expect([counts.trials(10), counts.trials(11), counts.trials(12), counts.total]).toEqual([3, 1, 0, 4]);
    expect([counts.successes(10), counts.successes(11)]).toEqual(successes);
  });

  it('linear Thompson sampling learns which item pays', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 20 }, ONE_HOT, new KeyedStream('mc'));
    const rng = new Rng('learn');
    let bestPicks = 0;
    for (let t = 0; t < 2_000; t++) {
      const slate = policy.select(REQUEST, pool([0, 0, 0, 0]), 1, rng);
      const paid = rng.bernoulli(slate[0].itemId === 12 ? 0.6 : 0.2);
      policy.observe(feedback(slate, paid ? 0 : -1));
      if (t >= 1_000 && slate[0].itemId === 12) bestPicks++;
    }
    expect(bestPicks).toBeGreaterThan(900);
  });

  it('Bayesian linear regression: the posterior mean is the ridge solution, draws have covariance A⁻¹', () => {
    const model = new BayesianLinearModel(2, 2, 0.5);
    const xs = [[1, 0], [1, 1], [0, 1], [1, 2]];
    const ys = [1, 2, 0.5, 3];
    xs.forEach((x, i) => model.update(Float64Array.from(x), ys[i]));
    // A = 2I + XᵀX / 0.25, b = Xᵀy / 0.25.
    const a = [[2 + 3 / 0.25, 3 / 0.25], [3 / 0.25, 2 + 6 / 0.25]];
    const b = [6 / 0.25, 8.5 / 0.25];
    const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    const inv = [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]];
    const mu = [inv[0][0] * b[0] + inv[0][1] * b[1], inv[1][0] * b[0] + inv[1][1] * b[1]];
    expect(model.mean()[0]).toBeCloseTo(mu[0], 10);
    expect(model.mean()[1]).toBeCloseTo(mu[1], 10);
    const rng = new Rng('blr');
    const draw = new Float64Array(2);
    const n = 40_000;
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let i = 0; i < n; i++) {
      model.sample(rng, draw);
      const d0 = draw[0] - mu[0];
      const d1 = draw[1] - mu[1];
      s00 += d0 * d0;
      s01 += d0 * d1;
      s11 += d1 * d1;
    }
    expect(s00 / n).toBeCloseTo(inv[0][0], 3);
    expect(s01 / n).toBeCloseTo(inv[0][1], 3);
    expect(s11 / n).toBeCloseTo(inv[1][1], 3);
  });
});

describe('greedy entries', () => {
  it('are shared between slates for the same item and source, and made afresh when the source differs', () => {
    const policy = new GreedyPolicy();
    const [a] = policy.select(REQUEST, pool([3, 2]), 1);
    const [b] = policy.select(REQUEST, pool([5, 1]), 1);
    expect(b).toBe(a);
    const [c] = policy.select(REQUEST, [{ itemId: 10, sources: ['popularity', 'fresh'], sourceScore: 1, score: 1 }], 1);
    expect(c).toEqual({ itemId: 10, source: 'popularity+fresh', propensity: 1 });
    const [d] = policy.select(REQUEST, [{ itemId: 400, sources: ['test'], sourceScore: 1, score: 1 }], 1);
    expect(d).toEqual({ itemId: 400, source: 'test', propensity: 1 });
  });
});

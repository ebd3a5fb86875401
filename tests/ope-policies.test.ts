/**
 * The pieces OPE trusts: every target policy's stated per-slot probabilities are the ones its
 * sampler really has (Monte Carlo), the helpers that read them, the popularity ranking, the
 * direct method's model. (The choice models' click probabilities, OPE's ground truth, are
 * checked against their draws in choice.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import {
  EpsilonGreedyTargetPolicy,
  FactorisedRewardModel,
  GreedyTargetPolicy,
  PopularityRanking,
  ScoreRanking,
  SyntheticSlateBandit,
  UniformPolicy,
  slotExpectation,
  slotProbability,
  topK,
  type OpeContext,
  type TargetPolicy,
} from '../src/ope/index.js';
import { servePolicy } from '../src/ope/policy-recommender.js';
import { Rng } from '../src/rng/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';

const ctx = (catalogSize: number, slateSize: number, userId = 0): OpeContext => ({ slateId: 0, userId, time: 0, catalogSize, slateSize });
/** A fixed ranking: items by descending score, scores chosen so the order is 5, 2, 7, 0, ... */
const ranking = new ScoreRanking('fixed', () => [3, 1, 8, 0.5, 0.2, 9, 0.1, 4, 0.3, 0.05, 0.7, 0.6]);

/** Empirical P(item at slot) over `draws` samples, against the policy's stated probabilities, within 4.5 SE. */
function expectMarginalsMatch(policy: TargetPolicy, c: OpeContext, draws: number, seed: string): void {
  const rng = new Rng(seed);
  const L = Math.min(c.slateSize, c.catalogSize);
  const counts = new Float64Array(c.catalogSize * L);
  let malformed = 0;
  for (let d = 0; d < draws; d++) {
    const slate = policy.sample(c, rng);
    if (slate.length !== L || new Set(slate).size !== L) malformed++;
    slate.forEach((item, p) => counts[item * L + p]++);
  }
  expect(malformed, 'slates of the wrong length or with repeats').toBe(0);
  for (let p = 0; p < L; p++) {
    const dist = policy.slot(c, p);
    let total = 0;
    for (let i = 0; i < c.catalogSize; i++) {
      const prob = slotProbability(dist, i, c.catalogSize);
      total += prob;
      const se = Math.sqrt(Math.max(prob * (1 - prob), 1 / draws) / draws);
      expect(Math.abs(counts[i * L + p] / draws - prob), `item ${i} slot ${p}`).toBeLessThan(4.5 * se);
    }
    expect(total).toBeCloseTo(1, 12);
  }
}

describe('target policies state their true per-slot probabilities', () => {
  it('uniform: 1/n for every item in every slot, in random order (not sorted by id)', () => {
    expectMarginalsMatch(new UniformPolicy(), ctx(12, 4), 60_000, 'uniform');
    const rng = new Rng('uniform-order');
    let ascending = 0;
    for (let d = 0; d < 200; d++) {
      const s = new UniformPolicy().sample(ctx(50, 5), rng);
      if (s.every((x, k) => k === 0 || s[k - 1] < x)) ascending++;
    }
    expect(ascending).toBeLessThan(10); // 1/120 of slates by chance
  });

  it('greedy: the ranking, each slot with probability 1', () => {
    const greedy = new GreedyTargetPolicy(ranking);
    expect(greedy.sample(ctx(12, 4), new Rng('unused'))).toEqual([5, 2, 7, 0]);
    expect(slotProbability(greedy.slot(ctx(12, 4), 1), 2, 12)).toBe(1);
    expect(slotProbability(greedy.slot(ctx(12, 4), 1), 5, 12)).toBe(0);
    expectMarginalsMatch(greedy, ctx(12, 4), 100, 'greedy');
  });

  it.each([
    ['ε 0.3', 0.3, 12, 4],
    ['ε 0.8', 0.8, 12, 4],
    ['ε 1 (uniform)', 1, 12, 4],
    ['ε 0 (greedy)', 0, 12, 4],
    ['catalog as small as the slate', 0.5, 4, 4],
    ['one slot', 0.4, 12, 1],
  ])('epsilon-greedy, %s: closed-form marginals match sampling', (_name, eps, n, k) => {
    expectMarginalsMatch(new EpsilonGreedyTargetPolicy(ranking, eps), ctx(n, k), 60_000, `eg-${eps}-${n}-${k}`);
  });

  it('rejects an epsilon outside [0, 1]', () => {
    expect(() => new EpsilonGreedyTargetPolicy(ranking, 1.5)).toThrow(/epsilon must be in \[0, 1\]/);
  });

  it('a policy served in the simulator logs exactly the probabilities it states', () => {
    const policy = new EpsilonGreedyTargetPolicy(ranking, 0.3);
    const c = ctx(12, 4);
    const slate = servePolicy(policy, c, new Rng('serve'));
    slate.entries.forEach((e, p) => expect(e.propensity).toBe(slotProbability(policy.slot(c, p), e.itemId, 12)));
  });
});

describe('reading slot distributions', () => {
  it('expectation over the listed items plus the uniform rest equals the brute-force sum', () => {
    const value = (i: number): number => (i * 7) % 5;
    const n = 12;
    const dist = new EpsilonGreedyTargetPolicy(ranking, 0.3).slot(ctx(n, 4), 2);
    let brute = 0;
    let catalogSum = 0;
    for (let i = 0; i < n; i++) {
      brute += slotProbability(dist, i, n) * value(i);
      catalogSum += value(i);
    }
    expect(slotExpectation(dist, value, catalogSum, n)).toBeCloseTo(brute, 12);
  });

  it('topK keeps the k best, best first, ties to the lower index', () => {
    const s = [2, 5, 5, 1, 9, 2, 5];
    expect(topK(s, 4, s.length)).toEqual([4, 1, 2, 6]);
    expect(topK(s, 0, s.length)).toEqual([]);
    expect(topK(s, 3, 3)).toEqual([1, 2, 0]);
  });
});

describe('popularity ranking', () => {
  const row = (time: number, itemId: number, clicked: boolean, slateId: number): ImpressionRow => ({
    time, epoch: 0, slateId, userId: 0, itemId, position: 0, arm: 'a', source: 's', propensity: 1,
    clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
  });

  it('counts clicks inside the window, most clicked first (ties: lower id), then fills with the newest items', () => {
    const buffer = new ImpressionBuffer();
    const clicks: [number, number][] = [[0.5, 3], [1.2, 3], [1.5, 3], [1.6, 8], [1.7, 8], [1.8, 1], [1.9, 1], [2.5, 4], [1.1, 6]];
    clicks.forEach(([t, item], k) => buffer.append(row(t, item, true, k)));
    buffer.append(row(1.3, 9, false, 99));
    const pop = PopularityRanking.fit([buffer], 1, 2); // drops day 0.5 and day 2.5
    expect(pop.ranked).toEqual([1, 3, 8, 6]);
    expect(pop.top(ctx(10, 6), 6)).toEqual([1, 3, 8, 6, 9, 7]);
    expect(pop.top(ctx(7, 6), 6)).toEqual([1, 3, 6, 5, 4, 2]); // item 8 does not exist yet in a 7-item catalog
  });
});

describe('the direct method model', () => {
  it('recovers slot examination and item rates from uniformly logged independent clicks', () => {
    const bandit = new SyntheticSlateBandit({ items: 30, slots: 5, contexts: 1, positionDecay: 0.7, seed: 'dm' });
    const model = FactorisedRewardModel.fit(bandit.log(new UniformPolicy(), 40_000, new Rng('dm-log')), { prior: 1 });
    for (let p = 1; p < 5; p++) expect(model.slotFactor[p]).toBeCloseTo(0.7 ** p, 1);
    const c = bandit.context(0);
    let err = 0;
    for (let i = 0; i < 30; i++) err += Math.abs(model.predict(c, i, 0) - bandit.expectedReward(0, i, 0));
    expect(err / 30).toBeLessThan(0.03);
    expect(model.catalogSum(c, 2)).toBeCloseTo(Array.from({ length: 30 }, (_, i) => model.predict(c, i, 2)).reduce((a, b) => a + b), 10);
  });

  it('separates slot from item when the logging policy puts good items on top', () => {
    const bandit = new SyntheticSlateBandit({ items: 30, slots: 5, contexts: 1, positionDecay: 0.6, seed: 'dm-2' });
    const logging = new EpsilonGreedyTargetPolicy(bandit.ranking('true', 0, 'x'), 0.5);
    const model = FactorisedRewardModel.fit(bandit.log(logging, 40_000, new Rng('dm-log-2')), { prior: 1 });
    for (let p = 1; p < 5; p++) expect(model.slotFactor[p]).toBeCloseTo(0.6 ** p, 1);
  });
});

/**
 * Every policy that can be an off-policy target states each slot's distribution
 * (`slotMarginals`). Checked against the slates the policy itself draws: deterministic policies
 * exactly, the others against the frequencies of 20,000 `select` draws within 4.5 standard
 * errors (of the frequency, plus the Monte-Carlo error of a sampled marginal), on two seeds.
 */
import { describe, expect, it } from 'vitest';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { softmaxWeights } from '../src/recommender/explore/plackett-luce.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlotDistribution } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };
const SCORES = [2, 1.6, 1.1, 0.9, 0.3, -0.2];
const POOL: ScoredCandidate[] = SCORES.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
const SLATE = 3;
const DRAWS = 20_000;

/** P(item at slot) under a distribution over a catalog of `catalogSize` items. */
function probability(dist: SlotDistribution, itemId: number, catalogSize: number): number {
  const k = dist.items.indexOf(itemId);
  const rest = dist.restMass > 0 && !dist.restExcludes.includes(itemId) ? dist.restMass / (catalogSize - dist.restExcludes.length) : 0;
  return (k >= 0 ? dist.probs[k] : 0) + rest;
}

function totalMass(dist: SlotDistribution): number {
  return dist.probs.reduce((a, b) => a + b, 0) + dist.restMass;
}

/** Frequencies of item ids at each slot over `DRAWS` slates drawn by `select`. */
function frequencies(policy: ExplorationPolicy, seed: string, cap?: CreatorCap): Map<number, number>[] {
  const rng = new Rng(seed);
  const counts: Map<number, number>[] = [];
  for (let m = 0; m < DRAWS; m++) {
    policy.select(REQUEST, POOL, SLATE, rng, cap).forEach((e, p) => {
      counts[p] ??= new Map();
      counts[p].set(e.itemId, (counts[p].get(e.itemId) ?? 0) + 1);
    });
  }
  return counts.map((c) => new Map([...c].map(([item, n]) => [item, n / DRAWS])));
}

/**
 * Each slot's stated distribution against the drawn frequencies. `make(mcDraws)` builds the
 * policy: the stated marginals use MC draws (0: exact), the drawn slates a policy with one
 * (its choices never depend on the number, only its logged propensities do, and those are not read here).
 */
function expectAgreement(make: (mcDraws: number) => ExplorationPolicy, mcDraws: number, catalogSize: number, cap?: CreatorCap): void {
  for (const seed of ['a', 'b']) {
    const stated = make(mcDraws).slotMarginals?.(REQUEST, POOL, SLATE, new Rng(`marginals/${seed}`), cap) ?? [];
    const drawn = frequencies(make(1), `draws/${seed}`, cap);
    expect(stated).toHaveLength(drawn.length);
    stated.forEach((dist, p) => {
      expect(totalMass(dist)).toBeCloseTo(1, 12);
      const items = new Set([...dist.items, ...drawn[p].keys()]);
      for (const item of items) {
        const q = probability(dist, item, catalogSize);
        const f = drawn[p].get(item) ?? 0;
        // The larger of the two as the variance's p, so a rare item the marginals missed is judged by its drawn rate.
        const v = Math.max(q, f) * (1 - Math.max(q, f));
        const variance = v / DRAWS + (mcDraws > 0 ? v / mcDraws : 0);
        expect(Math.abs(f - q), `slot ${p}, item ${item}: stated ${q}, drawn ${f}`).toBeLessThanOrEqual(4.5 * Math.sqrt(variance) + 1e-12);
      }
    });
  }
}

/** Creators: items 10 and 11 share creator 0, items 12 and 13 creator 1, the rest have their own. */
const CAP: CreatorCap = { cap: 1, creatorOf: (id) => (id < 14 ? (id - 10) >> 1 : id), catalogItems: () => 2 };

describe('slot distributions of the policies that can be off-policy targets', () => {
  it('greedy and UCB: point masses on the slate they serve', () => {
    const ucb = new UcbPolicy(1, 'click');
    ucb.counts.record(10, true);
    ucb.counts.record(11, false);
    ucb.counts.record(11, false);
    for (const policy of [new GreedyPolicy(), ucb]) {
      const slate = policy.select(REQUEST, POOL, SLATE, new Rng('x')).map((e) => e.itemId);
      const stated = policy.slotMarginals(REQUEST, POOL, SLATE, new Rng('y'));
      expect(stated).toEqual(slate.map((item) => ({ items: [item], probs: [1], restMass: 0, restExcludes: [] })));
    }
    // UCB puts the unseen items first: the slate is not the ranker's order.
    expect(ucb.slotMarginals(REQUEST, POOL, SLATE, new Rng('y')).map((d) => d.items[0])).toEqual([12, 13, 14]);
  });

  it('epsilon-greedy over the candidates: the closed form, every slot summing to 1', () => {
    expectAgreement((mcDraws) => new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'candidates', mcDraws }, () => 50, new KeyedStream('mc')), 0, POOL.length);
  });

  it('epsilon-greedy over the catalog: the closed form with the rest of the catalog as uniform mass', () => {
    const catalog = 16;
    const make = (mcDraws: number) => new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'catalog', mcDraws }, () => catalog, new KeyedStream('mc'));
    const stated = make(1).slotMarginals(REQUEST, POOL, SLATE, new Rng('m'));
    // Slot 0's greedy item is kept unless the slot explores: P ≥ 1 − ε.
    expect(probability(stated[0], 10, catalog)).toBeGreaterThanOrEqual(0.5);
    expect(stated[0].restMass).toBeGreaterThan(0);
    expectAgreement(make, 0, catalog);
  });

  it('epsilon-greedy under a binding creator cap: simulated frequencies', () => {
    expectAgreement((mcDraws) => new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'candidates', mcDraws }, () => 50, new KeyedStream('mc')), 4000, POOL.length, CAP);
  });

  it('Thompson sampling: frequencies of slates drawn from the posterior, capped or not', () => {
    const make = (mcDraws: number) => {
      const policy = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws }, new KeyedStream('mc'));
      // Item 13 has clicked often, 10 rarely: the posterior must show in the marginals.
      for (let t = 0; t < 12; t++) policy.counts.record(13, t % 4 !== 0);
      for (let t = 0; t < 12; t++) policy.counts.record(10, t === 0);
      return policy;
    };
    const stated = make(4000).slotMarginals(REQUEST, POOL, SLATE, new Rng('m'));
    expect(probability(stated[0], 13, 6)).toBeGreaterThan(probability(stated[0], 10, 6) + 0.2);
    expectAgreement(make, 4000, POOL.length);
    expectAgreement(make, 4000, POOL.length, CAP);
  });

  it('Boltzmann: slot 0 is the softmax exactly, later slots the frequencies of Plackett–Luce slates', () => {
    const make = (mcDraws: number) => new BoltzmannPolicy(0.5, mcDraws, new KeyedStream('mc'));
    const stated = make(4000).slotMarginals(REQUEST, POOL, SLATE, new Rng('m'));
    const w = softmaxWeights(POOL, new Uint8Array(POOL.length), 0.5);
    const total = w.reduce((a, b) => a + b, 0);
    expect(stated[0].probs).toEqual(Array.from(w, (x) => x / total));
    expectAgreement(make, 4000, POOL.length);
  });
});

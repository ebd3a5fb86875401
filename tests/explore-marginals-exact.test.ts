/**
 * Slot distributions checked exactly on tiny pools (fast enough for the exploration mutation
 * group): the tally of simulated slates, point masses, and ε-greedy's closed form against a
 * plain enumeration of which slots explore.
 */
import { describe, expect, it } from 'vitest';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { pointMasses, SlotTally } from '../src/recommender/explore/marginals.js';
import { candidateLimit } from '../src/recommender/explore/pool-limit.js';
import { sampledMarginals, type ScoreSampler } from '../src/recommender/explore/sampled-slate.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import type { CreatorCap, RecRequest, ScoredCandidate, SlotDistribution } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };
const pool = (ids: readonly number[]): ScoredCandidate[] => ids.map((itemId, k) => ({ itemId, sources: ['t'], sourceScore: -k, score: -k }));

/** At most one item per creator; items 10, 11 are creator 0's, 12, 13 creator 1's (and over a catalog 0..5: id < 3 is creator 0). */
const ONE_PER_CREATOR: CreatorCap = {
  cap: 1,
  creatorOf: (itemId) => (itemId >= 10 ? (itemId < 12 ? 0 : 1) : itemId < 3 ? 0 : 1),
  catalogItems: () => 3,
};

/** Each slot's probabilities sum to 1 and are counts out of `draws` simulated slates. */
function expectFrequencies(dists: readonly SlotDistribution[], draws: number): void {
  for (const dist of dists) {
    expect(dist.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const p of dist.probs) expect(Math.abs(p * draws - Math.round(p * draws))).toBeLessThan(1e-9);
    expect(dist.restMass).toBe(0);
  }
}

/** Rows of scores served in turn (the stream is not read), so the slates a tally sees are known. */
function fixedRows(rows: readonly number[][]): ScoreSampler {
  let next = 0;
  return { sample: (_rng, out) => out.set(rows[next++ % rows.length]) };
}

/** P(item at slot) under a distribution over items 0..catalog-1. */
function probability(dist: SlotDistribution, itemId: number, catalog: number): number {
  const k = dist.items.indexOf(itemId);
  const rest = dist.restMass > 0 && !dist.restExcludes.includes(itemId) ? dist.restMass / (catalog - dist.restExcludes.length) : 0;
  return (k >= 0 ? dist.probs[k] : 0) + rest;
}

/**
 * ε-greedy by enumeration: slot p < G explores with probability ε (p ≥ G always does); a slot
 * that does not explore keeps greedy[p]; each exploring slot is, marginally, uniform over the
 * pool minus the kept items.
 */
function enumerated(items: readonly number[], greedy: readonly number[], slots: number, epsilon: number): number[][] {
  const out = Array.from({ length: slots }, () => new Array<number>(items.length).fill(0));
  for (let mask = 0; mask < 1 << slots; mask++) {
    const explores = (p: number) => p >= greedy.length || ((mask >> p) & 1) === 1;
    if ([...Array(slots).keys()].some((p) => p >= greedy.length && ((mask >> p) & 1) === 0)) continue;
    let weight = 1;
    for (let p = 0; p < Math.min(slots, greedy.length); p++) weight *= explores(p) ? epsilon : 1 - epsilon;
    const kept = new Set([...Array(slots).keys()].filter((p) => !explores(p)).map((p) => greedy[p]));
    const rest = items.filter((i) => !kept.has(i));
    for (let p = 0; p < slots; p++) {
      items.forEach((item, k) => {
        out[p][k] += weight * (explores(p) ? (kept.has(item) ? 0 : 1 / rest.length) : item === greedy[p] ? 1 : 0);
      });
    }
  }
  return out;
}

describe('slot distributions, exactly', () => {
  it('a tally of simulated slates gives each slot the frequencies, listing only items seen there', () => {
    const tally = new SlotTally([7, 8, 9], 2);
    tally.add([0, 1]);
    tally.add([0, 2]);
    tally.add([2, 0]);
    tally.add([0, 1]);
    expect(tally.distributions()).toEqual([
      { items: [7, 9], probs: [0.75, 0.25], restMass: 0, restExcludes: [] },
      { items: [7, 8, 9], probs: [0.25, 0.5, 0.25], restMass: 0, restExcludes: [] },
    ]);
  });

  it('point masses hold each slot of a deterministic slate', () => {
    expect(pointMasses([{ itemId: 4, source: 's', propensity: 1 }, { itemId: 2, source: 's', propensity: 1 }])).toEqual([
      { items: [4], probs: [1], restMass: 0, restExcludes: [] },
      { items: [2], probs: [1], restMass: 0, restExcludes: [] },
    ]);
  });

  it('epsilon-greedy over the candidates matches the enumeration', () => {
    const ids = [10, 11, 12, 13];
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'candidates', mcDraws: 1 }, () => 99, new KeyedStream('mc'));
    const stated = policy.slotMarginals(REQUEST, pool(ids), 3, new Rng('m'));
    const expected = enumerated(ids, ids.slice(0, 3), 3, 0.3);
    expect(stated).toHaveLength(3);
    stated.forEach((dist, p) => ids.forEach((item, k) => expect(probability(dist, item, 99), `slot ${p} item ${item}`).toBeCloseTo(expected[p][k], 12)));
  });

  it('epsilon-greedy over the catalog: slots past the candidates always explore, the rest of the catalog as uniform mass', () => {
    const catalog = 7;
    const items = [...Array(catalog).keys()];
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 1 }, () => catalog, new KeyedStream('mc'));
    const stated = policy.slotMarginals(REQUEST, pool([5, 2]), 3, new Rng('m'));
    const expected = enumerated(items, [5, 2], 3, 0.4);
    expect(stated).toHaveLength(3);
    stated.forEach((dist, p) => {
      expect(dist.restExcludes).toEqual([5, 2]);
      items.forEach((item) => expect(probability(dist, item, catalog), `slot ${p} item ${item}`).toBeCloseTo(expected[p][item], 12));
    });
    // A catalog no larger than the greedy list leaves no rest.
    const small = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 1 }, () => 2, new KeyedStream('mc'));
    expect(small.slotMarginals(REQUEST, pool([1, 0]), 2, new Rng('m')).map((d) => d.restMass)).toEqual([0, 0]);
  });

  it('epsilon-greedy over the catalog keeps only the first slots\' worth of candidates as its greedy list', () => {
    const catalog = 7;
    const items = [...Array(catalog).keys()];
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 1 }, () => catalog, new KeyedStream('mc'));
    const stated = policy.slotMarginals(REQUEST, pool([5, 2, 6, 1]), 2, new Rng('m'));
    const expected = enumerated(items, [5, 2], 2, 0.4);
    expect(stated).toHaveLength(2);
    stated.forEach((dist, p) => {
      expect(dist.items).toEqual([5, 2]);
      expect(dist.restExcludes).toEqual([5, 2]);
      items.forEach((item) => expect(probability(dist, item, catalog), `slot ${p} item ${item}`).toBeCloseTo(expected[p][item], 12));
    });
  });

  it('epsilon-greedy under a binding cap: with epsilon 0 every simulated slate is the capped greedy walk', () => {
    const candidates = new EpsilonGreedyPolicy({ epsilon: 0, over: 'candidates', mcDraws: 4 }, () => 99, new KeyedStream('mc'));
    // 11 is skipped (its creator already has 10): two slots, not three.
    expect(candidates.slotMarginals(REQUEST, pool([10, 11, 12, 13]), 3, new Rng('m'), ONE_PER_CREATOR)).toEqual(pointMasses([
      { itemId: 10, source: 't', propensity: 1 },
      { itemId: 12, source: 't', propensity: 1 },
    ]));
    // Over a catalog of 6 (two creators): the greedy walk is 0, then 3.
    const catalog = new EpsilonGreedyPolicy({ epsilon: 0, over: 'catalog', mcDraws: 4 }, () => 6, new KeyedStream('mc'));
    expect(catalog.slotMarginals(REQUEST, pool([0, 1, 3, 4]), 2, new Rng('m'), ONE_PER_CREATOR)).toEqual(pointMasses([
      { itemId: 0, source: 't', propensity: 1 },
      { itemId: 3, source: 't', propensity: 1 },
    ]));
  });

  it('epsilon-greedy under a binding cap: the frequencies of exactly mc_draws simulated slates, each slate within the cap', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'candidates', mcDraws: 3 }, () => 99, new KeyedStream('mc'));
    const stated = policy.slotMarginals(REQUEST, pool([10, 11, 12, 13]), 3, new Rng('m'), ONE_PER_CREATOR);
    expect(stated).toHaveLength(2);
    expectFrequencies(stated, 3);
    // This stream explores: some slot is not a point mass (so a fourth draw would show in the thirds).
    expect(stated.some((d) => d.items.length > 1)).toBe(true);
  });

  it('greedy and UCB state point masses on the slate they select, under the cap', () => {
    const slate = [
      { itemId: 10, source: 't', propensity: 1 },
      { itemId: 12, source: 't', propensity: 1 },
    ];
    expect(new GreedyPolicy().slotMarginals(REQUEST, pool([10, 11, 12, 13]), 3, undefined, ONE_PER_CREATOR)).toEqual(pointMasses(slate));
    // No item seen yet: every index ties and the ranker's order stands.
    expect(new UcbPolicy(Math.SQRT2, 'click').slotMarginals(REQUEST, pool([10, 11, 12, 13]), 3, undefined, ONE_PER_CREATOR)).toEqual(pointMasses(slate));
  });

  it('boltzmann: slot 0 is the exact softmax, later slots the frequencies of mc_draws slates', () => {
    const policy = new BoltzmannPolicy(1, 3, new KeyedStream('mc'));
    const stated = policy.slotMarginals(REQUEST, pool([7, 8, 9]), 3, new Rng('m'));
    const z = 1 + Math.exp(-1) + Math.exp(-2);
    expect(stated).toHaveLength(3);
    expect(stated[0].items).toEqual([7, 8, 9]);
    [1 / z, Math.exp(-1) / z, Math.exp(-2) / z].forEach((p, k) => expect(stated[0].probs[k]).toBeCloseTo(p, 12));
    expectFrequencies(stated.slice(1), 3);
    expect(stated.slice(1).some((d) => d.items.length > 1)).toBe(true);
    for (const dist of stated) expect(dist.items.every((id) => [7, 8, 9].includes(id))).toBe(true);
    // One slot: the softmax alone; no slot: nothing.
    expect(policy.slotMarginals(REQUEST, pool([7, 8, 9]), 1, new Rng('m'))).toEqual([stated[0]]);
    expect(policy.slotMarginals(REQUEST, [], 3, new Rng('m'))).toEqual([]);
  });

  it('sampled slates: each slot holds the frequencies of the top of each drawn row, under the cap', () => {
    const rows = [
      [3, 2, 1, 0],
      [0, 3, 2, 1],
      [1, 1, 5, 0],
      [0, 1, 2, 3],
    ];
    const ids = pool([10, 11, 12, 13]);
    // Tops of two: [10, 11], [11, 12], [12, 10] (ties to the earlier item), [13, 12].
    expect(sampledMarginals(ids, fixedRows(rows), 4, new Rng('m'), 2)).toEqual([
      { items: [10, 11, 12, 13], probs: [0.25, 0.25, 0.25, 0.25], restMass: 0, restExcludes: [] },
      { items: [10, 11, 12], probs: [0.25, 0.25, 0.5], restMass: 0, restExcludes: [] },
    ]);
    // Three rows only, at most one item per creator: [10, 12], [11, 12], [12, 10].
    expect(sampledMarginals(ids, fixedRows(rows), 3, new Rng('m'), 3, candidateLimit(ONE_PER_CREATOR, ids))).toEqual([
      { items: [10, 11, 12], probs: [1 / 3, 1 / 3, 1 / 3], restMass: 0, restExcludes: [] },
      { items: [10, 12], probs: [1 / 3, 2 / 3], restMass: 0, restExcludes: [] },
    ]);
  });

  it('thompson: the frequencies of mc_draws slates from its posterior', () => {
    const policy = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws: 3 }, new KeyedStream('mc'));
    const stated = policy.slotMarginals(REQUEST, pool([7, 8, 9]), 2, new Rng('m'));
    expect(stated).toHaveLength(2);
    expectFrequencies(stated, 3);
    for (const dist of stated) expect(dist.items.every((id) => [7, 8, 9].includes(id))).toBe(true);
  });
});

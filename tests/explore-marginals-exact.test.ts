/**
 * Slot distributions checked exactly on tiny pools (fast enough for the exploration mutation
 * group): the tally of simulated slates, point masses, and ε-greedy's closed form against a
 * plain enumeration of which slots explore.
 */
import { describe, expect, it } from 'vitest';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import { pointMasses, SlotTally } from '../src/recommender/explore/marginals.js';
import type { RecRequest, ScoredCandidate, SlotDistribution } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };
const pool = (ids: readonly number[]): ScoredCandidate[] => ids.map((itemId, k) => ({ itemId, sources: ['t'], sourceScore: -k, score: -k }));

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
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'candidates', mcDraws: 1 }, () => 99, new Rng('mc'));
    const stated = policy.slotMarginals(REQUEST, pool(ids), 3, new Rng('m'));
    const expected = enumerated(ids, ids.slice(0, 3), 3, 0.3);
    expect(stated).toHaveLength(3);
    stated.forEach((dist, p) => ids.forEach((item, k) => expect(probability(dist, item, 99), `slot ${p} item ${item}`).toBeCloseTo(expected[p][k], 12)));
  });

  it('epsilon-greedy over the catalog: slots past the candidates always explore, the rest of the catalog as uniform mass', () => {
    const catalog = 7;
    const items = [...Array(catalog).keys()];
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 1 }, () => catalog, new Rng('mc'));
    const stated = policy.slotMarginals(REQUEST, pool([5, 2]), 3, new Rng('m'));
    const expected = enumerated(items, [5, 2], 3, 0.4);
    expect(stated).toHaveLength(3);
    stated.forEach((dist, p) => {
      expect(dist.restExcludes).toEqual([5, 2]);
      items.forEach((item) => expect(probability(dist, item, catalog), `slot ${p} item ${item}`).toBeCloseTo(expected[p][item], 12));
    });
    // A catalog no larger than the greedy list leaves no rest.
    const small = new EpsilonGreedyPolicy({ epsilon: 0.4, over: 'catalog', mcDraws: 1 }, () => 2, new Rng('mc'));
    expect(small.slotMarginals(REQUEST, pool([1, 0]), 2, new Rng('m')).map((d) => d.restMass)).toEqual([0, 0]);
  });
});

/**
 * Slates and their logged propensities on pools small enough to work out by hand: the
 * Monte-Carlo estimate (W + 1)/(M + 1) from scripted score draws, the Rao–Blackwellised capped
 * epsilon-greedy estimate, epsilon-greedy's closed form per slot and its sources, UCB's ties,
 * and the Thompson head of the candidate stage.
 */
import { describe, expect, it } from 'vitest';
import { cappedMarginals, sampleCapped } from '../src/recommender/explore/epsilon-capped.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import { EpsilonSlots } from '../src/recommender/explore/epsilon-slots.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { candidateLimit, cappedWalk } from '../src/recommender/explore/pool-limit.js';
import { monteCarloScores, sampledSlate, type ScoreSampler } from '../src/recommender/explore/sampled-slate.js';
import { ThompsonExploreSource } from '../src/recommender/explore/thompson-candidates.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import type { CreatorCap, RecRequest, ScoredCandidate } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { clickLog } from './support/click-log.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

function pool(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
}

/** Replays fixed rows of scores, one per call, ignoring the stream. */
function scripted(rows: readonly (readonly number[])[]): ScoreSampler {
  let next = 0;
  return { sample: (_rng, out) => out.set(rows[next++ % rows.length]) };
}

function capOf(cap: number, creators: number): CreatorCap {
  return { cap, creatorOf: (itemId) => itemId % creators, catalogItems: () => 100 };
}

describe('Monte-Carlo slate propensities', () => {
  it('the slate is the top of the realised draw; slot k logs (wins at k + 1)/(M + 1)', () => {
    const realised = [0.1, 0.9, 0.5];
    const mcRows = [
      [0.9, 0.1, 0.5], // 0, 2: slot 1 agrees
      [0.2, 0.8, 0.9], // 2, 1
      [0.3, 0.7, 0.1], // 1, 0: slot 0 agrees
      [0.6, 1.0, 0.0], // 1, 0: slot 0 agrees
    ];
    const mc = monteCarloScores(scripted(mcRows), 3, 4, new Rng('unused'));
    expect(Array.from(mc)).toEqual(mcRows.flat());
    const slate = sampledSlate(pool([0, 0, 0]), scripted([realised]), mc, { slateSize: 2, rng: new Rng('unused') });
    expect(slate.map((e) => [e.itemId, e.propensity])).toEqual([[11, 3 / 5], [12, 2 / 5]]);
  });

  it('a slate no larger than the pool, or than the cap allows; none for a slate of 0', () => {
    const mc = monteCarloScores(scripted([[3, 2, 1, 0]]), 4, 2, new Rng('unused'));
    const sampler = scripted([[3, 2, 1, 0]]);
    expect(sampledSlate(pool([0, 0, 0, 0]), sampler, mc, { slateSize: 0, rng: new Rng('x') })).toEqual([]);
    expect(sampledSlate(pool([0, 0, 0, 0]), sampler, mc, { slateSize: 9, rng: new Rng('x') }).map((e) => e.itemId)).toEqual([10, 11, 12, 13]);
    // Items 10..13, creator = id mod 2, cap 1: one of each creator, in score order.
    const limit = candidateLimit(capOf(1, 2), pool([0, 0, 0, 0]));
    const capped = sampledSlate(pool([0, 0, 0, 0]), sampler, mc, { slateSize: 3, rng: new Rng('x'), limit });
    expect(capped.map((e) => [e.itemId, e.propensity])).toEqual([[10, 1], [11, 1]]);
  });

  it('monteCarloScores draws row after row from its own stream', () => {
    const uniform: ScoreSampler = { sample: (rng, out) => out.forEach((_, k) => (out[k] = rng.next())) };
    const mc = monteCarloScores(uniform, 2, 3, new Rng('mc'));
    const replay = new Rng('mc');
    expect(Array.from(mc)).toEqual(Array.from({ length: 6 }, () => replay.next()));
  });
});

describe('epsilon-greedy under a creator cap', () => {
  // Pool indices 0..5 are items 10..15: creators 1, 2, 0, 1, 2, 0; cap 1 leaves one of each.
  const candidates = pool([6, 5, 4, 3, 2, 1]);

  function limit() {
    const l = candidateLimit(capOf(1, 3), candidates);
    if (!l) throw new Error('the cap binds');
    return l;
  }

  it('with no Monte-Carlo draws, the estimate is the realised slate’s own conditionals', () => {
    const l = limit();
    const greedy = cappedWalk([0, 1, 2, 3, 4, 5], 3, l);
    expect(greedy).toEqual([0, 1, 2]);
    // Slot 1 explores; 0 and 2 are kept, so their creators are full: only 1 and 4 (creator 2) are open.
    const marginals = cappedMarginals(0.5, 6, greedy, { slate: [0, 4, 2], explored: [false, true, false] }, l, 0, new Rng('mc'));
    expect(Array.from(marginals)).toEqual([1, 0.5, 1]);
  });

  it('a slot that explores first faces the whole pool: its conditional is 1/n in every draw', () => {
    const l = limit();
    const realised = sampleCapped(1, 6, 3, [0, 1, 2], l, new Rng('real'));
    expect(realised.explored).toEqual([true, true, true]);
    const creators = realised.slate.map((k) => (10 + k) % 3);
    expect(new Set(creators).size).toBe(3);
    const marginals = cappedMarginals(1, 6, [0, 1, 2], realised, l, 50, new Rng('mc'));
    expect(marginals[0]).toBeCloseTo(1 / 6, 14);
  });

  it('ε = 0 keeps the greedy list and logs 1 at every slot', () => {
    const l = limit();
    const realised = sampleCapped(0, 6, 3, [0, 1, 2], l, new Rng('real'));
    expect(realised).toEqual({ slate: [0, 1, 2], explored: [false, false, false] });
    expect(Array.from(cappedMarginals(0, 6, [0, 1, 2], realised, l, 10, new Rng('mc')))).toEqual([1, 1, 1]);
  });

  it('a slate stops when the cap leaves nothing open', () => {
    const l = limit();
    // Six slots asked, three creators at cap 1: three items.
    expect(sampleCapped(1, 6, 6, [], l, new Rng('s')).slate).toHaveLength(3);
  });
});

describe('epsilon-greedy slates', () => {
  it('over the candidates: each slot logs the closed form for its item’s greedy rank', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'candidates', mcDraws: 10 }, () => 100, new KeyedStream('mc'));
    const slots = new EpsilonSlots(0.5);
    const rng = new Rng('draws');
    const candidates = pool([5, 4, 3, 2, 1]);
    for (let t = 0; t < 30; t++) {
      const slate = policy.select(REQUEST, candidates, 2, rng);
      expect(slate).toHaveLength(2);
      slate.forEach((e, p) => {
        const rank = e.itemId - 10;
        expect(e.propensity).toBe(slots.probability(5, 2, 2, p, rank < 2 ? rank : -1));
      });
    }
  });

  it('over the catalog: greedy list of the first L candidates; others logged as explore at the closed form', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.6, over: 'catalog', mcDraws: 10 }, () => 8, new KeyedStream('mc'));
    const slots = new EpsilonSlots(0.6);
    const candidates = [7, 3, 5].map((itemId, k) => ({ itemId, sources: ['a', 'b'], sourceScore: 3 - k, score: 3 - k }));
    const rng = new Rng('draws');
    const seen = new Set<number>();
    for (let t = 0; t < 60; t++) {
      const slate = policy.select(REQUEST, candidates, 2, rng);
      slate.forEach((e, p) => {
        seen.add(e.itemId);
        const rank = [7, 3].indexOf(e.itemId);
        expect(e.propensity).toBe(slots.probability(8, 2, 2, p, rank));
        expect(e.source).toBe([7, 3, 5].includes(e.itemId) ? 'a+b' : 'explore');
      });
    }
    expect(seen.size).toBeGreaterThan(4);
  });

  it('under a cap over the catalog the slate holds one item per creator', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'catalog', mcDraws: 20 }, () => 9, new KeyedStream('mc'));
    const cap: CreatorCap = { cap: 1, creatorOf: (id) => id % 3, catalogItems: () => 3 };
    const rng = new Rng('draws');
    for (let t = 0; t < 30; t++) {
      const slate = policy.select(REQUEST, pool([3, 2, 1]).map((c, k) => ({ ...c, itemId: k * 3 })), 3, rng, cap);
      expect(slate).toHaveLength(3);
      expect(new Set(slate.map((e) => e.itemId % 3)).size).toBe(3);
      for (const e of slate) expect(e.propensity).toBeGreaterThan(0);
    }
  });
});

describe('deterministic policies', () => {
  it('greedy: the top of the list, no more than the pool', () => {
    expect(new GreedyPolicy().select(REQUEST, pool([3, 2, 1]), 2).map((e) => e.itemId)).toEqual([10, 11]);
    expect(new GreedyPolicy().select(REQUEST, pool([3, 2]), 5)).toHaveLength(2);
  });

  it('UCB: equal indices keep the ranker’s order; N below 1 counts as 1', () => {
    const policy = new UcbPolicy(2, 'click');
    expect(policy.select(REQUEST, pool([3, 2, 1]), 3).map((e) => e.itemId)).toEqual([10, 11, 12]);
    policy.counts.record(12, true);
    // N = 1: ln 1 = 0, so item 12's index is its mean, 1; the unseen come first in list order.
    expect(policy.index(12)).toBe(1);
    expect(policy.select(REQUEST, pool([3, 2, 1]), 3).map((e) => e.itemId)).toEqual([10, 11, 12]);
    policy.counts.record(10, false);
    policy.counts.record(11, true);
    policy.counts.record(11, false);
    // N = 4: 12 has mean 1 and 1 trial, 11 mean 0.5 and 2 trials, 10 mean 0 and 1 trial.
    const bonus = (n: number) => 2 * Math.sqrt(Math.log(4) / n);
    expect(policy.index(11)).toBeCloseTo(0.5 + bonus(2), 14);
    expect(policy.select(REQUEST, pool([3, 2, 1]), 2).map((e) => e.itemId)).toEqual([12, 10]);
  });
});

describe('Thompson sampling at the candidate stage', () => {
  const log = clickLog;

  it('the head: most shown first (ties to the lower id), topped up with the newest uploads', () => {
    const source = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 2, head: 4, mcDraws: 20 }, () => 10, new KeyedStream('c'), new Rng('mc'));
    expect(Array.from(source.head)).toEqual([9, 8, 7, 6]);
    source.retrain(log([[3, 2, 0], [5, 4, 1], [1, 2, 2], [9, 1, 0]]));
    expect(Array.from(source.head)).toEqual([5, 1, 3, 9]);
    source.retrain(log([[2, 1, 0]]));
    expect(Array.from(source.head)).toEqual([2, 9, 8, 7]);
  });

  it('inclusion probabilities of the head sum to k, 0 off the head; k above the head means the whole head', () => {
    const source = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 2, head: 4, mcDraws: 30 }, () => 10, new KeyedStream('c'), new Rng('mc'));
    source.retrain(log([[3, 5, 4], [5, 5, 0], [1, 5, 2], [9, 5, 1]]));
    const head = Array.from(source.head);
    const total = head.reduce((s, id) => s + source.inclusion(REQUEST, id), 0);
    expect(total).toBeCloseTo(2, 12);
    expect(source.inclusion(REQUEST, 0)).toBe(0);
    // Item 3 (4 of 5 clicked) beats item 5 (0 of 5) to the candidates.
    expect(source.inclusion(REQUEST, 3)).toBeGreaterThan(source.inclusion(REQUEST, 5));
    const all = new ThompsonExploreSource({ reward: 'click', prior: [1, 1], k: 9, head: 3, mcDraws: 10 }, () => 10, new KeyedStream('c'), new Rng('mc'));
    const [candidates] = all.generate([REQUEST]);
    expect(candidates.map((c) => c.itemId).sort()).toEqual([7, 8, 9]);
    for (const id of [7, 8, 9]) expect(all.inclusion(REQUEST, id)).toBeCloseTo(1, 12);
  });
});

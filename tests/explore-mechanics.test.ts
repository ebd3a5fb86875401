/**
 * Exploration mechanics, piece by piece, against values worked out by hand: the closed-form
 * epsilon-greedy probabilities, softmax weights, top-k orders and their ties, the creator cap's
 * bookkeeping, reward reading, count storage and cached posterior draws. Fast and exact, so a
 * changed operator shows as a wrong number rather than a drift in a frequency test.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { buildExploration, type ExplorationContext } from '../src/recommender/explore/build.js';
import { EpsilonExploreSource } from '../src/recommender/explore/candidate-stage.js';
import { EpsilonSlots, expectedInverse } from '../src/recommender/explore/epsilon-slots.js';
import { PlackettLuceSampler, softmaxWeights } from '../src/recommender/explore/plackett-luce.js';
import { candidateLimit, cappedTopInto, cappedWalk, catalogLimit } from '../src/recommender/explore/pool-limit.js';
import { PosteriorDraws } from '../src/recommender/explore/posterior-draws.js';
import { RewardCounts } from '../src/recommender/explore/reward-counts.js';
import { rewardInFeedback, rewardInLog, rewardsInWindow } from '../src/recommender/explore/rewards.js';
import { topInto } from '../src/recommender/explore/sampled-slate.js';
import { topK } from '../src/recommender/explore/thompson-candidates.js';
import { RepresentationExport } from '../src/recommender/ranking/representation.js';
import type { CreatorCap, RecRequest, ScoredCandidate, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream, RandomStreams, Rng } from '../src/rng/index.js';
import { exploration as explorationSchema } from '../src/scenario/exploration-schema.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

function pool(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
}

/** E[1/(base + B)], B ~ Bin(trials, p), summed term by term from binomial coefficients. */
function directInverse(base: number, trials: number, p: number): number {
  let e = 0;
  let choose = 1;
  for (let b = 0; b <= trials; b++) {
    e += (choose * p ** b * (1 - p) ** (trials - b)) / (base + b);
    choose = (choose * (trials - b)) / (b + 1);
  }
  return e;
}

describe('epsilon-greedy closed form', () => {
  it('expectedInverse is E[1/(base + B)] for B binomial, including ε = 0 and ε = 1', () => {
    expect(expectedInverse(5, 4, 0.3)).toBeCloseTo(directInverse(5, 4, 0.3), 14);
    expect(expectedInverse(2, 7, 0.8)).toBeCloseTo(directInverse(2, 7, 0.8), 14);
    expect(expectedInverse(5, 4, 0)).toBe(1 / 5);
    expect(expectedInverse(5, 4, 1)).toBe(1 / 9);
    expect(expectedInverse(3, 0, 1)).toBe(1 / 3);
  });

  it('the five probabilities of (n, L, G), each slot summing to 1 over the pool', () => {
    const eps = 0.4;
    const slots = new EpsilonSlots(eps);
    const [n, L, G] = [9, 4, 3];
    const t = slots.probabilities(n, L, G);
    const e0 = directInverse(n - G, G, eps);
    const e1 = directInverse(n - G + 1, G - 1, eps);
    const e2 = directInverse(n - G + 2, G - 2, eps);
    expect(t.own).toBeCloseTo(1 - eps + eps * e1, 14);
    expect(t.otherGreedy).toBeCloseTo(eps * eps * e2, 14);
    expect(t.rest).toBeCloseTo(eps * e1, 14);
    expect(t.greedyInOpenSlot).toBeCloseTo(eps * e1, 14);
    expect(t.restInOpenSlot).toBeCloseTo(e0, 14);
    expect(t.own + (G - 1) * t.otherGreedy + (n - G) * t.rest).toBeCloseTo(1, 12);
    expect(G * t.greedyInOpenSlot + (n - G) * t.restInOpenSlot).toBeCloseTo(1, 12);
  });

  it('with one greedy item there is no other greedy item, and no open slot when L = G', () => {
    const t = new EpsilonSlots(0.5).probabilities(6, 1, 1);
    expect(t.otherGreedy).toBe(0);
    expect(t.restInOpenSlot).toBe(0);
    expect(t.own).toBeCloseTo(0.5 + 0.5 / 6, 14);
    const none = new EpsilonSlots(0.5).probabilities(6, 2, 0);
    expect([none.own, none.rest, none.restInOpenSlot]).toEqual([0.5, 0, 1 / 6]);
  });

  it('the cache answers only for the same (n, L, G)', () => {
    const shared = new EpsilonSlots(0.3);
    const keys: [number, number, number][] = [[10, 3, 3], [10, 3, 3], [12, 3, 3], [12, 4, 3], [12, 4, 2], [10, 3, 3]];
    for (const [n, L, G] of keys) expect(shared.probabilities(n, L, G)).toEqual(new EpsilonSlots(0.3).probabilities(n, L, G));
  });

  it('probability picks the case by slot and greedy rank', () => {
    const slots = new EpsilonSlots(0.4);
    const t = slots.probabilities(9, 4, 3);
    expect(slots.probability(9, 4, 3, 1, 1)).toBe(t.own);
    expect(slots.probability(9, 4, 3, 1, 0)).toBe(t.otherGreedy);
    expect(slots.probability(9, 4, 3, 0, 2)).toBe(t.otherGreedy);
    expect(slots.probability(9, 4, 3, 1, -1)).toBe(t.rest);
    expect(slots.probability(9, 4, 3, 3, 0)).toBe(t.greedyInOpenSlot);
    expect(slots.probability(9, 4, 3, 3, -1)).toBe(t.restInOpenSlot);
    expect(new Set([t.own, t.otherGreedy, t.rest, t.restInOpenSlot]).size).toBe(4);
  });

  it('epsilon must lie in [0, 1]', () => {
    expect(() => new EpsilonSlots(-0.01)).toThrow(RangeError);
    expect(() => new EpsilonSlots(1.01)).toThrow(RangeError);
    expect(() => new EpsilonSlots(Number.NaN)).toThrow(RangeError);
    expect(new EpsilonSlots(0).epsilon).toBe(0);
    expect(new EpsilonSlots(1).epsilon).toBe(1);
  });

  it('sample keeps greedy items at ε = 0, and at ε = 1 fills a pool no larger than twice the slate with distinct items', () => {
    const rng = new Rng('slots');
    expect(new EpsilonSlots(0).sample(10, 3, [4, 7, 1], rng)).toEqual([4, 7, 1]);
    // Greedy list shorter than the slate: the open slots draw from the rest.
    const open = new EpsilonSlots(0).sample(4, 4, [2, 0], rng);
    expect(open.slice(0, 2)).toEqual([2, 0]);
    expect([...open].sort()).toEqual([0, 1, 2, 3]);
    for (let t = 0; t < 50; t++) expect(new Set(new EpsilonSlots(1).sample(5, 5, [0, 1, 2], rng)).size).toBe(5);
  });
});

describe('softmax weights and Plackett–Luce draws', () => {
  it('exp((s − max)/T) over the unplaced finite scores; non-finite and placed items weigh 0', () => {
    const w = softmaxWeights(pool([1, 3, Number.NaN, 5, Number.NEGATIVE_INFINITY]), Uint8Array.from([0, 0, 0, 1, 0]), 2);
    expect(Array.from(w)).toEqual([Math.exp(-1), 1, 0, 0, 0]);
  });

  it('with no finite score left, every unplaced item weighs 1', () => {
    const w = softmaxWeights(pool([4, Number.NaN, Number.POSITIVE_INFINITY]), Uint8Array.from([1, 0, 0]), 1);
    expect(Array.from(w)).toEqual([0, 1, 1]);
  });

  it('a non-finite item is drawn only after every finite one, then uniformly among the rest', () => {
    const candidates = pool([Number.NaN, 0, Number.NaN, 0.5]);
    const sampler = new PlackettLuceSampler(candidates, softmaxWeights(candidates, new Uint8Array(4), 1), 1);
    const rng = new Rng('pl');
    const out = new Int32Array(4);
    let firstOfNaN = 0;
    const draws = 4_000;
    for (let d = 0; d < draws; d++) {
      sampler.draw(rng, out);
      expect(new Set([out[0], out[1]])).toEqual(new Set([1, 3]));
      if (out[2] === 0) firstOfNaN++;
    }
    // Each NaN item is third half of the time: 4σ ≈ 0.032.
    expect(Math.abs(firstOfNaN / draws - 0.5)).toBeLessThan(0.032);
  });

  it('Boltzmann: temperature must be above 0; a slate of 0 is empty; slot 0 logs the softmax', () => {
    expect(() => new BoltzmannPolicy(0, 10, new KeyedStream('mc'))).toThrow(RangeError);
    const policy = new BoltzmannPolicy(0.5, 10, new KeyedStream('mc'));
    expect(policy.select(REQUEST, pool([1, 2]), 0, new Rng('x'))).toEqual([]);
    const [only] = policy.select(REQUEST, pool([1, 2]), 1, new Rng('x'));
    const top = 1 / (1 + Math.exp(-2));
    expect(only.propensity).toBeCloseTo(only.itemId === 11 ? top : 1 - top, 14);
  });
});

describe('top-k orders', () => {
  it('topInto: the highest first, ties to the earlier item, from an offset', () => {
    const scores = Float64Array.from([9, 9, 1, 3, 3, 2, 0]);
    const out = new Int32Array(2);
    topInto(scores, 2, 5, out);
    expect(Array.from(out)).toEqual([1, 2]);
    const all = new Int32Array(5);
    topInto(scores, 2, 5, all);
    expect(Array.from(all)).toEqual([1, 2, 3, 0, 4]);
    const one = new Int32Array(1);
    topInto(Float64Array.from([1, 5, 5, 2]), 0, 4, one);
    expect(one[0]).toBe(1);
  });

  it('topK: the k largest, ties to the lower index; nothing for k ≤ 0; all of them when k exceeds the length', () => {
    const values = Float64Array.from([0.2, 0.9, 0.5, 0.9, 0.1]);
    expect(topK(values, 3)).toEqual([1, 3, 2]);
    expect(topK(values, 1)).toEqual([1]);
    expect(topK(values, 0)).toEqual([]);
    expect(topK(values, -1)).toEqual([]);
    expect(topK(values, 9)).toEqual([1, 3, 2, 0, 4]);
    expect(topK(Float64Array.from([1, 2, 3, 4]), 2)).toEqual([3, 2]);
  });
});

/** creator = id mod `creators`; `items[c]` items of creator c in the catalog. */
function capOf(cap: number, creators: number, items: readonly number[]): CreatorCap {
  return { cap, creatorOf: (itemId) => itemId % creators, catalogItems: (c) => items[c] };
}

describe('the creator cap over a pool', () => {
  it('binds only when some creator has more candidates than the cap', () => {
    const candidates = pool([5, 4, 3, 2, 1]); // items 10..14
    expect(candidateLimit(undefined, candidates)).toBeUndefined();
    expect(candidateLimit(capOf(2, 3, []), candidates)).toBeUndefined(); // creators 1, 2, 0, 1, 2: two each at most
    expect(candidateLimit(capOf(1, 3, []), candidates)).toBeDefined();
    expect(candidateLimit(capOf(2, 2, []), candidates)).toBeDefined(); // creator 0 has 10, 12, 14
  });

  it('capacity is Σ min(cap, items); blocked counts what a full creator shuts out', () => {
    // Items 10..16, creator = id mod 3: creator 1 has 10, 13, 16; creator 2 has 11, 14; creator 0 has 12, 15.
    const limit = candidateLimit(capOf(2, 3, []), pool([7, 6, 5, 4, 3, 2, 1]));
    if (!limit) throw new Error('the cap binds');
    expect(limit.capacity).toBe(6);
    limit.reset();
    limit.add(0); // item 10, creator 1
    expect([limit.allows(3), limit.blocked]).toEqual([true, 0]);
    limit.add(3); // item 13: creator 1 full, item 16 shut out
    expect([limit.allows(6), limit.allows(1), limit.blocked]).toEqual([false, true, 1]);
    limit.add(1);
    limit.add(4); // creator 2 full, nothing more of it left
    expect(limit.blocked).toBe(1);
    limit.reset();
    expect([limit.allows(6), limit.blocked]).toEqual([true, 0]);
  });

  it('over the catalog: capacity is the catalog, blocked counts the full creator’s other catalog items', () => {
    const limit = catalogLimit(capOf(2, 4, [5, 6, 7, 8]), 26);
    if (!limit) throw new Error('a cap gives a limit');
    expect(catalogLimit(undefined, 26)).toBeUndefined();
    expect(limit.capacity).toBe(26);
    limit.add(1);
    expect([limit.allows(5), limit.blocked]).toEqual([true, 0]);
    limit.add(5); // creator 1 full: 6 catalog items, 2 placed
    expect([limit.allows(9), limit.allows(2), limit.blocked]).toEqual([false, true, 4]);
    limit.reset();
    expect([limit.allows(9), limit.blocked]).toEqual([true, 0]);
  });

  it('cappedWalk and cappedTopInto take the first allowed items, ties to the earlier', () => {
    const limit = candidateLimit(capOf(1, 3, []), pool([6, 5, 4, 3, 2, 1]));
    if (!limit) throw new Error('the cap binds');
    // Pool index k is item 10 + k, creator (10 + k) mod 3: 1, 2, 0, 1, 2, 0.
    expect(cappedWalk([3, 0, 4, 1, 5], 5, limit)).toEqual([3, 4, 5]);
    expect(cappedWalk([3, 0, 4, 1, 5], 2, limit)).toEqual([3, 4]);
    const out = new Int32Array(3);
    cappedTopInto(Float64Array.from([0, 2, 2, 1, 5, 3, 0]), 1, 6, out, limit, new Uint8Array(6));
    // Scores 2, 2, 1, 5, 3, 0 at indices 0..5: 3 (creator 1), then 4 (creator 2), then 2 (creator 0) over 5.
    expect(Array.from(out)).toEqual([3, 4, 2]);
    cappedTopInto(Float64Array.from([4, 4, 4, 4, 4, 4]), 0, 6, out, limit, new Uint8Array(6));
    expect(Array.from(out)).toEqual([0, 1, 2]);
  });
});

function feedback(clicked: number, flags: Partial<Pick<SlateFeedback, 'liked' | 'completed' | 'survey'>>): SlateFeedback {
  const entries = [1, 2, 3].map((itemId) => ({ itemId, source: 'test', propensity: 1 }));
  return { request: REQUEST, slate: { slateId: 0, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null, ...flags };
}

describe('rewards', () => {
  it('from feedback: only the clicked slot can earn any reward; surveys count from 4', () => {
    const all = feedback(1, { liked: true, completed: true, survey: 5 });
    for (const reward of ['click', 'like', 'complete', 'survey_positive'] as const) {
      expect([0, 1, 2].map((p) => rewardInFeedback(reward, all, p))).toEqual([false, true, false]);
    }
    expect(rewardInFeedback('like', feedback(0, { completed: true, survey: 5 }), 0)).toBe(false);
    expect(rewardInFeedback('complete', feedback(0, { liked: true, survey: 5 }), 0)).toBe(false);
    expect([null, 3, 4].map((survey) => rewardInFeedback('survey_positive', feedback(0, { survey }), 0))).toEqual([false, false, true]);
  });

  const row = (itemId: number, flags: Partial<ImpressionRow>): ImpressionRow => ({
    time: 0, epoch: 0, slateId: 0, userId: 0, position: 0, arm: 'a', source: 's', propensity: 1, watchMinutes: 1, watchFraction: 1,
    itemId, clicked: false, completed: false, liked: false, survey: null, ...flags,
  });

  function chunkOf(epoch: number, rows: readonly ImpressionRow[]): { epoch: number; start: number; end: number; impressions: ImpressionBuffer } {
    const buffer = new ImpressionBuffer(8);
    for (const r of rows) buffer.append(r);
    return { epoch, start: epoch, end: epoch + 1, impressions: buffer };
  }

  it('from the log: each column read as it is; survey 3 is not positive, 4 is', () => {
    const { impressions } = chunkOf(0, [row(1, { clicked: true }), row(2, { liked: true }), row(3, { completed: true }), row(4, { survey: 3 }), row(5, { survey: 4 })]);
    const columns = impressions.columns;
    const read = (reward: 'click' | 'like' | 'complete' | 'survey_positive'): boolean[] => [0, 1, 2, 3, 4].map((r) => rewardInLog(reward, columns, r));
    expect(read('click')).toEqual([true, false, false, false, false]);
    expect(read('like')).toEqual([false, true, false, false, false]);
    expect(read('complete')).toEqual([false, false, true, false, false]);
    expect(read('survey_positive')).toEqual([false, false, false, false, true]);
  });

  it('rewardsInWindow finds each window row in its chunk, oldest first', () => {
    const log = new TrainingLog(10);
    log.add(chunkOf(0, [row(1, { clicked: true }), row(2, {})]));
    log.add(chunkOf(1, [row(3, {}), row(4, { clicked: true }), row(5, { clicked: true })]));
    expect(Array.from(rewardsInWindow('click', log, [4, 0, 1, 3, 2]))).toEqual([1, 1, 0, 1, 0]);
  });
});

describe('reward counts', () => {
  it('grow past their initial size, and read 0 for ids never recorded', () => {
    const counts = new RewardCounts('click');
    counts.record(63, true);
    counts.record(64, false);
    counts.record(300, true);
    counts.record(300, true);
    expect([counts.trials(63), counts.trials(64), counts.trials(300), counts.trials(299), counts.trials(5_000)]).toEqual([1, 1, 2, 0, 0]);
    expect([counts.successes(63), counts.successes(64), counts.successes(300), counts.successes(5_000)]).toEqual([1, 0, 2, 0]);
    expect(counts.total).toBe(4);
    expect([...counts.seen()]).toEqual([63, 64, 300]);
  });

  it('observe counts every slot of a slate as one trial', () => {
    const counts = new RewardCounts('like');
    counts.observe(feedback(2, { liked: true }));
    expect([1, 2, 3].map((id) => [counts.trials(id), counts.successes(id)])).toEqual([[1, 0], [1, 0], [1, 1]]);
    expect(counts.total).toBe(3);
  });
});

describe('posterior draws', () => {
  it('keeps an item’s draws while its posterior stands, redraws them when it moves', () => {
    const draws = new PosteriorDraws(3, new KeyedStream('pd'));
    const a = draws.matrix([7, 8], Float64Array.from([2, 5]), Float64Array.from([3, 1]));
    const again = draws.matrix([8, 7], Float64Array.from([5, 2]), Float64Array.from([1, 3]));
    // Draw-major: a[m·2 + k]; the same columns, swapped.
    for (let m = 0; m < 3; m++) expect([again[m * 2], again[m * 2 + 1]]).toEqual([a[m * 2 + 1], a[m * 2]]);
    const moved = draws.matrix([7, 8], Float64Array.from([3, 5]), Float64Array.from([3, 1]));
    for (let m = 0; m < 3; m++) {
      expect(moved[m * 2 + 1]).toBe(a[m * 2 + 1]);
      expect(moved[m * 2]).not.toBe(a[m * 2]);
    }
  });

  it('an item’s draws depend only on the item and its posterior, not on what was drawn before', () => {
    const alpha = Float64Array.from([2, 5, 4]);
    const beta = Float64Array.from([3, 1, 4]);
    const first = new PosteriorDraws(5, new KeyedStream('pd')).matrix([7, 8, 9], alpha, beta);
    const other = new PosteriorDraws(5, new KeyedStream('pd'));
    other.matrix([9], Float64Array.from([4]), Float64Array.from([4]));
    const later = other.matrix([7, 8, 9], alpha, beta);
    expect(Array.from(later)).toEqual(Array.from(first));
    // Another item with the same posterior draws its own values.
    const elsewhere = new PosteriorDraws(5, new KeyedStream('pd')).matrix([6], Float64Array.from([2]), Float64Array.from([3]));
    expect(elsewhere[0]).not.toBe(first[0]);
  });

  it('each column is a sample of that item’s Beta posterior', () => {
    const draws = new PosteriorDraws(4_000, new KeyedStream('beta'));
    const m = draws.matrix([1, 2], Float64Array.from([2, 9]), Float64Array.from([8, 1]));
    let s0 = 0;
    let s1 = 0;
    for (let d = 0; d < 4_000; d++) {
      s0 += m[d * 2];
      s1 += m[d * 2 + 1];
    }
    // Means 0.2 and 0.9; sd/√n below 0.002.
    expect(s0 / 4_000).toBeCloseTo(0.2, 2);
    expect(s1 / 4_000).toBeCloseTo(0.9, 2);
  });
});

describe('the candidate stage', () => {
  it('epsilon-greedy inclusion is min(k, N)·ε/N', () => {
    let size = 50;
    const source = new EpsilonExploreSource(5, 0.2, () => size, new KeyedStream('c'));
    expect(source.inclusion(REQUEST, 3)).toBeCloseTo((5 * 0.2) / 50, 14);
    size = 4;
    expect(source.inclusion(REQUEST, 3)).toBeCloseTo(0.2, 14);
    expect(source.generate([REQUEST, REQUEST]).every((c) => c.length <= 4)).toBe(true);
  });
});

describe('building the exploration a scenario asks for', () => {
  const ctx = (features: boolean, ranker: boolean): ExplorationContext => ({
    catalogSize: () => 30,
    streams: new RandomStreams('build'),
    features: features ? () => ({ dim: 2, write: (_r, itemId, out) => out.set([1, itemId / 30]) }) : undefined,
    representation: ranker ? (head) => new RepresentationExport(head, 0) : undefined,
  });
  const build = (yaml: string, features = true, ranker = false) => buildExploration(explorationSchema.parse(parse(yaml)), ctx(features, ranker));

  it.each([
    ['policy: greedy', 'greedy', 0],
    ['{policy: epsilon_greedy, epsilon: 0.1}', 'epsilon_greedy', 0],
    ['{policy: epsilon_greedy, epsilon: 0.1, stage: candidate, k: 2}', 'epsilon_greedy@candidate', 1],
    ['policy: thompson', 'thompson', 0],
    ['{policy: thompson, stage: candidate, k: 2, head: 5}', 'thompson@candidate', 1],
    ['policy: linear_thompson', 'linear_thompson', 0],
    ['policy: ucb', 'ucb', 0],
    ['{policy: boltzmann, temperature: 0.5}', 'boltzmann', 0],
  ])('%s gives the policy %s and %i extra candidate source', (yaml, name, sources) => {
    const { policy, sources: extra } = build(yaml);
    expect(policy.name).toBe(name);
    expect(extra.map((s) => s.name)).toEqual(sources ? ['explore'] : []);
    expect(policy.select(REQUEST, pool([3, 2, 1]), 2, new Rng('s')).map((e) => e.itemId)).toHaveLength(2);
  });

  it('linear Thompson sampling needs features; the ranker’s layer when asked or when there is a ranker', () => {
    expect(() => build('policy: linear_thompson', false)).toThrow(/needs item features/);
    expect(() => build('{policy: linear_thompson, features: ranker}')).toThrow(/needs a recommender with a ranker/);
    // Before the ranker trains, its features fall back to the topics: two columns either way, and the policy runs.
    for (const yaml of ['policy: linear_thompson', '{policy: linear_thompson, features: topics}']) {
      const { policy } = build(yaml, true, true);
      expect(policy.select(REQUEST, pool([3, 2, 1]), 1, new Rng('s'))).toHaveLength(1);
    }
  });

  it('at the candidate stage the slate is greedy, an explore-only item logged at its inclusion probability', () => {
    const { policy } = build('{policy: epsilon_greedy, epsilon: 0.5, stage: candidate, k: 3}');
    const ordered: ScoredCandidate[] = [
      { itemId: 4, sources: ['explore'], sourceScore: 1, score: 3 },
      { itemId: 5, sources: ['popularity', 'explore'], sourceScore: 1, score: 2 },
      { itemId: 6, sources: ['popularity'], sourceScore: 1, score: 1 },
    ];
    expect(policy.select(REQUEST, ordered, 3, new Rng('s')).map((e) => [e.itemId, e.source, e.propensity])).toEqual([
      [4, 'explore', (3 * 0.5) / 30],
      [5, 'popularity+explore', 1],
      [6, 'popularity', 1],
    ]);
  });
});

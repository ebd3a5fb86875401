/**
 * Policy-level edges with answers known in advance: near-certain choices (so every Monte-Carlo
 * estimate is exactly 1), posterior bookkeeping, the candidate stage's forwarding and Binomial
 * count, topic features, and Plackett–Luce under a creator cap.
 */
import { describe, expect, it } from 'vitest';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { CandidateStagePolicy, EpsilonExploreSource, exploreCandidate } from '../src/recommender/explore/candidate-stage.js';
import { TopicFeatures } from '../src/recommender/explore/features.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { PlackettLuceSampler, softmaxWeights } from '../src/recommender/explore/plackett-luce.js';
import { candidateLimit } from '../src/recommender/explore/pool-limit.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import type { RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicItem } from '../src/world/public.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

function pool(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
}

function feedback(entries: readonly SlateEntry[], clicked: number): SlateFeedback {
  return { request: REQUEST, slate: { slateId: 0, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

describe('Boltzmann', () => {
  it('a near-certain order logs 1 at every slot: the softmax at slot 0, (M + 1)/(M + 1) after', () => {
    const slate = new BoltzmannPolicy(1, 20, new KeyedStream('mc')).select(REQUEST, pool([0, 60, -60]), 3, new Rng('s'));
    expect(slate.map((e) => e.itemId)).toEqual([11, 10, 12]);
    expect(slate[0].propensity).toBeCloseTo(1, 12);
    expect(slate[1].propensity).toBe(1);
    expect(slate[2].propensity).toBe(1);
  });

  it('two equal items: the second slot’s estimate is near 1/2; no draws leaves it at 1', () => {
    const rng = new Rng('s');
    const policy = new BoltzmannPolicy(1, 2_000, new KeyedStream('mc'));
    // (W + 1)/(M + 1) with W ~ Bin(2000, 1/2): sd ≈ 0.011.
    for (let t = 0; t < 5; t++) expect(Math.abs(policy.select(REQUEST, pool([0, 0]), 2, rng)[1].propensity - 0.5)).toBeLessThan(0.045);
    expect(new BoltzmannPolicy(1, 0, new KeyedStream('mc')).select(REQUEST, pool([0, 0]), 2, rng)[1].propensity).toBe(1);
  });

  it('says what is wrong with a temperature of 0', () => {
    expect(() => new BoltzmannPolicy(0, 10, new KeyedStream('mc'))).toThrow(/boltzmann: temperature must be above 0 \(got 0\)/);
  });
});

describe('Thompson sampling', () => {
  it('posterior Beta(α + successes, β + failures), from feedback and rebuilt from the log', () => {
    const policy = new ThompsonPolicy({ reward: 'click', prior: [2, 3], mcDraws: 10 }, new KeyedStream('mc'));
    const shown = [10, 11].map((itemId) => ({ itemId, source: 'test', propensity: 1 }));
    for (let t = 0; t < 4; t++) policy.observe(feedback(shown, t === 0 ? -1 : 0));
    expect(policy.posterior(10)).toEqual([2 + 3, 3 + 1]);
    expect(policy.posterior(11)).toEqual([2, 3 + 4]);
    const buffer = new ImpressionBuffer(4);
    buffer.append({ time: 0, epoch: 0, slateId: 0, userId: 0, itemId: 11, position: 0, arm: 'a', source: 's', propensity: 1, clicked: true, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null });
    const log = new TrainingLog(14);
    log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
    policy.retrain(log);
    expect([policy.posterior(10), policy.posterior(11)]).toEqual([[2, 3], [3, 3]]);
  });

  it('a posterior far ahead takes the top slot with an estimated propensity of 1', () => {
    const policy = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws: 50 }, new KeyedStream('mc'));
    const entry = (itemId: number) => [{ itemId, source: 'test', propensity: 1 }];
    for (let t = 0; t < 300; t++) {
      policy.observe(feedback(entry(12), 0));
      policy.observe(feedback(entry(10), -1));
      policy.observe(feedback(entry(11), -1));
    }
    const rng = new Rng('s');
    for (let t = 0; t < 5; t++) {
      const [top] = policy.select(REQUEST, pool([3, 2, 1]), 2, rng);
      expect([top.itemId, top.propensity]).toEqual([12, 1]);
    }
  });
});

describe('the candidate stage', () => {
  it('passes feedback and retraining on to its slate policy', () => {
    const thompson = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws: 5 }, new KeyedStream('mc'));
    const stage = new CandidateStagePolicy(thompson, new EpsilonExploreSource(2, 0.5, () => 10, new KeyedStream('c')), 'thompson');
    stage.observe(feedback([{ itemId: 3, source: 'test', propensity: 1 }], 0));
    expect(thompson.posterior(3)).toEqual([2, 1]);
    stage.retrain(new TrainingLog(14), 1);
    expect(thompson.posterior(3)).toEqual([1, 1]);
    expect(exploreCandidate(7)).toEqual({ itemId: 7, sources: ['explore'], sourceScore: Number.MAX_VALUE });
  });

  it('explore candidates are keyed by the request: the same in any batch, different between requests', () => {
    const requests = Array.from({ length: 6 }, (_, slateId) => ({ ...REQUEST, slateId, requestInSession: slateId }));
    const together = new EpsilonExploreSource(4, 0.5, () => 1000, new KeyedStream('c')).generate(requests);
    const apart = new EpsilonExploreSource(4, 0.5, () => 1000, new KeyedStream('c'));
    const oneByOne = [...requests].reverse().map((r) => apart.generate([r])[0]).reverse();
    expect(oneByOne).toEqual(together);
    expect(new Set(together.map((list) => list.map((c) => c.itemId).join())).size).toBeGreaterThan(3);
  });

  it('epsilon-greedy adds Binomial(min(k, N), ε) distinct catalog items per request', () => {
    const source = new EpsilonExploreSource(4, 0.25, () => 100, new KeyedStream('c'));
    const lists = source.generate(Array.from({ length: 2_000 }, (_, slateId) => ({ ...REQUEST, slateId, requestInSession: slateId })));
    const counts = lists.map((l) => l.length);
    // Mean kε = 1, sd of the mean √(0.75/2000) ≈ 0.019.
    expect(Math.abs(counts.reduce((s, c) => s + c, 0) / counts.length - 1)).toBeLessThan(0.08);
    expect(Math.max(...counts)).toBeLessThanOrEqual(4);
    for (const l of lists) expect(new Set(l.map((c) => c.itemId)).size).toBe(l.length);
    const small = new EpsilonExploreSource(4, 1, () => 3, new KeyedStream('c'));
    expect(small.generate([REQUEST])[0].map((c) => c.itemId).sort()).toEqual([0, 1, 2]);
  });
});

describe('topic features', () => {
  it('a bias, then each topic tag hashed into its slot with weight 1/(position + 1)', () => {
    const catalog = new PublicRegistry<PublicItem>();
    catalog.add({ id: 0, creatorId: 0, topics: [2, 4, 5], lengthMinutes: 1, uploadTime: 0 });
    const features = new TopicFeatures(catalog, 3);
    expect(features.dim).toBe(4);
    const out = new Float64Array(4).fill(9);
    features.write(REQUEST, 0, out);
    // Slot 1 + (tag mod 3): tag 2 (weight 1) and tag 5 (weight 1/3) in slot 3, tag 4 (weight 1/2) in slot 2.
    expect(Array.from(out)).toEqual([1, 0, 0.5, 1 + 1 / 3]);
  });
});

describe('Plackett–Luce and greedy under a creator cap', () => {
  it('an item whose creator is full leaves the draw', () => {
    // Items 10..13, creator = id mod 2; cap 1: every slate of two has one item of each creator.
    const candidates = pool([5, 4, 3, 2]);
    const limit = candidateLimit({ cap: 1, creatorOf: (id) => id % 2, catalogItems: () => 2 }, candidates);
    const sampler = new PlackettLuceSampler(candidates, softmaxWeights(candidates, new Uint8Array(4), 1), 1, limit);
    const rng = new Rng('pl');
    const out = new Int32Array(2);
    for (let t = 0; t < 200; t++) {
      sampler.draw(rng, out);
      expect((10 + out[0]) % 2).not.toBe((10 + out[1]) % 2);
    }
  });

  it('greedy takes the first items the cap allows', () => {
    const cap = { cap: 1, creatorOf: (id: number) => id % 2, catalogItems: () => 2 };
    expect(new GreedyPolicy().select(REQUEST, pool([5, 4, 3, 2]), 3, undefined, cap).map((e) => [e.itemId, e.propensity])).toEqual([[10, 1], [11, 1]]);
  });
});

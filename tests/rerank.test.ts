/** The diversity re-ranker (greedy MMR, creator cap, fresh boost) and its public-feature similarity. */
import { describe, expect, it } from 'vitest';
import { DiversityReRanker, type DiversityOptions } from '../src/recommender/rerank/diversity.js';
import { itemSimilarity, tagCosine } from '../src/recommender/rerank/item-similarity.js';
import type { ScoredCandidate } from '../src/recommender/types.js';
import type { PublicCatalog } from '../src/world/public.js';
import { catalogOf, candidates, REQUEST, ZERO, type ItemSpec } from './support/rerank-fixtures.js';

/** Mean pairwise similarity of a slate: lower is more diverse. */
function meanSimilarity(catalog: PublicCatalog, slate: readonly ScoredCandidate[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < slate.length; i++) {
    for (let j = i + 1; j < slate.length; j++) {
      sum += itemSimilarity(catalog.get(slate[i].itemId), catalog.get(slate[j].itemId));
      pairs += 1;
    }
  }
  return sum / pairs;
}

describe('item similarity from public features', () => {
  const catalog = catalogOf([
    { creatorId: 1, topics: [3, 4] },
    { creatorId: 1, topics: [3, 4] },
    { creatorId: 2, topics: [5] },
    { creatorId: 1, topics: [6] },
    { creatorId: 3, topics: [4, 3] },
  ]);
  const [a, same, disjoint, sameCreator, swapped] = catalog.all();

  it('is 1 for the same tags and creator, 0 for nothing shared, 1/2 for the creator alone', () => {
    expect(itemSimilarity(a, same)).toBeCloseTo(1, 12);
    expect(itemSimilarity(a, disjoint)).toBe(0);
    expect(itemSimilarity(a, sameCreator)).toBe(0.5);
  });

  it('weighs tags by prominence: the same tags in another order are similar but not identical', () => {
    const cos = tagCosine(a, swapped);
    expect(cos).toBeGreaterThan(0.5);
    expect(cos).toBeLessThan(1);
    expect(itemSimilarity(swapped, a)).toBeCloseTo(itemSimilarity(a, swapped), 12);
  });
});

describe('diversity re-ranker', () => {
  // Six items on topic 0 score highest; six on distinct other topics score lower.
  const specs: ItemSpec[] = [
    ...Array.from({ length: 6 }, (_, i) => ({ creatorId: i, topics: [0] })),
    ...Array.from({ length: 6 }, (_, i) => ({ creatorId: 10 + i, topics: [1 + i] })),
  ];
  const scores = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35];

  it('reproduces the input order exactly with λ = 0, no cap and no boost', () => {
    const catalog = catalogOf([...specs, { creatorId: 0, topics: [0], uploadTime: 9.9 }]);
    const input = candidates([...scores, 0.35]); // a tie at the bottom, fresh item included
    const reranker = new DiversityReRanker(catalog, ZERO);
    for (const slateSize of [1, 5, input.length, input.length + 3]) {
      const out = reranker.rerank(REQUEST, input, slateSize);
      expect(out).toHaveLength(input.length);
      out.forEach((c, i) => expect(c).toBe(input[i]));
    }
    expect(reranker.rerank(REQUEST, [], 5)).toEqual([]);
  });

  it('with λ > 0 makes the slate more topically diverse than λ = 0', () => {
    const catalog = catalogOf(specs);
    const input = candidates(scores);
    const plain = new DiversityReRanker(catalog, ZERO).rerank(REQUEST, input, 5).slice(0, 5);
    const diverse = new DiversityReRanker(catalog, { ...ZERO, mmrLambda: 0.5 }).rerank(REQUEST, input, 5).slice(0, 5);
    const topics = (slate: readonly ScoredCandidate[]) => new Set(slate.map((c) => catalog.get(c.itemId).topics[0])).size;
    expect(topics(plain)).toBe(1);
    expect(topics(diverse)).toBeGreaterThan(2);
    expect(meanSimilarity(catalog, diverse)).toBeLessThan(meanSimilarity(catalog, plain));
    // The best item still leads, and scores pass through unchanged.
    expect(diverse[0]).toBe(input[0]);
    for (const c of diverse) expect(c.score).toBe(scores[c.itemId]);
  });

  it('gives the same order whatever the scale of the ranker scores (min-max normalised)', () => {
    const catalog = catalogOf(specs);
    const options = { mmrLambda: 0.4, creatorCap: 1, freshBoost: 0.2, freshAge: 2 };
    const a = new DiversityReRanker(catalog, options).rerank(REQUEST, candidates(scores), 6);
    const b = new DiversityReRanker(catalog, options).rerank(REQUEST, candidates(scores.map((s) => 40 * s - 7)), 6);
    expect(b.map((c) => c.itemId)).toEqual(a.map((c) => c.itemId));
  });

  it('holds the creator cap in the head and drops capped creators from the tail', () => {
    const catalog = catalogOf([
      ...Array.from({ length: 5 }, () => ({ creatorId: 1, topics: [0] })),
      { creatorId: 2, topics: [0] },
      { creatorId: 3, topics: [1] },
      { creatorId: 4, topics: [2] },
      { creatorId: 2, topics: [3] },
    ]);
    const input = candidates([1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]);
    for (const mmrLambda of [0, 0.3]) {
      const out = new DiversityReRanker(catalog, { ...ZERO, mmrLambda, creatorCap: 2 }).rerank(REQUEST, input, 5);
      const head = out.slice(0, 5);
      const perCreator = new Map<number, number>();
      for (const c of head) perCreator.set(catalog.get(c.itemId).creatorId, (perCreator.get(catalog.get(c.itemId).creatorId) ?? 0) + 1);
      expect(Math.max(...perCreator.values())).toBeLessThanOrEqual(2);
      expect(head).toHaveLength(5);
      // Creator 1 is at the cap: nothing of theirs remains in the tail.
      expect(out.slice(5).every((c) => catalog.get(c.itemId).creatorId !== 1)).toBe(true);
    }
    const plainCap = new DiversityReRanker(catalog, { ...ZERO, creatorCap: 2 }).rerank(REQUEST, input, 5);
    expect(plainCap.map((c) => c.itemId)).toEqual([0, 1, 5, 6, 7, 8]);
  });

  it('leaves the slate short rather than break the cap', () => {
    const catalog = catalogOf(Array.from({ length: 4 }, () => ({ creatorId: 1, topics: [0] })));
    const out = new DiversityReRanker(catalog, { ...ZERO, creatorCap: 1 }).rerank(REQUEST, candidates([4, 3, 2, 1]), 3);
    expect(out.map((c) => c.itemId)).toEqual([0]);
  });

  it('moves a fresh item up with a fresh boost, and only items younger than fresh_age', () => {
    // Request at day 10: item 4 is 0.5 days old, item 5 exactly 2 days old (not fresh).
    const catalog = catalogOf([
      { creatorId: 0, topics: [0] },
      { creatorId: 1, topics: [1] },
      { creatorId: 2, topics: [2] },
      { creatorId: 3, topics: [3] },
      { creatorId: 4, topics: [4], uploadTime: 9.5 },
      { creatorId: 5, topics: [5], uploadTime: 8 },
    ]);
    const input = candidates([1, 0.8, 0.6, 0.4, 0.2, 0.1]);
    const order = (freshBoost: number) =>
      new DiversityReRanker(catalog, { ...ZERO, freshBoost }).rerank(REQUEST, input, 6).map((c) => c.itemId);
    expect(order(0)).toEqual([0, 1, 2, 3, 4, 5]);
    // Normalised: item 4 at 1/9 ≈ 0.11, plus 0.5 puts it above item 2 (0.56) and below item 1 (0.78).
    expect(order(0.5)).toEqual([0, 1, 4, 2, 3, 5]);
    expect(order(2)).toEqual([4, 0, 1, 2, 3, 5]);
  });

  it('rejects bad options with the option named', () => {
    const catalog = catalogOf(specs);
    const bad: [Partial<DiversityOptions>, RegExp][] = [
      [{ mmrLambda: 1.5 }, /mmrLambda must be between 0 and 1, got 1.5/],
      [{ mmrLambda: Number.NaN }, /mmrLambda/],
      [{ creatorCap: -1 }, /creatorCap must be a whole number of 0 or more, got -1/],
      [{ creatorCap: 1.5 }, /creatorCap/],
      [{ freshBoost: -0.1 }, /freshBoost must be a finite number of 0 or more/],
      [{ freshAge: 0 }, /freshAge must be a positive number of days, got 0/],
    ];
    for (const [override, message] of bad) expect(() => new DiversityReRanker(catalog, { ...ZERO, ...override })).toThrow(message);
  });
});

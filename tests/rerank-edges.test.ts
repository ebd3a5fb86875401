/**
 * Edge cases of the diversity re-ranker that mutation testing showed untested: the ends of the λ
 * range, a head that stops at the slate size, requests whose scores are all equal, and items
 * without topic tags.
 */
import { describe, expect, it } from 'vitest';
import { CatalogCreatorCap } from '../src/recommender/rerank/creator-cap.js';
import { DiversityReRanker } from '../src/recommender/rerank/diversity.js';
import { itemSimilarity, tagCosine } from '../src/recommender/rerank/item-similarity.js';
import type { ScoredCandidate } from '../src/recommender/types.js';
import { PublicRegistry, type PublicItem } from '../src/world/public.js';
import { catalogOf, candidates, REQUEST, ZERO } from './support/rerank-fixtures.js';

const ids = (slate: readonly ScoredCandidate[]): number[] => slate.map((c) => c.itemId);

describe('diversity re-ranker edges', () => {
  it('rejects a negative λ and accepts λ = 1, which ranks by dissimilarity alone', () => {
    const catalog = catalogOf([
      { creatorId: 1, topics: [0] },
      { creatorId: 2, topics: [0] },
      { creatorId: 3, topics: [1] },
    ]);
    expect(() => new DiversityReRanker(catalog, { ...ZERO, mmrLambda: -0.1 })).toThrow(/mmrLambda must be between 0 and 1, got -0.1/);
    // At λ = 1 scores do not count: the first item leads (a tie at zero similarity), then the
    // item unlike it, although it scores lowest.
    const out = new DiversityReRanker(catalog, { ...ZERO, mmrLambda: 1 }).rerank(REQUEST, candidates([1, 0.9, 0.1]), 2);
    expect(ids(out)).toEqual([0, 2, 1]);
  });

  it('picks only slateSize items greedily; the rest follow in input order', () => {
    // Item 1 shares item 0's creator and topic, so MMR would place item 2 before it.
    const catalog = catalogOf([
      { creatorId: 1, topics: [0] },
      { creatorId: 1, topics: [0] },
      { creatorId: 2, topics: [1] },
      { creatorId: 3, topics: [2] },
    ]);
    const reranker = new DiversityReRanker(catalog, { ...ZERO, mmrLambda: 0.5 });
    expect(ids(reranker.rerank(REQUEST, candidates([1, 0.9, 0.5, 0.4]), 1))).toEqual([0, 1, 2, 3]);
    expect(ids(reranker.rerank(REQUEST, candidates([1, 0.9, 0.5, 0.4]), 2))).toEqual([0, 2, 1, 3]);
  });

  it('with all scores equal still holds the cap and still boosts fresh items', () => {
    const sameCreator = catalogOf(Array.from({ length: 3 }, () => ({ creatorId: 1, topics: [0] })));
    const capped = new DiversityReRanker(sameCreator, { ...ZERO, creatorCap: 1 }).rerank(REQUEST, candidates([0.5, 0.5, 0.5]), 2);
    expect(ids(capped)).toEqual([0]);

    const oneFresh = catalogOf([
      { creatorId: 1, topics: [0] },
      { creatorId: 2, topics: [1] },
      { creatorId: 3, topics: [2], uploadTime: 9.5 },
    ]);
    const boosted = new DiversityReRanker(oneFresh, { ...ZERO, freshBoost: 0.1 }).rerank(REQUEST, candidates([3, 3, 3]), 3);
    expect(ids(boosted)).toEqual([2, 0, 1]);
  });

  it('gives items without topic tags a tag cosine of 0, in either order', () => {
    const [untagged, tagged, untaggedToo] = catalogOf([
      { creatorId: 1, topics: [] },
      { creatorId: 2, topics: [4, 5] },
      { creatorId: 1, topics: [] },
    ]).all();
    expect(tagCosine(untagged, tagged)).toBe(0);
    expect(tagCosine(tagged, untagged)).toBe(0);
    expect(itemSimilarity(untagged, untaggedToo)).toBe(0.5);
    expect(itemSimilarity(tagged, untagged)).toBe(0);
  });
});

describe('CatalogCreatorCap', () => {
  it('names each item\'s creator and counts a growing catalog\'s items per creator', () => {
    const registry = new PublicRegistry<PublicItem>();
    const add = (id: number, creatorId: number): void => registry.add({ id, creatorId, topics: [0], lengthMinutes: 5, uploadTime: 0 });
    add(0, 3);
    add(1, 7);
    add(2, 3);
    const cap = new CatalogCreatorCap(registry, 2);
    expect(cap.cap).toBe(2);
    expect(cap.creatorOf(1)).toBe(7);
    expect(cap.catalogItems(3)).toBe(2);
    expect(cap.catalogItems(7)).toBe(1);
    expect(cap.catalogItems(9)).toBe(0);
    // Uploads after the first count are counted on the next question, once.
    add(3, 7);
    add(4, 9);
    expect(cap.catalogItems(7)).toBe(2);
    expect(cap.catalogItems(9)).toBe(1);
    expect(cap.catalogItems(3)).toBe(2);
    // The first item past the last sync (id = the table's size) is synced before it is read.
    expect(cap.creatorOf(3)).toBe(7);
    expect(cap.creatorOf(4)).toBe(9);
    for (const bad of [0, 1.5, -1]) expect(() => new CatalogCreatorCap(registry, bad)).toThrow(`creator cap must be a whole number of 1 or more, got ${bad}`);
    expect(new CatalogCreatorCap(registry, 1).cap).toBe(1);
  });
});

describe('DiversityReRanker, its early stop', () => {
  // λ = 1/2 and a boost of 1 keep every value exact in binary; fresh means uploaded after day 8.
  const EXACT = { ...ZERO, mmrLambda: 0.5, freshBoost: 1 };

  it('gives a tie to the lower index, also when a higher-valued item falls to that value', () => {
    // Values (1 − λ)(normalised + boost): 1, 0.5, 0.75, 0. Item 2 shares item 0's creator
    // (similarity 1/2), so in the second slot it falls to 0.75 − 0.25 = 0.5, item 1's value:
    // item 1, visited after it, wins the tie as the plain scan in index order would have it.
    const catalog = catalogOf([
      { creatorId: 0, topics: [], uploadTime: 9 },
      { creatorId: 1, topics: [] },
      { creatorId: 0, topics: [], uploadTime: 9 },
      { creatorId: 2, topics: [] },
    ]);
    const reranker = new DiversityReRanker(catalog, EXACT);
    expect(ids(reranker.rerank(REQUEST, candidates([1, 1, 0.5, 0]), 2))).toEqual([0, 1, 2, 3]);
  });

  it('does not stop early when a score is infinite, since the values are then not in order', () => {
    // Scores 3, 2, 1, +∞, 0: every finite one normalises to 0 and the infinite one to NaN, which
    // the sort cannot place, so the visit order is not decreasing past it. In the second slot item
    // 1 (item 0's creator: 0.5 − 0.25) leads until item 4 (0.5, nothing shared), which comes after
    // the NaN; stopping at item 2 (value 0 < 0.25) would miss it.
    const catalog = catalogOf([
      { creatorId: 0, topics: [1], uploadTime: 9 },
      { creatorId: 0, topics: [5], uploadTime: 9 },
      { creatorId: 1, topics: [2] },
      { creatorId: 2, topics: [3] },
      { creatorId: 3, topics: [4], uploadTime: 9 },
    ]);
    const reranker = new DiversityReRanker(catalog, EXACT);
    expect(ids(reranker.rerank(REQUEST, candidates([3, 2, 1, Infinity, 0]), 2))).toEqual([0, 4, 1, 2, 3]);
  });
});

describe('DiversityReRanker across requests', () => {
  it('keeps nothing of a longer earlier request: its scratch beyond the list and its creator counts', () => {
    // Items 0-4 by creators 0-4; item 5 and 6 both by creator 9.
    const catalog = catalogOf([0, 1, 2, 3, 4, 9, 9].map((creatorId) => ({ creatorId, topics: [creatorId % 3] })));
    const reranker = new DiversityReRanker(catalog, { ...ZERO, creatorCap: 1 });
    const long = candidates([1, 0.9, 0.8, 0.7, 0.6]);
    expect(reranker.rerank(REQUEST, long, 1).map((c) => c.itemId)).toEqual([0, 1, 2, 3, 4]);
    // Two candidates now: the slots past them still hold the longer list's values.
    const short = candidates([0.3, 0.1]);
    expect(reranker.rerank(REQUEST, short, 3).map((c) => c.itemId)).toEqual([0, 1]);
    // Creator 9 placed once in one request may be placed again in the next.
    const sameCreator: ScoredCandidate[] = [5, 6].map((itemId, k) => ({ itemId, sources: ['test'], sourceScore: 1 - k, score: 1 - k }));
    expect(reranker.rerank(REQUEST, sameCreator, 2).map((c) => c.itemId)).toEqual([5]);
    expect(reranker.rerank(REQUEST, sameCreator, 2).map((c) => c.itemId)).toEqual([5]);
  });
});

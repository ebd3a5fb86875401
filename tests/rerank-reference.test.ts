/**
 * The diversity re-ranker against the straightforward greedy MMR (every slot scores every
 * remaining candidate against every placed item), on random catalogs and scores: the same
 * slates, item for item, with the ties the plain scan in input order resolves.
 */
import { describe, expect, it } from 'vitest';
import { DiversityReRanker, type DiversityOptions } from '../src/recommender/rerank/diversity.js';
import { itemSimilarity } from '../src/recommender/rerank/item-similarity.js';
import type { RecRequest, ScoredCandidate } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';
import type { PublicCatalog } from '../src/world/public.js';
import { catalogOf, REQUEST, type ItemSpec } from './support/rerank-fixtures.js';

/** Greedy MMR as the module comment states it, with nothing skipped or cached. */
function plainMmr(catalog: PublicCatalog, options: DiversityOptions, request: RecRequest, ranked: readonly ScoredCandidate[], slateSize: number): ScoredCandidate[] {
  const { mmrLambda: lambda, creatorCap: cap, freshBoost, freshAge } = options;
  const scores = ranked.map((c) => c.score);
  const min = Math.min(...scores);
  const span = Math.max(...scores) - min;
  const value = ranked.map((c) => {
    const normalised = span > 0 ? (c.score - min) / span : 1;
    return freshBoost > 0 && request.time - catalog.get(c.itemId).uploadTime < freshAge ? normalised + freshBoost : normalised;
  });
  const creator = (c: ScoredCandidate): number => catalog.get(c.itemId).creatorId;
  const head: ScoredCandidate[] = [];
  const taken = new Set<number>();
  const full = (i: number): boolean => cap > 0 && head.filter((h) => creator(h) === creator(ranked[i])).length >= cap;
  while (head.length < slateSize) {
    let best = -1;
    let bestValue = -Infinity;
    ranked.forEach((c, i) => {
      if (taken.has(i) || full(i)) return;
      const maxSim = head.reduce((m, h) => Math.max(m, itemSimilarity(catalog.get(h.itemId), catalog.get(c.itemId))), 0);
      const v = (1 - lambda) * value[i] - lambda * maxSim;
      if (v > bestValue) {
        best = i;
        bestValue = v;
      }
    });
    if (best < 0) break;
    taken.add(best);
    head.push(ranked[best]);
  }
  return [...head, ...ranked.filter((_, i) => !taken.has(i) && !full(i))];
}

describe('diversity re-ranker against the plain greedy MMR', () => {
  it('picks the same slates on random catalogs, scores, λ, caps and boosts', () => {
    const rng = new Rng('mmr-reference');
    for (let trial = 0; trial < 150; trial++) {
      const items = 20 + rng.int(150);
      const creators = 1 + rng.int(40);
      const specs: ItemSpec[] = Array.from({ length: items }, () => ({
        creatorId: rng.int(creators),
        topics: rng.shuffle(Array.from({ length: 12 }, (_, t) => t)).slice(0, rng.int(4)),
        uploadTime: 10 - rng.uniform(0, 6),
      }));
      const catalog = catalogOf(specs);
      const n = 1 + rng.int(items);
      // Scores in ranked order, as the pipeline hands them over; coarse ones tie often.
      const coarse = trial % 3 === 0;
      const raw = Array.from({ length: n }, () => (coarse ? Math.round(rng.uniform(0, 5)) : rng.normal()));
      raw.sort((a, b) => b - a);
      const ids = rng.shuffle(Array.from({ length: items }, (_, i) => i)).slice(0, n);
      const ranked: ScoredCandidate[] = ids.map((itemId, k) => ({ itemId, sources: ['test'], sourceScore: raw[k], score: raw[k] }));
      const options: DiversityOptions = {
        mmrLambda: [0, 0.1, 0.5, 1][trial % 4],
        creatorCap: rng.int(4),
        freshBoost: trial % 2 === 0 ? 0 : rng.uniform(0, 0.5),
        freshAge: 2,
      };
      const slateSize = 1 + rng.int(15);
      const reranker = new DiversityReRanker(catalog, options);
      const want = plainMmr(catalog, options, REQUEST, ranked, slateSize).map((c) => c.itemId);
      expect(reranker.rerank(REQUEST, ranked, slateSize).map((c) => c.itemId), `trial ${trial}`).toEqual(want);
      // A second request on the same re-ranker starts from clean scratch.
      expect(reranker.rerank(REQUEST, ranked, slateSize).map((c) => c.itemId), `trial ${trial}, again`).toEqual(want);
    }
  });
});

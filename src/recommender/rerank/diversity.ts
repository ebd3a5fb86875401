/**
 * Greedy MMR re-ranking with a per-creator cap and a fresh-item boost.
 *
 * Scores are min-max normalised to [0,1] within the request, so λ means the same whatever
 * ranker produced them; items younger than `freshAge` get `freshBoost` added to that
 * normalised score. Each slot then takes the argmax of
 *   (1 − λ)·(normalised score + boost) − λ·(max similarity to the items already placed),
 * skipping creators already at the cap (0 = no cap). Similarity is public-feature only (see
 * item-similarity). Cost: O(slateSize × candidates) similarity evaluations.
 *
 * Output: the greedy head (at most slateSize items, cap respected), then the remaining
 * candidates in input order, minus those whose creator is already at the cap. The tail may
 * still hold several items of one creator, so the cap is also handed to the exploration policy
 * (`cap`), which fills the slate under it. Scores are passed through
 * unchanged: the re-ranker decides order, not the ranker's belief. With λ = 0, no cap and no
 * boost the input order is returned exactly.
 */
import { count, positiveDuration, probability, rate } from '../../settings/fields.js';
import type { PublicCatalog, PublicItem } from '../../world/public.js';
import type { CreatorCap, RecRequest, ReRanker, ScoredCandidate } from '../types.js';
import { reRanker } from './component.js';
import { CatalogCreatorCap } from './creator-cap.js';
import { itemSimilarity } from './item-similarity.js';

export interface DiversityOptions {
  /** Weight of dissimilarity against score, in [0,1]; 0 ranks by score alone. */
  readonly mmrLambda: number;
  /** Most items per creator in the head; 0 for no cap. */
  readonly creatorCap: number;
  /** Added to the normalised score of fresh items; 0 for none. */
  readonly freshBoost: number;
  /** Items uploaded less than this many days before the request are fresh. */
  readonly freshAge: number;
}

export class DiversityReRanker implements ReRanker {
  readonly name = 'rerank';
  readonly cap: CreatorCap | undefined;

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly options: DiversityOptions,
  ) {
    const { mmrLambda, creatorCap, freshBoost, freshAge } = options;
    if (!(mmrLambda >= 0 && mmrLambda <= 1)) throw new RangeError(`rerank: mmrLambda must be between 0 and 1, got ${mmrLambda}`);
    if (!Number.isInteger(creatorCap) || creatorCap < 0) throw new RangeError(`rerank: creatorCap must be a whole number of 0 or more, got ${creatorCap}`);
    if (!(freshBoost >= 0) || !Number.isFinite(freshBoost)) throw new RangeError(`rerank: freshBoost must be a finite number of 0 or more, got ${freshBoost}`);
    if (!(freshAge > 0)) throw new RangeError(`rerank: freshAge must be a positive number of days, got ${freshAge}`);
    this.cap = creatorCap > 0 ? new CatalogCreatorCap(catalog, creatorCap) : undefined;
  }

  rerank(request: RecRequest, ranked: readonly ScoredCandidate[], slateSize: number): ScoredCandidate[] {
    const { mmrLambda: lambda, creatorCap: cap } = this.options;
    const n = ranked.length;
    const items = ranked.map((c) => this.catalog.get(c.itemId));
    const value = this.boostedScores(request, ranked, items);
    const maxSim = new Float64Array(n);
    const taken = new Uint8Array(n);
    const perCreator = new Map<number, number>();
    const atCap = (i: number): boolean => cap > 0 && (perCreator.get(items[i].creatorId) ?? 0) >= cap;

    const head: ScoredCandidate[] = [];
    while (head.length < slateSize) {
      let best = -1;
      let bestValue = -Infinity;
      for (let i = 0; i < n; i++) {
        if (taken[i] || atCap(i)) continue;
        const v = (1 - lambda) * value[i] - lambda * maxSim[i];
        if (v > bestValue) {
          best = i;
          bestValue = v;
        }
      }
      if (best < 0) break;
      taken[best] = 1;
      head.push(ranked[best]);
      perCreator.set(items[best].creatorId, (perCreator.get(items[best].creatorId) ?? 0) + 1);
      if (lambda > 0) {
        for (let i = 0; i < n; i++) if (!taken[i]) maxSim[i] = Math.max(maxSim[i], itemSimilarity(items[i], items[best]));
      }
    }
    const tail = ranked.filter((_, i) => !taken[i] && !atCap(i));
    return [...head, ...tail];
  }

  /** Min-max normalised scores (all 1 when every score is equal), plus the fresh boost. */
  private boostedScores(request: RecRequest, ranked: readonly ScoredCandidate[], items: readonly PublicItem[]): Float64Array {
    const { freshBoost, freshAge } = this.options;
    let min = Infinity;
    let max = -Infinity;
    for (const c of ranked) {
      min = Math.min(min, c.score);
      max = Math.max(max, c.score);
    }
    const span = max - min;
    return Float64Array.from(ranked, (c, i) => {
      const normalised = span > 0 ? (c.score - min) / span : 1;
      const fresh = freshBoost > 0 && request.time - items[i].uploadTime < freshAge;
      return fresh ? normalised + freshBoost : normalised;
    });
  }
}

/** `rerank.kind: diversity` (the default): MMR, a creator cap and a fresh boost, each off at 0. */
export const DIVERSITY_RERANKER = reRanker({
  name: 'diversity',
  settings: {
    /** 0 ranks by score alone; higher trades score for dissimilarity to what is already in the slate. */
    mmr_lambda: probability.default(0),
    /** Most items per creator in one slate; 0 for no cap. */
    creator_cap: count.default(0),
    fresh_boost: rate.default(0),
    fresh_age: positiveDuration.prefault(2),
  },
  // The creator cap is a hard limit every policy keeps, so it is not among them.
  reorders: (config) =>
    [
      { key: 'mmr_lambda', value: config.mmr_lambda, what: 'MMR order' },
      { key: 'fresh_boost', value: config.fresh_boost, what: 'fresh boost' },
    ].filter((setting) => setting.value > 0),
  check: null,
  build: (config, ctx) =>
    new DiversityReRanker(ctx.catalog, { mmrLambda: config.mmr_lambda, creatorCap: config.creator_cap, freshBoost: config.fresh_boost, freshAge: config.fresh_age }),
});

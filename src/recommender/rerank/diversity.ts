/**
 * Greedy MMR re-ranking with a per-creator cap and a fresh-item boost.
 *
 * Scores are min-max normalised to [0,1] within the request, so λ means the same whatever
 * ranker produced them; items younger than `freshAge` get `freshBoost` added to that
 * normalised score. Each slot then takes the argmax of
 *   (1 − λ)·(normalised score + boost) − λ·(max similarity to the items already placed),
 * skipping creators already at the cap (0 = no cap). Similarity is public-feature only (see
 * item-similarity). Each slot visits the candidates in decreasing score and stops at the first
 * whose score term alone cannot beat the best found, so a similarity is computed only for the
 * items visited: at most O(slateSize × candidates) evaluations, usually far fewer.
 *
 * Output: the greedy head (at most slateSize items, cap respected), then the remaining
 * candidates in input order, minus those whose creator is already at the cap. The tail may
 * still hold several items of one creator, so the cap is also handed to the exploration policy
 * (`cap`), which fills the slate under it. Scores are passed through
 * unchanged: the re-ranker decides order, not the ranker's belief. With λ = 0, no cap and no
 * boost the input order is returned exactly.
 */
import { count, positiveDuration, probability, rate } from '../../settings/fields.js';
import type { PublicCatalog } from '../../world/public.js';
import { ItemTable } from '../item-table.js';
import type { CreatorCap, RecRequest, ReRanker, ScoredCandidate } from '../types.js';
import { reRanker } from './component.js';
import { CatalogCreatorCap } from './creator-cap.js';
import { SimilarityToMany } from './item-similarity.js';

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
  private readonly table: ItemTable;
  /** Per-request scratch, reused across requests: candidate ids, weighted boosted scores, similarity to the head, taken flags. */
  private ids = new Int32Array(0);
  private value = new Float64Array(0);
  private maxSim = new Float64Array(0);
  /** How many head items each candidate's maxSim covers (the head's first upTo[i]). */
  private upTo = new Int32Array(0);
  private taken = new Uint8Array(0);
  /** Candidate indices by decreasing value. */
  private order = new Int32Array(0);
  /** Head items per creator, zeroed after each request. */
  private perCreator = new Int32Array(0);
  private readonly similarity: SimilarityToMany;

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
    this.table = new ItemTable(catalog);
    this.similarity = new SimilarityToMany(this.table);
  }

  rerank(request: RecRequest, ranked: readonly ScoredCandidate[], slateSize: number): ScoredCandidate[] {
    const { mmrLambda: lambda, creatorCap: cap } = this.options;
    const n = ranked.length;
    this.prepare(n);
    const { creators } = this.table;
    const { ids, value, maxSim, upTo, taken, perCreator, order } = this;
    for (let i = 0; i < n; i++) ids[i] = ranked[i].itemId;
    this.boostedScores(request, ranked);
    // value[i] now holds (1 − λ)·(normalised score + boost): an item's MMR value never exceeds it.
    let finite = true;
    for (let i = 0; i < n; i++) {
      value[i] = (1 - lambda) * value[i];
      finite &&= Number.isFinite(value[i]);
    }
    this.sortByValue(n);
    const similarity = this.similarity;
    const head: ScoredCandidate[] = [];
    while (head.length < slateSize) {
      // The argmax of value − λ·maxSim, ties to the lower index, as a scan in index order finds it.
      // Visited in decreasing value, it stops at the first value below the best so far: no later
      // item can reach it. An item's similarity to the head is brought up to date only when visited.
      let best = -1;
      let bestValue = -Infinity;
      const placed = similarity.size;
      for (let r = 0; r < n; r++) {
        const i = order[r];
        if (taken[i] || (cap > 0 && perCreator[creators[ids[i]]] >= cap)) continue;
        if (finite && value[i] < bestValue) break;
        if (lambda > 0) {
          let m = maxSim[i];
          for (let t = upTo[i]; t < placed; t++) m = Math.max(m, similarity.of(t, ids[i]));
          maxSim[i] = m;
          upTo[i] = placed;
        }
        const v = value[i] - lambda * maxSim[i];
        if (v > bestValue || (v === bestValue && i < best)) {
          best = i;
          bestValue = v;
        }
      }
      if (best < 0) break;
      taken[best] = 1;
      head.push(ranked[best]);
      perCreator[creators[ids[best]]] += 1;
      if (lambda > 0) similarity.add(ids[best]);
    }
    similarity.clear();
    const placed = head.length;
    const out = head;
    for (let i = 0; i < n; i++) if (!taken[i] && !(cap > 0 && perCreator[creators[ids[i]]] >= cap)) out.push(ranked[i]);
    for (let r = 0; r < placed; r++) perCreator[creators[out[r].itemId]] = 0;
    return out;
  }

  /**
   * order[0..n) ← the candidates by decreasing value, ties in index order (an insertion sort:
   * the ranked list is already in score order, so only boosted items move).
   */
  private sortByValue(n: number): void {
    const { order, value } = this;
    for (let i = 0; i < n; i++) {
      let at = i;
      while (at > 0 && value[order[at - 1]] < value[i]) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = i;
    }
  }

  /** Syncs the item table and sizes the scratch arrays for `n` candidates, cleared. */
  private prepare(n: number): void {
    const table = this.table;
    table.sync();
    if (this.ids.length < n) {
      this.ids = new Int32Array(n);
      this.value = new Float64Array(n);
      this.maxSim = new Float64Array(n);
      this.upTo = new Int32Array(n);
      this.taken = new Uint8Array(n);
      this.order = new Int32Array(n);
    }
    this.maxSim.fill(0, 0, n);
    this.upTo.fill(0, 0, n);
    this.taken.fill(0, 0, n);
    if (this.perCreator.length < table.creatorBound) this.perCreator = new Int32Array(table.creatorBound);
  }

  /** Min-max normalised scores (all 1 when every score is equal), plus the fresh boost, into `value`. */
  private boostedScores(request: RecRequest, ranked: readonly ScoredCandidate[]): void {
    const { freshBoost, freshAge } = this.options;
    const { uploadTimes } = this.table;
    let min = Infinity;
    let max = -Infinity;
    for (const c of ranked) {
      min = Math.min(min, c.score);
      max = Math.max(max, c.score);
    }
    const span = max - min;
    for (let i = 0; i < ranked.length; i++) {
      const normalised = span > 0 ? (ranked[i].score - min) / span : 1;
      const fresh = freshBoost > 0 && request.time - uploadTimes[this.ids[i]] < freshAge;
      this.value[i] = fresh ? normalised + freshBoost : normalised;
    }
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

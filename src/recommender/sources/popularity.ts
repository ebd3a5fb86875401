/**
 * Most clicked items over a trailing window of the log. Items the user already clicked in the
 * log window can be excluded; when too few items have clicks (a young log), the list is filled
 * with the items longest in the catalog, so the source stays deterministic.
 */
import { positiveCount, positiveDuration } from '../../settings/fields.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest, ScoredCandidate } from '../types.js';
import { candidateSource } from './component.js';
import { WindowClicks } from './window-clicks.js';

export interface PopularityOptions {
  readonly k: number;
  readonly windowDays: number;
  readonly excludeSeen: boolean;
}

export class PopularitySource implements CandidateSource {
  readonly name = 'popularity';
  /** Shared by every candidate this source makes (candidates never modify it). */
  private readonly sourceNames: readonly string[] = [this.name];
  /** Clicks per item in the window and, when seen items are excluded, who clicked what in the log. */
  private readonly clicks: WindowClicks;
  /** Items with at least one click in the window, most clicked first (ties: lower id). */
  private rankedIds = new Int32Array(0);
  /** The candidate of each ranked item, made when first handed out (one object per item per retrain). */
  private rankedCandidates: (Candidate | undefined)[] = [];
  /** The top k of the ranking, one frozen list handed to every user with nothing to exclude. */
  private top: readonly Candidate[] = [];

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly options: PopularityOptions,
  ) {
    this.clicks = new WindowClicks({ pairs: options.excludeSeen });
  }

  retrain(log: TrainingLog, now: number): void {
    const { clicks } = this;
    // Incremental: adds the new epoch's clicks and takes away those that left the window.
    clicks.update(log, now - this.options.windowDays);
    let n = 0;
    for (let id = 0; id < clicks.itemBound; id++) if (clicks.count(id) > 0) n++;
    const ranked = new Int32Array(n);
    for (let id = 0, r = 0; id < clicks.itemBound; id++) if (clicks.count(id) > 0) ranked[r++] = id;
    ranked.sort((a, b) => clicks.count(b) - clicks.count(a) || a - b);
    this.rankedIds = ranked;
    this.rankedCandidates = new Array<Candidate | undefined>(n);
    const top: Candidate[] = [];
    for (let r = 0; r < Math.min(n, this.options.k); r++) top.push(this.candidateAt(r));
    this.top = Object.freeze(top);
  }

  generate(requests: readonly RecRequest[]): (readonly Candidate[])[] {
    const lists = new Array<readonly Candidate[]>(requests.length);
    for (let r = 0; r < requests.length; r++) lists[r] = this.forUser(requests[r].userId);
    return lists;
  }

  private candidateAt(rank: number): Candidate {
    let candidate = this.rankedCandidates[rank];
    if (candidate === undefined) {
      const itemId = this.rankedIds[rank];
      const clicks = this.clicks.count(itemId);
      // Scored already (by its count), so ordering without a ranker passes it on without a copy.
      const scored: ScoredCandidate = { itemId, sources: this.sourceNames, sourceScore: clicks, score: clicks };
      candidate = scored;
      this.rankedCandidates[rank] = candidate;
    }
    return candidate;
  }

  private forUser(userId: number): readonly Candidate[] {
    const { k } = this.options;
    const { pairs } = this.clicks;
    const excludes = pairs !== undefined && pairs.hasAny(userId);
    // Frozen, so a stage that tried to change the shared list would fail loudly.
    if (!excludes && this.top.length === k) return this.top;
    const out: Candidate[] = [];
    const ranked = this.rankedIds;
    for (let r = 0; r < ranked.length; r++) {
      if (out.length >= k) return out;
      if (excludes && pairs.has(userId, ranked[r])) continue;
      out.push(this.candidateAt(r));
    }
    // Fill with the longest-listed items (lowest ids); negative scores keep them below every clicked
    // item. Never the newest uploads: popularity must not be a way for an unclicked new item to surface.
    // The whole ranking was walked, so every clicked item is in the list already or seen: skip them all.
    for (let id = 0; id < this.catalog.size && out.length < k; id++) {
      if (this.clicks.count(id) > 0 || (excludes && pairs.has(userId, id))) continue;
      const score = -1 - id / this.catalog.size;
      const scored: ScoredCandidate = { itemId: id, sources: this.sourceNames, sourceScore: score, score };
      out.push(scored);
    }
    return out;
  }
}

export const POPULARITY_SOURCE = candidateSource({
  name: 'popularity',
  settings: { k: positiveCount.default(50), window: positiveDuration.prefault(3) },
  // Seen items are excluded once, by the two-stage router, for every source.
  build: (config, ctx) => new PopularitySource(ctx.recommender.catalog, { k: config.k, windowDays: config.window, excludeSeen: false }),
});

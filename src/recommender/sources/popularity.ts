/**
 * Most clicked items over a trailing window of the log. Items the user already clicked in the
 * log window can be excluded; when too few items have clicks (a young log), the list is filled
 * with the items longest in the catalog, so the source stays deterministic.
 */
import { positiveCount, positiveDuration } from '../../settings/fields.js';
import type { TrainingLog } from '../../training/training-log.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest } from '../types.js';
import { candidateSource } from './component.js';

export interface PopularityOptions {
  readonly k: number;
  readonly windowDays: number;
  readonly excludeSeen: boolean;
}

export class PopularitySource implements CandidateSource {
  readonly name = 'popularity';
  /** Shared by every candidate this source makes (candidates never modify it). */
  private readonly sourceNames: readonly string[] = [this.name];
  /** Items with at least one click in the window, most clicked first (ties: lower id), scored by clicks. */
  private ranked: Candidate[] = [];
  /** The top k of `ranked`, one frozen list handed to every user with nothing to exclude. */
  private top: readonly Candidate[] = [];
  private seen = new Map<number, Set<number>>();

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly options: PopularityOptions,
  ) {}

  retrain(log: TrainingLog, now: number): void {
    const since = now - this.options.windowDays;
    const clicks = new Map<number, number>();
    const seen = new Map<number, Set<number>>();
    for (const chunk of log.chunks) {
      const { time, item_id, user_id, clicked } = chunk.impressions.columns;
      for (let i = 0; i < time.length; i++) {
        if (clicked[i] === 0) continue;
        if (this.options.excludeSeen) {
          let set = seen.get(user_id[i]);
          if (!set) seen.set(user_id[i], (set = new Set()));
          set.add(item_id[i]);
        }
        if (time[i] >= since) clicks.set(item_id[i], (clicks.get(item_id[i]) ?? 0) + 1);
      }
    }
    this.ranked = [...clicks]
      .map(([itemId, n]): Candidate => ({ itemId, sources: this.sourceNames, sourceScore: n }))
      .sort((a, b) => b.sourceScore - a.sourceScore || a.itemId - b.itemId);
    this.top = Object.freeze(this.ranked.slice(0, this.options.k));
    this.seen = seen;
  }

  generate(requests: readonly RecRequest[]): (readonly Candidate[])[] {
    return requests.map((request) => this.forUser(request.userId));
  }

  private forUser(userId: number): readonly Candidate[] {
    const { k } = this.options;
    const seen = this.seen.get(userId);
    // Frozen, so a stage that tried to change the shared list would fail loudly.
    if (seen === undefined && this.top.length === k) return this.top;
    const out: Candidate[] = [];
    for (const candidate of this.ranked) {
      if (out.length >= k) return out;
      if (seen?.has(candidate.itemId)) continue;
      out.push(candidate);
    }
    // Fill with the longest-listed items (lowest ids); negative scores keep them below every clicked
    // item. Never the newest uploads: popularity must not be a way for an unclicked new item to surface.
    const taken = new Set(out.map((c) => c.itemId)); // only a young log gets this far
    for (let id = 0; id < this.catalog.size && out.length < k; id++) {
      if (taken.has(id) || seen?.has(id)) continue;
      out.push({ itemId: id, sources: this.sourceNames, sourceScore: -1 - id / this.catalog.size });
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

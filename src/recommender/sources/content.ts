/**
 * Content-based candidates: items sharing topic tags or creator with the user's recent clicks.
 * It needs no training — the inverted indexes grow with the catalog at every request — so it
 * is the one personalised source that can retrieve a brand-new item. Users without clicks get
 * nothing from it.
 *
 * Work per request is bounded: the user's strongest few tags and creators are looked up, and
 * only the newest `perList` items of each posting list are scored, never the whole catalog.
 */
import { positiveCount } from '../../settings/fields.js';
import { UserHistory, type HistoryEntry } from '../../training/user-history.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest, SlateFeedback } from '../types.js';
import { candidateSource } from './component.js';
import { ContentIndex } from './content-index.js';
import { tagVectorNorm, tagWeight } from './tag-weights.js';

export interface ContentSourceOptions {
  /** Candidates per request. */
  readonly k: number;
  /** Most recent clicks per user that form the profile. */
  readonly history: number;
  /** Strongest profile tags looked up per request (default 4). */
  readonly topTags?: number;
  /** Strongest profile creators looked up per request (default 4). */
  readonly topCreators?: number;
  /** Newest items read from each looked-up posting list (default 2k). */
  readonly perList?: number;
}

/** The k-th most recent click counts RECENCY_DECAY^k as much as the latest. */
const RECENCY_DECAY = 0.85;
/** A shared creator counts as much as a perfect tag match. */
const CREATOR_WEIGHT = 1;

/** Recency-weighted shares of the user's recent clicks per tag and per creator. */
export interface ContentProfile {
  readonly tags: ReadonlyMap<number, number>;
  readonly creators: ReadonlyMap<number, number>;
}

export class ContentSource implements CandidateSource {
  readonly name = 'content';
  private readonly index: ContentIndex;
  private readonly history: UserHistory;
  private readonly topTags: number;
  private readonly topCreators: number;
  private readonly perList: number;

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly options: ContentSourceOptions,
  ) {
    const { k, history } = options;
    this.topTags = options.topTags ?? 4;
    this.topCreators = options.topCreators ?? 4;
    this.perList = options.perList ?? 2 * k;
    for (const [name, value] of [
      ['k', k],
      ['history', history],
      ['topTags', this.topTags],
      ['topCreators', this.topCreators],
      ['perList', this.perList],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`content source: ${name} must be a whole number of 1 or more, got ${value}`);
    }
    this.index = new ContentIndex(catalog);
    this.history = new UserHistory(history);
  }

  generate(requests: readonly RecRequest[]): Candidate[][] {
    this.index.sync();
    return requests.map((request) => this.forUser(request.userId));
  }

  /** Clicks are recorded as they happen, so the next request already reflects them. */
  observe(feedback: SlateFeedback): void {
    if (feedback.clicked < 0) return;
    const entry = feedback.slate.entries[feedback.clicked];
    this.history.record(feedback.request.userId, entry.itemId, feedback.request.time);
  }

  retrain(): void {
    this.index.sync();
  }

  private forUser(userId: number): Candidate[] {
    const recent = this.history.recent(userId);
    if (recent.length === 0) return [];
    const profile = buildProfile(this.catalog, recent);
    const clicked = new Set(recent.map((e) => e.itemId));
    const scores = new Map<number, number>();
    const visit = (list: readonly number[]): void => {
      for (let i = list.length - 1, read = 0; i >= 0 && read < this.perList; i--, read++) {
        const id = list[i];
        if (!clicked.has(id) && !scores.has(id)) scores.set(id, this.score(id, profile));
      }
    };
    for (const tag of strongest(profile.tags, this.topTags)) visit(this.index.withTag(tag));
    for (const creator of strongest(profile.creators, this.topCreators)) visit(this.index.byCreatorId(creator));

    const ranked = [...scores].sort(
      ([a, sa], [b, sb]) => sb - sa || this.catalog.get(b).uploadTime - this.catalog.get(a).uploadTime || a - b,
    );
    return ranked.slice(0, this.options.k).map(([itemId, score]) => ({ itemId, sources: [this.name], sourceScore: score }));
  }

  /** Dot product of the item's unit tag vector with the tag profile, plus the creator's share. */
  private score(itemId: number, profile: ContentProfile): number {
    const item = this.catalog.get(itemId);
    const norm = tagVectorNorm(item.topics.length);
    let s = 0;
    for (let j = 0; j < item.topics.length; j++) s += (tagWeight(j) / norm) * (profile.tags.get(item.topics[j]) ?? 0);
    return s + CREATOR_WEIGHT * (profile.creators.get(item.creatorId) ?? 0);
  }
}

/**
 * Each click adds its item's unit tag vector and its creator, weighted by recency; dividing by
 * the total weight makes the creator entries shares in [0,1] and the tag profile a vector of
 * norm at most 1, so scores are comparable between users with long and short histories.
 */
export function buildProfile(catalog: PublicCatalog, recent: readonly HistoryEntry[]): ContentProfile {
  const tags = new Map<number, number>();
  const creators = new Map<number, number>();
  let total = 0;
  let w = 1;
  for (const { itemId } of recent) {
    const item = catalog.get(itemId);
    const norm = tagVectorNorm(item.topics.length);
    for (let j = 0; j < item.topics.length; j++) add(tags, item.topics[j], (w * tagWeight(j)) / norm);
    add(creators, item.creatorId, w);
    total += w;
    w *= RECENCY_DECAY;
  }
  if (total > 0) {
    for (const [key, value] of tags) tags.set(key, value / total);
    for (const [key, value] of creators) creators.set(key, value / total);
  }
  return { tags, creators };
}

function add(map: Map<number, number>, key: number, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/** The keys with the largest weights, ties to the lower key. */
function strongest(weights: ReadonlyMap<number, number>, n: number): number[] {
  return [...weights]
    .sort(([a, wa], [b, wb]) => wb - wa || a - b)
    .slice(0, n)
    .map(([key]) => key);
}

/** Items sharing topic tags or creator with the user's recent history: the way a brand-new item is found. */
export const CONTENT_SOURCE = candidateSource({
  name: 'content',
  settings: { k: positiveCount.default(50), history: positiveCount.default(20) },
  build: (config, ctx) => new ContentSource(ctx.recommender.catalog, { k: config.k, history: config.history }),
});

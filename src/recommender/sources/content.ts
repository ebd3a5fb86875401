/**
 * Content-based candidates: items sharing topic tags or creator with the user's recent clicks.
 * It needs no training — the inverted indexes grow with the catalog at every request — so it
 * is the one personalised source that can retrieve a brand-new item. Users without clicks get
 * nothing from it.
 *
 * Work per request is bounded: the user's strongest few tags and creators are looked up, and
 * only the newest `perList` items of each posting list are scored, never the whole catalog.
 */
import { grown } from '../../core/typed-arrays.js';
import { positiveCount } from '../../settings/fields.js';
import { UserHistory } from '../../training/user-history.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest, SlateFeedback } from '../types.js';
import { candidateSource } from './component.js';
import { ContentIndex } from './content-index.js';
import { ItemTable } from '../item-table.js';
import { cachedTagVectorNorm, tagWeight } from './tag-weights.js';

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

export class ContentSource implements CandidateSource {
  readonly name = 'content';
  /** Shared by every candidate this source makes (candidates never modify it). */
  private readonly sourceNames: readonly string[] = [this.name];
  private readonly index: ContentIndex;
  private readonly items: ItemTable;
  private readonly history: UserHistory;
  private readonly topTags: number;
  private readonly topCreators: number;
  private readonly perList: number;
  /** Per-request scratch, reused: the profile, indexed by tag and by creator (0 when absent)… */
  private tagProfile = new Float64Array(0);
  private creatorProfile = new Float64Array(0);
  private readonly profileTags: number[] = [];
  private readonly profileCreators: number[] = [];
  /** …the items this request has met (clicked or scored) are those whose mark is the request's stamp… */
  private met = new Int32Array(0);
  private stamp = 0;
  /** …the user's recent clicks, newest first… */
  private readonly recentItems: Int32Array;
  /** …and the scored items, in visit order. */
  private readonly scoredIds: Int32Array;
  private readonly scoredValues: Float64Array;

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
    this.items = new ItemTable(catalog);
    this.history = new UserHistory(history);
    this.recentItems = new Int32Array(history);
    this.scoredIds = new Int32Array((this.topTags + this.topCreators) * this.perList);
    this.scoredValues = new Float64Array(this.scoredIds.length);
  }

  generate(requests: readonly RecRequest[]): Candidate[][] {
    this.sync();
    return requests.map((request) => this.forUser(request.userId));
  }

  /** Clicks are recorded as they happen, so the next request already reflects them. */
  observe(feedback: SlateFeedback): void {
    if (feedback.clicked < 0) return;
    const entry = feedback.slate.entries[feedback.clicked];
    this.history.record(feedback.request.userId, entry.itemId, feedback.request.time);
  }

  retrain(): void {
    this.sync();
  }

  private sync(): void {
    this.index.sync();
    const { items } = this;
    items.sync();
    if (this.tagProfile.length < items.topicBound) this.tagProfile = new Float64Array(items.topicBound);
    if (this.creatorProfile.length < items.creatorBound) this.creatorProfile = new Float64Array(items.creatorBound);
    if (this.met.length < items.size) this.met = grown(this.met, Math.max(items.size, 2 * this.met.length));
  }

  private forUser(userId: number): Candidate[] {
    const recent = this.recentItems;
    const clicks = this.history.recentInto(userId, recent);
    if (clicks === 0) return [];
    if (this.stamp === 0x7fffffff) {
      this.met.fill(0);
      this.stamp = 0;
    }
    const stamp = ++this.stamp;
    const { met } = this;
    this.buildProfile(recent, clicks);
    for (let k = 0; k < clicks; k++) met[recent[k]] = stamp;
    let scored = 0;
    const visit = (list: readonly number[]): void => {
      for (let i = list.length - 1, read = 0; i >= 0 && read < this.perList; i--, read++) {
        const id = list[i];
        if (met[id] === stamp) continue;
        met[id] = stamp;
        this.scoredIds[scored] = id;
        this.scoredValues[scored++] = this.score(id);
      }
    };
    for (const tag of strongest(this.profileTags, this.tagProfile, this.topTags)) visit(this.index.withTag(tag));
    for (const creator of strongest(this.profileCreators, this.creatorProfile, this.topCreators)) visit(this.index.byCreatorId(creator));
    this.clearProfile();
    return this.best(scored);
  }

  /**
   * The user's profile into the scratch tables: each click adds its item's unit tag vector and
   * its creator, weighted by recency; dividing by the total weight makes the creator entries
   * shares in [0,1] and the tag profile a vector of norm at most 1, so scores are comparable
   * between users with long and short histories.
   */
  private buildProfile(recent: Int32Array, clicks: number): void {
    const { topicStart, topics, creators } = this.items;
    const { tagProfile, creatorProfile, profileTags, profileCreators } = this;
    let total = 0;
    let w = 1;
    for (let k = 0; k < clicks; k++) {
      const itemId = recent[k];
      const from = topicStart[itemId];
      const count = topicStart[itemId + 1] - from;
      const norm = cachedTagVectorNorm(count);
      for (let j = 0; j < count; j++) {
        const tag = topics[from + j];
        // Every added weight is positive, so 0 means not yet in the profile.
        if (tagProfile[tag] === 0) profileTags.push(tag);
        tagProfile[tag] += (w * tagWeight(j)) / norm;
      }
      const creator = creators[itemId];
      if (creatorProfile[creator] === 0) profileCreators.push(creator);
      creatorProfile[creator] += w;
      total += w;
      w *= RECENCY_DECAY;
    }
    for (const tag of profileTags) tagProfile[tag] /= total;
    for (const creator of profileCreators) creatorProfile[creator] /= total;
  }

  private clearProfile(): void {
    for (const tag of this.profileTags) this.tagProfile[tag] = 0;
    for (const creator of this.profileCreators) this.creatorProfile[creator] = 0;
    this.profileTags.length = 0;
    this.profileCreators.length = 0;
  }

  /** Dot product of the item's unit tag vector with the tag profile, plus the creator's share. */
  private score(itemId: number): number {
    const { topicStart, topics, creators } = this.items;
    const from = topicStart[itemId];
    const count = topicStart[itemId + 1] - from;
    const norm = cachedTagVectorNorm(count);
    let s = 0;
    for (let j = 0; j < count; j++) s += (tagWeight(j) / norm) * this.tagProfile[topics[from + j]];
    return s + CREATOR_WEIGHT * this.creatorProfile[creators[itemId]];
  }

  /** The k best scored items: highest score, then newest upload, then lowest id. */
  private best(scored: number): Candidate[] {
    const { scoredIds: ids, scoredValues: values } = this;
    const { uploadTimes } = this.items;
    const before = (a: number, b: number): boolean =>
      values[a] > values[b] || (values[a] === values[b] && (uploadTimes[ids[a]] > uploadTimes[ids[b]] || (uploadTimes[ids[a]] === uploadTimes[ids[b]] && ids[a] < ids[b])));
    // Insertion into a short sorted list: most candidates lose to its last entry at once.
    const k = Math.min(this.options.k, scored);
    const top: number[] = [];
    for (let p = 0; p < scored; p++) {
      if (top.length === k && !before(p, top[k - 1])) continue;
      let at = top.length === k ? k - 1 : top.length;
      while (at > 0 && before(p, top[at - 1])) {
        top[at] = top[at - 1];
        at--;
      }
      top[at] = p;
    }
    return top.map((p) => ({ itemId: ids[p], sources: this.sourceNames, sourceScore: values[p] }));
  }
}

/** The `n` keys with the largest weights, ties to the lower key. */
function strongest(keys: readonly number[], weights: Float64Array, n: number): number[] {
  const before = (a: number, b: number): boolean => weights[a] > weights[b] || (weights[a] === weights[b] && a < b);
  const top: number[] = [];
  for (const key of keys) {
    if (top.length === n && !before(key, top[n - 1])) continue;
    let at = top.length === n ? n - 1 : top.length;
    while (at > 0 && before(key, top[at - 1])) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = key;
  }
  return top;
}

/** Items sharing topic tags or creator with the user's recent history: the way a brand-new item is found. */
export const CONTENT_SOURCE = candidateSource({
  name: 'content',
  settings: { k: positiveCount.default(50), history: positiveCount.default(20) },
  build: (config, ctx) => new ContentSource(ctx.recommender.catalog, { k: config.k, history: config.history }),
});

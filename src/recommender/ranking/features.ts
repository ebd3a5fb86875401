/**
 * The ranker's dense input: one row of `dim` floats per (request, candidate), written straight
 * into a shared Float32Array for a whole batch (no per-candidate tensors). Everything comes from
 * observable data: the item's public record, the user's public record, click history and
 * per-topic click rates (UserEngagement), the request context, and item statistics from the log
 * (ItemStats).
 *
 * Layout: [item topics (multi-hot) | user topic interest | their product | scalars], with
 * `topics` = number of topic ids (tags at or above it are ignored).
 */
import { SmallCounts } from '../../core/small-counts.js';
import type { UserHistory } from '../../training/user-history.js';
import { sharedItemTable, type ItemTable } from '../item-table.js';
import { DEVICES, type PublicCatalog, type PublicUsers } from '../../world/public.js';
import { ITEM_STAT_FEATURES } from './item-stats.js';
import type { RequestContext } from './request-context.js';
import type { UserEngagement } from './user-engagement.js';

/** Most recent clicks behind the short-term interest (what the user is into right now, or tired of). */
const RECENT_CLICKS = 5;

const SCALAR_FEATURES = [
  'creator_share',
  'clicked_before',
  'recent_topic_match',
  'user_ctr',
  'user_topic_ctr',
  'log_history_clicks',
  'log_past_sessions',
  'log_request_in_session',
  ...DEVICES.map((d) => `device_${d}`),
  'hour_sin',
  'hour_cos',
  'log_user_age_days',
  'log_item_age_days',
  'log_item_length',
  ...ITEM_STAT_FEATURES,
] as const;

export interface FeatureLayout {
  readonly topics: number;
  readonly dim: number;
}

export function featureLayout(topics: number): FeatureLayout {
  if (!Number.isInteger(topics) || topics < 1) throw new RangeError(`topics must be a whole number of 1 or more, got ${topics}`);
  return { topics, dim: 3 * topics + SCALAR_FEATURES.length };
}

/** Names of the features in layout order (for reports and debugging). */
export function featureNames(layout: FeatureLayout): string[] {
  const t = Array.from({ length: layout.topics }, (_, k) => k);
  return [...t.map((k) => `item_topic_${k}`), ...t.map((k) => `user_topic_${k}`), ...t.map((k) => `match_topic_${k}`), ...SCALAR_FEATURES];
}

/** Topic count from a catalog: one more than its largest tag id. */
export function topicCount(catalog: PublicCatalog): number {
  let max = -1;
  for (const item of catalog.all()) for (const t of item.topics) max = Math.max(max, t);
  return Math.max(1, max + 1);
}

/** What the features need to know about a user's recent clicks, computed once per request. */
export class UserSummary {
  /** Share of recent clicks on each topic (an item's weight is split over its tags). */
  readonly topicShare: Float32Array;
  /** The same over the last RECENT_CLICKS clicks only. */
  readonly recentShare: Float32Array;
  /** Smoothed click rate of the user per topic (from impressions, clicked or not). */
  readonly topicRate: Float32Array;
  /** Smoothed overall click rate of the user. */
  userRate = 0;
  /** Recent clicks summarised (at most the history length). */
  size = 0;
  /** Clicks recorded for the user in all (capped like `size` in the features). */
  clicks = 0;
  /** Recent clicks per creator, and the recently clicked items (a handful of keys each, looked up per candidate). */
  private readonly creatorCounts = new SmallCounts();
  private readonly recentClicks = new SmallCounts();
  /** The recent clicks' items, newest first (scratch of fill). */
  private recentItems = new Int32Array(0);

  constructor(topics: number) {
    this.topicShare = new Float32Array(topics);
    this.recentShare = new Float32Array(topics);
    this.topicRate = new Float32Array(topics);
  }

  /** Recent clicks on the creator's items. */
  creatorClicks(creatorId: number): number {
    return this.creatorCounts.count(creatorId);
  }

  /** Whether the item is among the recent clicks. */
  clickedRecently(itemId: number): boolean {
    return this.recentClicks.count(itemId) > 0;
  }

  /**
   * Refills the summary as of `time` (reusing this object: it is rebuilt for every slate).
   * `globalRate` is everyone's click rate, the prior of the user's own.
   */
  fill(history: UserHistory, engagement: UserEngagement, userId: number, time: number, globalRate: number, catalog: PublicCatalog): this {
    this.userRate = engagement.topicRates(userId, time, globalRate, this.topicRate);
    this.topicShare.fill(0);
    this.recentShare.fill(0);
    if (this.recentItems.length < history.length) this.recentItems = new Int32Array(history.length);
    const recent = this.recentItems;
    this.size = history.recentInto(userId, recent);
    this.creatorCounts.clear(this.size);
    this.recentClicks.clear(this.size);
    this.clicks = history.clicks(userId);
    const topics = this.topicShare.length;
    // Items' fields from flat arrays, not from catalog objects scattered over the heap.
    const items = sharedItemTable(catalog);
    for (let k = 0; k < this.size; k++) {
      const itemId = recent[k];
      if (itemId >= items.size) items.sync();
      this.recentClicks.add(itemId);
      this.creatorCounts.add(items.creators[itemId]);
      const from = items.topicStart[itemId];
      const count = items.topicStart[itemId + 1] - from;
      const share = 1 / Math.max(1, count);
      for (let j = from; j < from + count; j++) {
        const t = items.topics[j];
        if (t >= topics) continue;
        this.topicShare[t] += share / this.size;
        if (k < RECENT_CLICKS) this.recentShare[t] += share / Math.min(this.size, RECENT_CLICKS);
      }
    }
    return this;
  }
}

export class FeatureWriter {
  private readonly historyCap: number;
  private readonly items: ItemTable;

  constructor(
    readonly layout: FeatureLayout,
    private readonly catalog: PublicCatalog,
    private readonly users: PublicUsers,
    historyLength: number,
  ) {
    this.historyCap = historyLength;
    this.items = sharedItemTable(catalog);
  }

  /**
   * Writes one row at out[row * dim ..]. `statsTime` is when the item statistics are read: the
   * row's own time in training, the last retrain at serving (statistics are frozen between retrains).
   */
  write(out: Float32Array, row: number, ctx: RequestContext, user: UserSummary, itemId: number, stats: ItemStatFeatures, statsTime: number): void {
    const o = row * this.layout.dim;
    out.fill(0, o, o + this.layout.dim);
    this.writeRequest(out, o, ctx, user);
    this.writeCandidate(out, o, ctx, user, itemId, stats, statsTime);
  }

  /**
   * Writes the columns that depend only on the request into a zeroed row at out[o ..]: at serving
   * they are written once per request and copied to each candidate's row (writeCandidate fills the rest).
   */
  writeRequest(out: Float32Array, o: number, ctx: RequestContext, user: UserSummary): void {
    const { topics } = this.layout;
    out.set(user.topicShare, o + topics);
    const s = o + 3 * topics;
    out[s + USER_CTR] = user.userRate;
    out[s + LOG_HISTORY_CLICKS] = Math.log1p(Math.min(user.clicks, this.historyCap));
    out[s + LOG_PAST_SESSIONS] = Math.log1p(ctx.pastSessions);
    out[s + LOG_REQUEST_IN_SESSION] = Math.log1p(ctx.requestInSession);
    out[s + DEVICE + DEVICES.indexOf(ctx.device)] = 1;
    const angle = (2 * Math.PI * ctx.hourOfDay) / 24;
    out[s + HOUR_SIN] = Math.sin(angle);
    out[s + HOUR_COS] = Math.cos(angle);
    out[s + LOG_USER_AGE] = Math.log1p(Math.max(0, ctx.time - this.users.get(ctx.userId).signupTime));
  }

  /** Writes the columns that depend on the candidate into a row whose other columns are already written (and these zero). */
  writeCandidate(out: Float32Array, o: number, ctx: RequestContext, user: UserSummary, itemId: number, stats: ItemStatFeatures, statsTime: number): void {
    this.writeUserItem(out, o, ctx, user, itemId);
    this.writeItem(out, o, itemId, stats, statsTime);
  }

  /** The candidate columns that depend on the request or user as well as the item: its topic columns and USER_ITEM_SCALARS. */
  writeUserItem(out: Float32Array, o: number, ctx: RequestContext, user: UserSummary, itemId: number): void {
    // The item's public fields from flat arrays: per candidate, no catalog object is touched.
    const items = this.itemTable(itemId);
    this.writeUserItemOf(out, o, ctx, user, itemId, items.topics, items.topicStart[itemId], items.topicStart[itemId + 1], items.creators[itemId], items.uploadTimes[itemId]);
  }

  /**
   * writeUserItem from the item's fields given: its tags are tags[from .. to). Serving keeps each
   * item's fields side by side (ServingRows), a candidate's one read from memory.
   */
  writeUserItemOf(out: Float32Array, o: number, ctx: RequestContext, user: UserSummary, itemId: number, tags: Int32Array, from: number, to: number, creatorId: number, uploadTime: number): void {
    const { topics } = this.layout;
    let recentMatch = 0;
    let topicRate = 0;
    let count = 0;
    for (let j = from; j < to; j++) {
      const t = tags[j];
      if (t >= topics) continue;
      out[o + t] = 1;
      // The product of user interest and item topic: zero off the item's topics.
      out[o + 2 * topics + t] = user.topicShare[t];
      recentMatch += user.recentShare[t];
      topicRate += user.topicRate[t];
      count++;
    }
    const s = o + 3 * topics;
    out[s + CREATOR_SHARE] = user.size > 0 ? user.creatorClicks(creatorId) / user.size : 0;
    out[s + CLICKED_BEFORE] = user.clickedRecently(itemId) ? 1 : 0;
    out[s + RECENT_TOPIC_MATCH] = recentMatch;
    out[s + USER_TOPIC_CTR] = count > 0 ? topicRate / count : user.userRate;
    out[s + LOG_ITEM_AGE] = Math.log1p(Math.max(0, ctx.time - uploadTime));
  }

  /** The candidate columns of the item alone (ITEM_SCALARS): the same for every request while `stats` and `statsTime` are. */
  writeItem(out: Float32Array, o: number, itemId: number, stats: ItemStatFeatures, statsTime: number): void {
    const items = this.itemTable(itemId);
    const s = o + 3 * this.layout.topics;
    out[s + LOG_ITEM_LENGTH] = Math.log(Math.max(items.lengthMinutes[itemId], 1e-3));
    stats.write(itemId, statsTime, out, s + ITEM_STATS);
  }

  /** The item's tags, most prominent first, are items.topics[topicStart[itemId] .. topicStart[itemId + 1]) once this returns. */
  itemTable(itemId: number): ItemTable {
    if (itemId >= this.items.size) this.items.sync();
    return this.items;
  }
}

/** Where a row's item statistics come from: live (ItemStats) or frozen at one time (FrozenItemStats). */
export interface ItemStatFeatures {
  /** Writes the item's ITEM_STAT_FEATURES as of `time` into out[offset..]. */
  write(itemId: number, time: number, out: Float32Array, offset: number): void;
}

/** Offset of each scalar feature after the three topic blocks. */
const scalar = (name: (typeof SCALAR_FEATURES)[number]): number => SCALAR_FEATURES.indexOf(name);
const CREATOR_SHARE = scalar('creator_share');
const CLICKED_BEFORE = scalar('clicked_before');
const RECENT_TOPIC_MATCH = scalar('recent_topic_match');
const USER_CTR = scalar('user_ctr');
const USER_TOPIC_CTR = scalar('user_topic_ctr');
const LOG_HISTORY_CLICKS = scalar('log_history_clicks');
const LOG_PAST_SESSIONS = scalar('log_past_sessions');
const LOG_REQUEST_IN_SESSION = scalar('log_request_in_session');
const DEVICE = scalar(`device_${DEVICES[0]}`);
const HOUR_SIN = scalar('hour_sin');
const HOUR_COS = scalar('hour_cos');
const LOG_USER_AGE = scalar('log_user_age_days');
const LOG_ITEM_AGE = scalar('log_item_age_days');
const LOG_ITEM_LENGTH = scalar('log_item_length');
const ITEM_STATS = scalar(ITEM_STAT_FEATURES[0]);

/** The scalar columns writeUserItem writes (offsets after the three topic blocks), besides the item's own topic columns t and 2·topics + t. */
export const USER_ITEM_SCALARS: readonly number[] = [CREATOR_SHARE, CLICKED_BEFORE, RECENT_TOPIC_MATCH, USER_TOPIC_CTR, LOG_ITEM_AGE];
/** The scalar columns writeItem writes, in order. */
export const ITEM_SCALARS: readonly number[] = [LOG_ITEM_LENGTH, ...ITEM_STAT_FEATURES.map((_, k) => ITEM_STATS + k)];
/**
 * The ranker's feature rows column by column: for a hand-made user history, engagement and
 * request, every named column equals the value features.ts documents for it, worked out here
 * from the inputs (the user summary's shares by hand, the engagement rates and item statistics
 * from their own components, which have their own tests).
 */
import { describe, expect, it } from 'vitest';
import { FeatureWriter, featureLayout, featureNames, topicCount, UserSummary } from '../src/recommender/ranking/features.js';
import { ITEM_STAT_FEATURES, ItemStats } from '../src/recommender/ranking/item-stats.js';
import type { RequestContext } from '../src/recommender/ranking/request-context.js';
import { UserEngagement } from '../src/recommender/ranking/user-engagement.js';
import { UserHistory } from '../src/training/user-history.js';
import { PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';

const TOPICS = 3;

function world(): { catalog: PublicRegistry<PublicItem>; users: PublicRegistry<PublicUser> } {
  const catalog = new PublicRegistry<PublicItem>();
  catalog.add({ id: 0, creatorId: 0, topics: [0], lengthMinutes: 5, uploadTime: -1 });
  catalog.add({ id: 1, creatorId: 1, topics: [1, 2], lengthMinutes: 30, uploadTime: -1 });
  catalog.add({ id: 2, creatorId: 0, topics: [2], lengthMinutes: 1, uploadTime: 0.5 });
  // Tag 3 is past the layout's three topics: ignored.
  catalog.add({ id: 3, creatorId: 2, topics: [3], lengthMinutes: 10, uploadTime: 0.25 });
  catalog.add({ id: 4, creatorId: 2, topics: [], lengthMinutes: 2, uploadTime: 3 });
  catalog.add({ id: 5, creatorId: 1, topics: [0, 1], lengthMinutes: 8, uploadTime: -2 });
  const users = new PublicRegistry<PublicUser>();
  users.add({ id: 0, country: 0, device: 'tv', typicalHour: 20, signupTime: -3 });
  users.add({ id: 1, country: 1, device: 'mobile', typicalHour: 8, signupTime: 0.5 });
  return { catalog, users };
}

/** User 0 clicked items 2, 1, 0, 5, 1, 0, 2 (oldest first); user 1 never clicked. */
function history(): UserHistory {
  const h = new UserHistory(10);
  [2, 1, 0, 5, 1, 0, 2].forEach((itemId, k) => h.record(0, itemId, 0.1 * (k + 1)));
  return h;
}

/** Slates shown to user 0 (clicked or passed over), so each topic has its own rate. */
function engagement(catalog: PublicRegistry<PublicItem>): UserEngagement {
  const e = new UserEngagement(TOPICS, catalog);
  e.addSlate(0, 0.2, [0, 1], 0);
  e.addSlate(0, 0.4, [2, 5], -1);
  e.addSlate(0, 0.6, [1, 2], 2);
  e.addSlate(0, 0.7, [5, 0], 0);
  return e;
}

const GLOBAL_RATE = 0.2;

function setup(historyLength = 10) {
  const { catalog, users } = world();
  const layout = featureLayout(TOPICS);
  const writer = new FeatureWriter(layout, catalog, users, historyLength);
  const names = featureNames(layout);
  const stats = new ItemStats();
  stats.add(1, 0.3, 1, 0.5, 0, 1, 5);
  stats.add(0, 0.5, 0, 0, 0, 0, 0);
  const eng = engagement(catalog);
  return { catalog, users, layout, writer, names, stats, eng };
}

/** The row's columns by name. */
function columns(names: readonly string[], out: Float32Array, row: number): Record<string, number> {
  return Object.fromEntries(names.map((name, k) => [name, out[row * names.length + k]]));
}

function expectColumns(actual: Record<string, number>, wanted: Record<string, number>, what: string): void {
  for (const [name, value] of Object.entries(actual)) expect(value, `${what}: ${name}`).toBeCloseTo(wanted[name] ?? 0, 6);
}

describe('ranker features', () => {
  it('lay out three topic blocks and the named scalars, and reject a topic count that is not a whole number of 1 or more', () => {
    const layout = featureLayout(2);
    const names = featureNames(layout);
    expect(names).toEqual([
      'item_topic_0',
      'item_topic_1',
      'user_topic_0',
      'user_topic_1',
      'match_topic_0',
      'match_topic_1',
      'creator_share',
      'clicked_before',
      'recent_topic_match',
      'user_ctr',
      'user_topic_ctr',
      'log_history_clicks',
      'log_past_sessions',
      'log_request_in_session',
      'device_mobile',
      'device_desktop',
      'device_tv',
      'hour_sin',
      'hour_cos',
      'log_user_age_days',
      'log_item_age_days',
      'log_item_length',
      ...ITEM_STAT_FEATURES,
    ]);
    expect(layout.dim).toBe(names.length);
    for (const bad of [0, -1, 1.5]) expect(() => featureLayout(bad)).toThrow(`topics must be a whole number of 1 or more, got ${bad}`);
    expect(featureLayout(1).dim).toBe(3 + names.length - 6);
  });

  it('count topics as one more than the largest tag, and at least 1', () => {
    expect(topicCount(world().catalog)).toBe(4);
    const only = (topics: number[][]): PublicRegistry<PublicItem> => {
      const catalog = new PublicRegistry<PublicItem>();
      topics.forEach((t, id) => catalog.add({ id, creatorId: 0, topics: t, lengthMinutes: 1, uploadTime: 0 }));
      return catalog;
    };
    expect(topicCount(only([[0], [0]]))).toBe(1);
    expect(topicCount(only([[], [6, 2], [4]]))).toBe(7);
    expect(topicCount(only([[]]))).toBe(1);
    expect(topicCount(only([]))).toBe(1);
  });

  it('summarise the user’s clicks: topic shares over all of them, and over the last five', () => {
    const { catalog, eng } = setup();
    const summary = new UserSummary(TOPICS).fill(history(), eng, 0, 1.25, GLOBAL_RATE, catalog);
    // Newest first: 2, 0, 1, 5, 0 | 1, 2. Each click's weight is split over its tags.
    expect(summary.size).toBe(7);
    expect(summary.clicks).toBe(7);
    [2.5 / 7, 1.5 / 7, 3 / 7].forEach((v, t) => expect(summary.topicShare[t], `topic ${t}`).toBeCloseTo(v, 6));
    [2.5 / 5, 1 / 5, 1.5 / 5].forEach((v, t) => expect(summary.recentShare[t], `recent topic ${t}`).toBeCloseTo(v, 6));
    expect([0, 1, 2].map((c) => summary.creatorClicks(c))).toEqual([4, 3, 0]);
    expect([0, 1, 2, 3, 4, 5, 6].filter((item) => summary.clickedRecently(item))).toEqual([0, 1, 2, 5]);
    const rates = new Float32Array(TOPICS);
    expect(summary.userRate).toBe(eng.topicRates(0, 1.25, GLOBAL_RATE, rates));
    expect(Array.from(summary.topicRate)).toEqual(Array.from(rates));
    // Fewer clicks than five: the recent shares are over those only.
    const two = new UserHistory(10);
    two.record(0, 1, 0.1);
    two.record(0, 0, 0.2);
    summary.fill(two, eng, 0, 1.25, GLOBAL_RATE, catalog);
    [0.5, 0.25, 0.25].forEach((v, t) => expect(summary.recentShare[t], `two clicks, recent topic ${t}`).toBeCloseTo(v, 6));
    [0.5, 0.25, 0.25].forEach((v, t) => expect(summary.topicShare[t], `two clicks, topic ${t}`).toBeCloseTo(v, 6));
  });

  it('write every column of a request and candidate as documented', () => {
    const { catalog, names, writer, stats, eng } = setup();
    const summary = new UserSummary(TOPICS).fill(history(), eng, 0, 1.25, GLOBAL_RATE, catalog);
    const ctx: RequestContext = { userId: 0, time: 1.25, device: 'desktop', hourOfDay: 18, pastSessions: 4, requestInSession: 2 };
    const share = [2.5 / 7, 1.5 / 7, 3 / 7];
    const recent = [0.5, 0.2, 0.3];
    const rate = Array.from(summary.topicRate);
    expect(new Set(rate).size).toBe(3); // the topics' rates differ, so a mean over the wrong ones shows
    const request = {
      user_topic_0: share[0],
      user_topic_1: share[1],
      user_topic_2: share[2],
      user_ctr: summary.userRate,
      log_history_clicks: Math.log1p(7),
      log_past_sessions: Math.log1p(4),
      log_request_in_session: Math.log1p(2),
      device_desktop: 1,
      hour_sin: Math.sin((2 * Math.PI * 18) / 24),
      hour_cos: Math.cos((2 * Math.PI * 18) / 24),
      log_user_age_days: Math.log1p(1.25 + 3),
    };
    const itemStats = (itemId: number, time: number): Record<string, number> => {
      const values = new Float32Array(ITEM_STAT_FEATURES.length);
      stats.write(itemId, time, values, 0);
      return Object.fromEntries(ITEM_STAT_FEATURES.map((name, k) => [name, values[k]]));
    };
    const candidates: Record<number, Record<string, number>> = {
      1: {
        item_topic_1: 1,
        item_topic_2: 1,
        match_topic_1: share[1],
        match_topic_2: share[2],
        creator_share: 3 / 7,
        clicked_before: 1,
        recent_topic_match: recent[1] + recent[2],
        user_topic_ctr: (rate[1] + rate[2]) / 2,
        log_item_age_days: Math.log1p(2.25),
        log_item_length: Math.log(30),
      },
      // Its only tag is past the layout: no topic column, and the user's own rate.
      3: { user_topic_ctr: summary.userRate, log_item_age_days: Math.log1p(1), log_item_length: Math.log(10) },
      // No tags, uploaded after the request (age 0).
      4: { user_topic_ctr: summary.userRate, log_item_length: Math.log(2) },
      5: {
        item_topic_0: 1,
        item_topic_1: 1,
        match_topic_0: share[0],
        match_topic_1: share[1],
        creator_share: 3 / 7,
        clicked_before: 1,
        recent_topic_match: recent[0] + recent[1],
        user_topic_ctr: (rate[0] + rate[1]) / 2,
        log_item_age_days: Math.log1p(3.25),
        log_item_length: Math.log(8),
      },
      2: {
        item_topic_2: 1,
        match_topic_2: share[2],
        creator_share: 4 / 7,
        clicked_before: 1,
        recent_topic_match: recent[2],
        user_topic_ctr: rate[2],
        log_item_age_days: Math.log1p(0.75),
        log_item_length: 0,
      },
    };
    // Rows written one after another into one batch, at 0.5 for the statistics.
    const order = [1, 3, 4, 5, 2];
    const out = new Float32Array(order.length * names.length).fill(7);
    order.forEach((itemId, row) => writer.write(out, row, ctx, summary, itemId, stats, 0.5));
    order.forEach((itemId, row) => expectColumns(columns(names, out, row), { ...request, ...candidates[itemId], ...itemStats(itemId, 0.5) }, `item ${itemId}`));
  });

  it('write a user with no clicks, signed up after the request, with no share, no age and the history capped', () => {
    const { catalog, users, layout, names, stats, eng } = setup();
    const ctx: RequestContext = { userId: 1, time: 0.25, device: 'mobile', hourOfDay: 0, pastSessions: 0, requestInSession: 0 };
    const empty = new UserSummary(TOPICS).fill(history(), eng, 1, 0.25, GLOBAL_RATE, catalog);
    const out = new Float32Array(names.length);
    new FeatureWriter(layout, catalog, users, 10).write(out, 0, ctx, empty, 1, stats, 0.25);
    const stat = new Float32Array(ITEM_STAT_FEATURES.length);
    stats.write(1, 0.25, stat, 0);
    expectColumns(
      columns(names, out, 0),
      {
        item_topic_1: 1,
        item_topic_2: 1,
        user_ctr: GLOBAL_RATE,
        user_topic_ctr: GLOBAL_RATE,
        device_mobile: 1,
        hour_cos: 1,
        log_item_age_days: Math.log1p(1.25),
        log_item_length: Math.log(30),
        ...Object.fromEntries(ITEM_STAT_FEATURES.map((name, k) => [name, stat[k]])),
      },
      'user 1',
    );
    // User 0's seven clicks, with a history of four: the count is capped at four.
    const summary = new UserSummary(TOPICS).fill(history(), eng, 0, 1.25, GLOBAL_RATE, catalog);
    new FeatureWriter(layout, catalog, users, 4).writeRequest(out.fill(0), 0, { ...ctx, userId: 0, time: 1.25 }, summary);
    expect(columns(names, out, 0).log_history_clicks).toBeCloseTo(Math.log1p(4), 6);
  });
});

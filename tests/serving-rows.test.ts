/**
 * Serving rows (request columns standardized once and copied, then only the candidate's columns
 * written and standardized) against rows written whole by FeatureWriter.write and standardized
 * by Standardizer.apply: the same bits, on a random catalog with repeated and out-of-range tags.
 */
import { describe, expect, it } from 'vitest';
import { FeatureWriter, featureLayout, UserSummary } from '../src/recommender/ranking/features.js';
import { FrozenItemStats, ItemStats } from '../src/recommender/ranking/item-stats.js';
import { ServingRows } from '../src/recommender/ranking/serving-rows.js';
import { Standardizer } from '../src/recommender/ranking/standardizer.js';
import { UserEngagement } from '../src/recommender/ranking/user-engagement.js';
import { Rng } from '../src/rng/index.js';
import { UserHistory } from '../src/training/user-history.js';
import { DEVICES, PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';

const TOPICS = 6;

describe('serving rows', () => {
  it('equal rows written whole and then standardized, bit for bit', () => {
    const rng = new Rng('serving-rows');
    const catalog = new PublicRegistry<PublicItem>();
    for (let id = 0; id < 60; id++) {
      // Tags may repeat and may lie beyond the layout's topics (both are ignored or counted as the
      // writer does); every tenth item has more tags than a serving record holds.
      const topics = Array.from({ length: id % 10 === 0 ? 12 + rng.int(4) : rng.int(4) }, () => rng.int(TOPICS + 2));
      catalog.add({ id, creatorId: rng.int(8), topics, lengthMinutes: rng.uniform(0, 40), uploadTime: rng.uniform(-5, 3) });
    }
    const users = new PublicRegistry<PublicUser>();
    for (let id = 0; id < 12; id++) users.add({ id, country: rng.int(3), device: DEVICES[rng.int(DEVICES.length)], typicalHour: rng.int(24), signupTime: rng.uniform(-4, 2) });
    const history = new UserHistory(10);
    const engagement = new UserEngagement(TOPICS, catalog);
    const stats = new ItemStats();
    for (let k = 0; k < 400; k++) {
      const time = k / 100;
      const userId = rng.int(12);
      const shown = Array.from({ length: 4 }, () => rng.int(60));
      const clicked = rng.uniform(0, 1) < 0.4 ? shown[rng.int(4)] : -1;
      engagement.addSlate(userId, time, shown, clicked);
      if (clicked >= 0) history.record(userId, clicked, time);
      for (const itemId of shown) stats.add(itemId, time, itemId === clicked ? 1 : 0, rng.uniform(0, 1), rng.int(2), rng.int(2), rng.int(3) - 1);
    }
    const earlier = new FrozenItemStats(stats, 4);
    const layout = featureLayout(TOPICS);
    const writer = new FeatureWriter(layout, catalog, users, 10);
    // A standardizer fitted on noisy rows: every column gets its own mean and scale.
    const noise = Float32Array.from({ length: 50 * layout.dim }, () => rng.normal() * 3 + 1);
    const standardizer = Standardizer.fit(noise, layout.dim, Array.from({ length: 50 }, (_, i) => i));
    const rows = new ServingRows(writer, standardizer);
    const summary = new UserSummary(TOPICS);
    const whole = new Float32Array(layout.dim);
    const served = new Float32Array(3 * layout.dim).fill(Number.NaN);
    let compared = 0;
    // Statistics frozen at another retrain half way through: the items' cached columns must follow them.
    const later = new FrozenItemStats(stats, 4.5);
    for (let r = 0; r < 40; r++) {
      const frozen = r < 20 ? earlier : later;
      const userId = rng.int(12);
      const ctx = { userId, time: 4 + rng.uniform(0, 1), hourOfDay: rng.int(24), device: DEVICES[rng.int(DEVICES.length)], pastSessions: rng.int(9), requestInSession: rng.int(4) };
      summary.fill(history, engagement, userId, ctx.time, 0.1, catalog);
      rows.startRequest(ctx, summary);
      for (let c = 0; c < 10; c++) {
        const itemId = rng.int(60);
        writer.write(whole, 0, ctx, summary, itemId, frozen, frozen.time);
        standardizer.apply(whole, 1);
        // Written into the middle row of a dirty buffer: nothing may leak from before or into neighbours.
        rows.writeCandidate(served, layout.dim, ctx, summary, itemId, frozen, frozen.time);
        const got = new Uint8Array(served.buffer, layout.dim * 4, layout.dim * 4);
        expect(Array.from(got), `request ${r}, item ${itemId}`).toEqual(Array.from(new Uint8Array(whole.buffer)));
        compared++;
      }
    }
    expect(compared).toBe(400);
    expect(served.subarray(0, layout.dim).every(Number.isNaN)).toBe(true);
    expect(served.subarray(2 * layout.dim).every(Number.isNaN)).toBe(true);
  });

  it('refuses a standardizer of another width', () => {
    const writer = new FeatureWriter(featureLayout(TOPICS), new PublicRegistry<PublicItem>(), new PublicRegistry<PublicUser>(), 10);
    const narrow = Standardizer.fit(new Float32Array(4), 2, [0, 1]);
    expect(() => new ServingRows(writer, narrow)).toThrow(/standardizer of 2 features for rows of \d+/);
  });

  it('rewrites an item\'s cached columns when the statistics or their time change, and caches any item id', () => {
    // Ids up to 2,050: the cache starts at 1,024 entries and grows past it.
    const catalog = new PublicRegistry<PublicItem>();
    for (let id = 0; id <= 2050; id++) catalog.add({ id, creatorId: id % 5, topics: [id % TOPICS], lengthMinutes: 1 + (id % 7), uploadTime: -(id % 3) });
    const users = new PublicRegistry<PublicUser>();
    users.add({ id: 0, country: 0, device: DEVICES[0], typicalHour: 9, signupTime: -1 });
    const live = new ItemStats();
    const other = new ItemStats();
    for (const itemId of [0, 1024, 2050]) {
      live.add(itemId, 1, 1, 0.5, 1, 0, 1);
      live.add(itemId, 3, 0, 0.2, 0, 1, 0);
      other.add(itemId, 2, 0, 0.9, 1, 1, -1);
    }
    const layout = featureLayout(TOPICS);
    const writer = new FeatureWriter(layout, catalog, users, 10);
    const rng = new Rng('serving-rows/cache');
    const noise = Float32Array.from({ length: 20 * layout.dim }, () => rng.normal() * 2 + 1);
    const standardizer = Standardizer.fit(noise, layout.dim, Array.from({ length: 20 }, (_, i) => i));
    const summary = new UserSummary(TOPICS);
    summary.fill(new UserHistory(10), new UserEngagement(TOPICS, catalog), 0, 4, 0.1, catalog);
    const ctx = { userId: 0, time: 4, hourOfDay: 9, device: DEVICES[0], pastSessions: 2, requestInSession: 0 };
    const whole = new Float32Array(layout.dim);
    const served = new Float32Array(layout.dim);
    const same = (rows: ServingRows, itemId: number, stats: ItemStats | FrozenItemStats, time: number): void => {
      writer.write(whole, 0, ctx, summary, itemId, stats, time);
      standardizer.apply(whole, 1);
      rows.writeCandidate(served, 0, ctx, summary, itemId, stats, time);
      expect(Array.from(served), `item ${itemId} at ${time}`).toEqual(Array.from(whole));
    };
    const rows = new ServingRows(writer, standardizer);
    rows.startRequest(ctx, summary);
    // Item 0 first, then the cache's first size exactly, then past its doubled size.
    for (const itemId of [0, 1024, 2050]) same(rows, itemId, live, 2);
    // The same statistics read at another time, then other statistics read at that time.
    for (const itemId of [0, 1024, 2050]) same(rows, itemId, live, 4);
    for (const itemId of [0, 1024, 2050]) same(rows, itemId, other, 4);
    // An id past the cache's first size on a fresh cache.
    const fresh = new ServingRows(writer, standardizer);
    fresh.startRequest(ctx, summary);
    same(fresh, 2050, new FrozenItemStats(other, 4), 4);
  });

  it('counts recent clicks per creator and remembers clicked items only for the current fill', () => {
    const catalog = new PublicRegistry<PublicItem>();
    catalog.add({ id: 0, creatorId: 3, topics: [0], lengthMinutes: 5, uploadTime: 0 });
    catalog.add({ id: 1, creatorId: 3, topics: [1], lengthMinutes: 5, uploadTime: 0 });
    catalog.add({ id: 2, creatorId: 7, topics: [1], lengthMinutes: 5, uploadTime: 0 });
    const history = new UserHistory(10);
    history.record(0, 0, 0.1);
    history.record(0, 1, 0.2);
    history.record(1, 2, 0.3);
    const engagement = new UserEngagement(2, catalog);
    const summary = new UserSummary(2);
    summary.fill(history, engagement, 0, 1, 0.1, catalog);
    expect([summary.creatorClicks(3), summary.creatorClicks(7), summary.creatorClicks(99)]).toEqual([2, 0, 0]);
    expect([0, 1, 2, 50].map((i) => summary.clickedRecently(i))).toEqual([true, true, false, false]);
    summary.fill(history, engagement, 1, 1, 0.1, catalog);
    expect([summary.creatorClicks(3), summary.creatorClicks(7)]).toEqual([0, 1]);
    expect([0, 1, 2].map((i) => summary.clickedRecently(i))).toEqual([false, false, true]);
  });
});

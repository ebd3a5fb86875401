/**
 * The filter-bubble figures on worlds small enough to work out by hand: per-user entropy and its
 * spread, week-over-week changes, intra-list diversity, the long tail, the popularity of what is
 * shown, and how far users' own tastes moved.
 */
import { describe, expect, it } from 'vitest';
import { FilterBubbleMetric, quantile, type SimEvent, type WorldView } from '../src/metrics/index.js';

/** Items on one topic each (item i on topic topicOf[i]) unless given as [topic, weight] lists; users' live preferences. */
function world(items: [number, number][][], prefs: number[][], topics = 4): WorldView & { prefs: number[][] } {
  return {
    topics,
    prefs,
    itemCount: () => items.length,
    userCount: () => prefs.length,
    itemTopics: (i) => ({ ids: items[i].map(([t]) => t), weights: items[i].map(([, w]) => w) }),
    itemUploadTime: () => 0,
    itemQuality: () => 0.5,
    itemCreator: () => 0,
    creatorCount: 1,
    creatorJoinTime: () => Number.NEGATIVE_INFINITY,
    userTopicPrefs(u) {
      return this.prefs[u];
    },
    userSignupTime: () => 0,
  };
}

const onTopic = (...topics: number[]): [number, number][][] => topics.map((t) => [[t, 1]]);

function slate(userId: number, items: number[], clicked = -1, time = 0.5): SimEvent {
  return { kind: 'slate', time, userId, slateId: 0, items, clicked, watchMinutes: clicked >= 0 ? 1 : 0, trueUtility: clicked >= 0 ? 1 : Number.NaN };
}

const day = (epoch: number) => ({ epoch, start: epoch, end: epoch + 1 });

describe('quantile', () => {
  it('interpolates between order statistics and is 0 for no values', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 0, 5, 15, 20], 0.1)).toBeCloseTo(2, 12);
    expect(quantile([7], 0.1)).toBe(7);
    expect(quantile([], 0.5)).toBe(0);
  });
});

describe('FilterBubbleMetric', () => {
  it('per-user entropy: median and narrowest tenth over the users shown anything', () => {
    const w = world(onTopic(0, 1, 2, 3), [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.25 });
    m.observe(slate(0, [0, 1, 2, 3])); // 2 bits
    m.observe(slate(1, [0, 1])); // 1 bit
    m.observe(slate(2, [0, 0])); // 0 bits
    const r = m.endEpoch(day(0));
    expect(r.user_topic_entropy_median).toBeCloseTo(1, 12);
    expect(r.user_topic_entropy_p10).toBeCloseTo(0.2, 12);
    // Per epoch: the next epoch starts empty.
    expect(m.endEpoch(day(1)).user_topic_entropy_median).toBe(0);
  });

  it('intra-list diversity: 1 − cosine averaged over pairs, then over slates', () => {
    const w = world([[[0, 1]], [[0, 1]], [[1, 1]], [[0, 0.6], [1, 0.8]]], [[1, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.5 });
    m.observe(slate(0, [0, 1, 2])); // pairs: 0, 1, 1 → 2/3
    m.observe(slate(0, [0, 3])); // 1 − 0.6
    m.observe(slate(0, [2])); // one item: 0
    expect(m.endEpoch(day(0)).intra_list_diversity).toBeCloseTo((2 / 3 + 0.4 + 0) / 3, 12);
  });

  it('intra-list diversity with weights of any scale, and items without a topic at distance 1 from all', () => {
    const w = world([[[0, 2]], [[0, 1], [1, 1]], []], [[1, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.5 });
    m.observe(slate(0, [0, 1, 2])); // cos(0, 1) = 2 / (2·√2); item 2 has no topic
    expect(m.endEpoch(day(0)).intra_list_diversity).toBeCloseTo((1 - 1 / Math.SQRT2 + 1 + 1) / 3, 12);
  });

  it('ranks items by their impressions, whatever their ids', () => {
    const w = world(onTopic(0, 0, 0, 0), [[1, 0, 0, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.25 });
    m.observe(slate(0, [3, 3, 3, 1, 1, 0]));
    m.endEpoch(day(0));
    // Counts 1, 2, 0, 3 for items 0–3: the head is item 3; percentiles 1.5/4, 2.5/4, 0.5/4, 3.5/4.
    m.observe(slate(0, [3, 0, 2]));
    const r = m.endEpoch(day(1));
    expect(r.long_tail_share).toBeCloseTo(2 / 3, 12);
    expect(r.recommended_popularity).toBeCloseTo((3.5 / 4 + 1.5 / 4 + 0.5 / 4) / 3, 12);
  });

  it('long tail and popularity: ranked by the impressions before the epoch, new items in the tail', () => {
    const w = world(onTopic(0, 0, 0, 0, 0), [[1, 0, 0, 0]]);
    const items = w.itemCount;
    let catalog = 4;
    w.itemCount = () => catalog;
    const m = new FilterBubbleMetric(w, { headShare: 0.25 });
    m.observe(slate(0, [0, 0, 0, 1, 1, 2]));
    const first = m.endEpoch(day(0));
    expect([first.long_tail_share, first.recommended_popularity]).toEqual([0, 0]); // nothing to rank by yet
    // Counts 3, 2, 1, 0 over 4 items: the head is item 0; percentiles (less + half of ties) / n.
    catalog = 5; // item 4 uploaded since the ranking
    m.observe(slate(0, [0, 1, 3, 4]));
    const second = m.endEpoch(day(1));
    expect(second.long_tail_share).toBeCloseTo(3 / 4, 12);
    expect(second.recommended_popularity).toBeCloseTo((3.5 / 4 + 2.5 / 4 + 0.5 / 4 + 0.5 / 4) / 4, 12);
    expect(items()).toBe(5);
  });

  it('the head never holds items nobody was shown, and ties split the percentile', () => {
    const w = world(onTopic(0, 0, 0, 0), [[1, 0, 0, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.75 });
    m.observe(slate(0, [0, 1]));
    m.endEpoch(day(0));
    m.observe(slate(0, [0, 1, 2, 3]));
    const r = m.endEpoch(day(1));
    // Head: items 0 and 1 (shown once each); items 2 and 3 were never shown, so they are tail
    // although the head's share would take three items.
    expect(r.long_tail_share).toBeCloseTo(2 / 4, 12);
    expect(r.recommended_popularity).toBeCloseTo((3 / 4 + 3 / 4 + 1 / 4 + 1 / 4) / 4, 12);
  });

  it('preference shift: total-variation distance from where each user started, signups from the end of their first epoch', () => {
    const w = world(onTopic(0), [[1, 0, 0, 0], [0.5, 0.5, 0, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.5 });
    expect(m.endEpoch(day(0)).preference_shift).toBe(0);
    w.prefs[0] = [0.8, 0.2, 0, 0]; // moved 0.2
    w.prefs.push([0, 0, 1, 0]); // signs up in epoch 1: its start is where it is at that epoch's end
    expect(m.endEpoch(day(1)).preference_shift).toBeCloseTo((0.2 + 0 + 0) / 3, 12);
    w.prefs[2] = [0, 0, 0.4, 0.6]; // moved 0.6 since
    expect(m.endEpoch(day(2)).preference_shift).toBeCloseTo((0.2 + 0 + 0.6) / 3, 12);
  });

  it('week over week: written by the epoch that ends a week, for users in both weeks', () => {
    const w = world(onTopic(0, 1, 2, 3), [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]);
    const m = new FilterBubbleMetric(w, { headShare: 0.5 });
    const rows = [];
    for (let d = 0; d < 14; d++) {
      const wk = d < 7 ? 0 : 1;
      // User 0: four topics in week 0, one in week 1 (2 → 0 bits); user 1: one topic, then two (0 → 1);
      // user 2: only in week 1. Clicks: user 0 on two topics, then one.
      m.observe(slate(0, wk === 0 ? [0, 1, 2, 3] : [0, 0], wk === 0 ? d % 2 : 0, d + 0.5));
      m.observe(slate(1, wk === 0 ? [0, 0] : [0, 1], -1, d + 0.5));
      if (wk === 1) m.observe(slate(2, [3], -1, d + 0.5));
      rows.push(m.endEpoch(day(d)));
    }
    // The first week has nothing to compare with; days other than week ends write zeros.
    expect(rows.map((r) => r.weekly_users_compared)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    const end = rows[13];
    expect(end.weekly_entropy_change_median).toBeCloseTo((-2 + 1) / 2, 12);
    expect(end.weekly_entropy_change_p10).toBeCloseTo(-2 + 0.1 * 3, 12);
    // Clicks: user 0 went from four clicks on topic 0 and three on topic 1 to topic 0 alone; user 1 never clicked.
    const before = -(4 / 7) * Math.log2(4 / 7) - (3 / 7) * Math.log2(3 / 7);
    expect(end.weekly_watch_entropy_change_median).toBeCloseTo(-before, 12);
    expect(end.weekly_watch_entropy_change_p10).toBeCloseTo(-before, 12);
    expect(rows[6].weekly_entropy_change_median).toBe(0);
  });
});

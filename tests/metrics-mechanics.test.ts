/**
 * Metric building blocks on inputs small enough to check by hand: the statistics' edge cases,
 * growing per-id arrays and epoch sets, click validation, the collector's key checks, the
 * homogenization sample's checks and pairing, slice tenure and the held-out click window; and the
 * per-epoch metrics' edge cases: late and far-apart activity days, population bounds, clicks on
 * item 0, a user's second slate, duplicate uploads.
 */
import { describe, expect, it } from 'vitest';
import { EpochIdSet, clickedItem, ensureLength } from '../src/metrics/arrays.js';
import {
  ActivityMetric,
  ColdStartMetric,
  DiversityMetric,
  EngagementMetric,
  Homogenization,
  MetricsCollector,
  NEW_USER_DAYS,
  attributeDimension,
  clickedByUser,
  cosine,
  gini,
  meanRankingScores,
  ndcgAtK,
  recallAtK,
  tenureDimension,
  type IndexSampler,
  type Metric,
  type SimEvent,
  type WorldView,
} from '../src/metrics/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';

describe('statistics', () => {
  it('cosine over vectors of different lengths counts the extra entries in the norm', () => {
    expect(cosine([1, 0, 2], [1, 0])).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(cosine([1, 0], [1, 0, 2])).toBeCloseTo(1 / Math.sqrt(5), 12);
    expect(cosine([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
    expect(cosine([0, 0], [1, 1])).toBe(0);
    expect(cosine([1, 1], [0, 0])).toBe(0);
  });

  it('gini ignores a scratch array too short for the values', () => {
    const values = [0, 1, 3];
    const expected = (2 * 2 - 4) / 12 + (2 * 3 - 4) * 3 / 12; // Σ(2i − n − 1)x_i / (n Σx)
    expect(gini(values, 3, new Float64Array(1))).toBeCloseTo(expected, 12);
    expect(gini(values, 3, new Float64Array(8))).toBeCloseTo(expected, 12);
  });
});

describe('per-id arrays', () => {
  it('returns the same array when it is long enough, else a copy grown by doubling from 16', () => {
    const a = Int32Array.from([1, 2, 3]);
    expect(ensureLength(a, 3, 0)).toBe(a);
    expect(ensureLength(a, 2, 0)).toBe(a);
    expect(ensureLength(new Int32Array(0), 32, 0)).toHaveLength(32);
    expect(ensureLength(new Int32Array(0), 100, 0)).toHaveLength(128);
    expect(ensureLength(new Int32Array(20), 21, 0)).toHaveLength(40);
  });

  it('fills new entries with the given value and keeps the old ones', () => {
    const grown = ensureLength(Float64Array.from([1, 2]), 5, 7);
    expect([...grown.subarray(0, 5)]).toEqual([1, 2, 7, 7, 7]);
    expect([...ensureLength(Uint8Array.from([4]), 3, 0).subarray(0, 3)]).toEqual([4, 0, 0]);
  });

  it('epoch id sets: add once per epoch, membership, sizes and the previous epoch', () => {
    const set = new EpochIdSet();
    expect(set.has(3)).toBe(false);
    expect(set.add(3)).toBe(true);
    expect(set.add(3)).toBe(false);
    expect(set.add(40)).toBe(true);
    expect(set.has(3)).toBe(true);
    expect(set.has(4)).toBe(false);
    expect(set.has(1000)).toBe(false);
    expect(set.size).toBe(2);
    set.nextEpoch();
    expect(set.has(3)).toBe(false);
    expect(set.inPreviousEpoch(3)).toBe(true);
    expect(set.inPreviousEpoch(5)).toBe(false);
    expect(set.inPreviousEpoch(1000)).toBe(false);
    expect([set.size, set.previousSize]).toEqual([0, 2]);
    set.add(5);
    set.nextEpoch();
    expect(set.inPreviousEpoch(3)).toBe(false);
    expect(set.inPreviousEpoch(5)).toBe(true);
  });

  it('reads the clicked item, or refuses a position outside the slate', () => {
    expect(clickedItem({ items: [7, 8, 9], clicked: 2 })).toBe(9);
    expect(clickedItem({ items: [7, 8, 9], clicked: -1 })).toBe(-1);
    for (const clicked of [3, -2, 1.5]) {
      expect(() => clickedItem({ items: [7, 8, 9], clicked })).toThrow(`slate event: clicked position ${clicked} outside slate of 3`);
    }
  });
});

/** A metric that emits a fixed record. */
const emitting = (record: Record<string, number>): Metric => ({ observe: () => undefined, endEpoch: () => record });
const BOUNDS = { epoch: 0, start: 0, end: 1 };

describe('collector key checks', () => {
  it('accepts snake_case keys and rejects anything else', () => {
    for (const key of ['ctr', 'ab1', 'a_b2', 'watch_minutes_per_user', 'x_1_y']) {
      expect(new MetricsCollector([emitting({ [key]: 1 })]).endEpoch(BOUNDS)[key]).toBe(1);
    }
    for (const key of ['Xab', 'ab_', '1ab', 'a__b', 'aB', '_ab', 'a_B', 'a-b']) {
      expect(() => new MetricsCollector([emitting({ [key]: 1 })]).endEpoch(BOUNDS), key).toThrow(`metrics: key "${key}" from metric #0 (Object) is not snake_case`);
    }
  });

  it('names both owners of a clashing key, and rejects non-numbers and bad bounds', () => {
    expect(() => new MetricsCollector([emitting({ epoch: 1 })]).endEpoch(BOUNDS)).toThrow('key "epoch" emitted by both the collector and metric #0 (Object)');
    const notNumber = { ctr: 'high' } as unknown as Record<string, number>;
    expect(() => new MetricsCollector([emitting(notNumber)]).endEpoch(BOUNDS)).toThrow('metrics: metric #0 (Object) emitted non-finite ctr=high at epoch 0');
    expect(() => new MetricsCollector([]).endEpoch({ epoch: 0, start: 0, end: Number.NaN })).toThrow('metrics: epoch bounds must be finite (got day_end=NaN)');
  });

  it('lists the columns once an epoch has ended, and reports a changed key set', () => {
    let record: Record<string, number> = { a: 1, b: 2 };
    const collector = new MetricsCollector([{ observe: () => undefined, endEpoch: () => record }]);
    expect(collector.columns()).toEqual([]);
    collector.endEpoch(BOUNDS);
    expect(collector.columns()).toEqual(['epoch', 'day_start', 'day_end', 'a', 'b']);
    record = { a: 1, c: 2 };
    expect(() => collector.endEpoch({ epoch: 1, start: 1, end: 2 })).toThrow('metrics: key set changed at epoch 1 (missing: b; new: c)');
    record = { a: 1 };
    expect(() => collector.endEpoch({ epoch: 2, start: 2, end: 3 })).toThrow('(missing: b; new: none)');
    record = { a: 1, b: 2, c: 3 };
    expect(() => collector.endEpoch({ epoch: 3, start: 3, end: 4 })).toThrow('(missing: none; new: c)');
    record = { a: 1, d: 2, e: 3, f: 4 };
    expect(() => collector.endEpoch({ epoch: 4, start: 4, end: 5 })).toThrow('(missing: b; new: d, e, f)');
    const three = new MetricsCollector([{ observe: () => undefined, endEpoch: () => record }]);
    record = { a: 1, b: 2, c: 3 };
    three.endEpoch(BOUNDS);
    record = { a: 1 };
    expect(() => three.endEpoch({ epoch: 1, start: 1, end: 2 })).toThrow('(missing: b, c; new: none)');
  });
});

/** Users with given true preferences; nothing else is read by homogenization. */
function prefsWorld(prefs: number[][]): WorldView {
  return {
    topics: prefs[0]?.length ?? 0,
    itemCount: () => 0,
    userCount: () => prefs.length,
    itemTopics: () => ({ ids: [], weights: [] }),
    itemUploadTime: () => 0,
    itemQuality: () => 0.5,
    itemCreator: () => 0,
    creatorCount: 1,
    creatorJoinTime: () => Number.NEGATIVE_INFINITY,
    userTopicPrefs: (u) => prefs[u],
    userSignupTime: () => 0,
  };
}
const fixedSample = (picks: number[]): IndexSampler => ({ sampleIndices: () => picks });

describe('homogenization sample', () => {
  const world = prefsWorld([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]]);

  it('pairs each sampled user with the most similar other, first in sample order on ties', () => {
    const h = new Homogenization(prefsWorld([[1, 0], [1, 0], [1, 0]]), 3, fixedSample([2, 0, 1]));
    h.endEpoch();
    expect(h.sampleUsers()).toEqual([2, 0, 1]);
    expect(h.partnerUsers()).toEqual([0, 2, 2]);
    const alone = new Homogenization(world, 1, fixedSample([3]));
    alone.endEpoch();
    expect(alone.partnerUsers()).toEqual([-1]);
  });

  it('scores shared clicks of sampled users only, skipping idle pairs and users churned before the draw', () => {
    const h = new Homogenization(world, 3, { sampleIndices: (n, k) => Array.from({ length: k }, (_, i) => i) });
    h.observeChurn(1);
    h.endEpoch(); // draws users 0, 2, 3: pairs 0→3 (closest of the rest), 2→3, 3→2
    expect(h.sampleUsers()).toEqual([0, 2, 3]);
    expect(h.partnerUsers()).toEqual([3, 3, 2]);
    h.observeChurn(0); // after the draw: ignored
    h.observeClick(1, 9); // not sampled
    h.observeClick(99, 9); // not even a user at the draw
    h.observeClick(2, 5);
    h.observeClick(2, 6);
    h.observeClick(3, 5);
    // 0→3: {} vs {5} = 0; 2→3: {5,6} vs {5} = 1/2; 3→2: 1/2.
    expect(h.endEpoch()).toBeCloseTo(1 / 3, 12);
    h.observeClick(1, 9);
    expect(h.endEpoch()).toBe(0);
  });

  it('leaves a pair of idle users out of the mean', () => {
    // Users 0 and 1 pair up, as do 2 and 3; only the first pair clicks, the same item.
    const h = new Homogenization(prefsWorld([[1, 0], [1, 0.1], [0, 1], [0.1, 1]]), 4, fixedSample([0, 1, 2, 3]));
    h.endEpoch();
    expect(h.partnerUsers()).toEqual([1, 0, 3, 2]);
    h.observeClick(0, 4);
    h.observeClick(1, 4);
    expect(h.endEpoch()).toBe(1);
  });

  it('rejects a bad sample size and a sampler that breaks its contract', () => {
    expect(() => new Homogenization(world, -1, fixedSample([]))).toThrow('homogenizationSample must be a non-negative integer (got -1)');
    expect(() => new Homogenization(world, 1.5, fixedSample([]))).toThrow(/got 1.5/);
    expect(new Homogenization(world, 0, fixedSample([])).endEpoch()).toBe(0);
    const bad: [number[], string][] = [
      [[0], 'sampleIndices returned 1 indices, expected 2'],
      [[0, 4], 'sampleIndices returned 4, outside [0, 4)'],
      [[0, -1], 'sampleIndices returned -1, outside [0, 4)'],
      [[0, 0.5], 'sampleIndices returned 0.5, outside [0, 4)'],
      [[1, 1], 'sampleIndices returned index 1 twice'],
      [[0, 0], 'sampleIndices returned index 0 twice'],
    ];
    for (const [picks, message] of bad) expect(() => new Homogenization(world, 2, fixedSample(picks)).endEpoch()).toThrow(message);
  });
});

describe('slices and held-out clicks', () => {
  it('a user is new for NEW_USER_DAYS after a signup later than day 0', () => {
    const world = { ...prefsWorld([[1], [1]]), userSignupTime: (u: number) => (u === 0 ? 0 : 5) };
    const tenure = tenureDimension(world);
    expect(tenure.sliceOf(0, 1)).toBe(1);
    expect(tenure.sliceOf(1, 5)).toBe(0);
    expect(tenure.sliceOf(1, 5 + NEW_USER_DAYS - 0.01)).toBe(0);
    expect(tenure.sliceOf(1, 5 + NEW_USER_DAYS)).toBe(1);
    const device = attributeDimension('device', ['tv', 'phone'], (u) => (u === 0 ? 'phone' : 'fridge'));
    expect(device.sliceOf(0, 0)).toBe(1);
    expect(() => device.sliceOf(1, 0)).toThrow('user 1 has device "fridge", not one of tv, phone');
  });

  it('collects clicks with since <= time < until, by user', () => {
    const row = (time: number, userId: number, itemId: number, clicked: boolean): ImpressionRow => ({
      time, epoch: 0, slateId: 0, userId, itemId, position: 0, arm: 'a', source: 's', propensity: 1,
      clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
    });
    const buffer = new ImpressionBuffer();
    for (const r of [row(0.99, 1, 10, true), row(1, 1, 11, true), row(1.5, 2, 12, true), row(1.6, 2, 13, false), row(2, 1, 14, true)]) buffer.append(r);
    const byUser = clickedByUser([buffer], 1, 2);
    expect([...byUser.keys()]).toEqual([1, 2]);
    expect([...(byUser.get(1) ?? [])]).toEqual([11]);
    expect([...(byUser.get(2) ?? [])]).toEqual([12]);
  });

  it('ranking scores: zero for no relevant items, NaN means when no user counts', () => {
    expect(ndcgAtK([1, 2], new Set(), 2)).toBe(0);
    expect(recallAtK([1, 2], new Set(), 2)).toBe(0);
    const none = meanRankingScores([{ ranked: [1], relevant: new Set<number>() }], 5);
    expect(none.users).toBe(0);
    expect(none.ndcg).toBeNaN();
  });
});

/** Users with the given signup times and items with the given topic mixtures ([topic, weight] pairs). */
function eventWorld(signups: number[], items: [number, number][][] = []): WorldView {
  return {
    topics: 2,
    itemCount: () => items.length,
    userCount: () => signups.length,
    itemTopics: (i) => ({ ids: items[i].map(([t]) => t), weights: items[i].map(([, w]) => w) }),
    itemUploadTime: () => 0,
    itemQuality: () => 0.5,
    itemCreator: () => 0,
    creatorCount: 1,
    creatorJoinTime: () => Number.NEGATIVE_INFINITY,
    userTopicPrefs: () => [1, 1],
    userSignupTime: (u) => signups[u],
  };
}
const seen = (time: number, userId: number, items: number[] = [0], clicked = -1, trueUtility = Number.NaN): SimEvent => ({
  kind: 'slate', time, userId, slateId: 0, items, clicked, watchMinutes: clicked >= 0 ? 1 : 0, trueUtility,
});
const days = (userId: number, ...times: number[]): SimEvent[] => times.map((t) => seen(t, userId));
function fed<M extends Metric>(metric: M, events: SimEvent[]): M {
  for (const event of events) metric.observe(event);
  return metric;
}

describe('activity edge cases', () => {
  it('a late event on an earlier day counts that day once', () => {
    const m = fed(new ActivityMetric(eventWorld([0])), days(0, 2.5, 1.5, 1.6));
    expect(m.endEpoch({ epoch: 0, start: 0, end: 3 }).daily_active_users).toBe(2 / 3); // days 1 and 2 of 0..2
  });

  it('an event 16 or more days behind the latest one still counts as a new day', () => {
    const m = fed(new ActivityMetric(eventWorld([0])), days(0, 40.5, 8.5, 20.5));
    expect(m.endEpoch({ epoch: 0, start: 0, end: 41 }).daily_active_users).toBe(3 / 41);
  });

  it('daily actives average over the whole days from the epoch start, not those past its end', () => {
    const m = fed(new ActivityMetric(eventWorld([0, 0])), [...days(0, 0.5, 1.5), ...days(1, 0.6, 2.5)]);
    expect(m.endEpoch({ epoch: 0, start: 0, end: 2 }).daily_active_users).toBe(1.5); // (2 + 1) / 2
  });

  it('mean session satisfaction skips sessions without a finite satisfaction', () => {
    const m = fed(new ActivityMetric(eventWorld([0])), [
      { kind: 'session_end', time: 0.1, userId: 0, satisfaction: Number.NaN },
      { kind: 'session_end', time: 0.2, userId: 0, satisfaction: 0.4 },
    ]);
    expect(m.endEpoch({ epoch: 0, start: 0, end: 1 }).mean_session_satisfaction).toBe(0.4);
  });

  it('population counts users never seen in an event, and only those signed up strictly before the end', () => {
    expect(new ActivityMetric(eventWorld([0, 0, 0])).endEpoch({ epoch: 0, start: 0, end: 1 }).population).toBe(3);
    expect(new ActivityMetric(eventWorld([0, 3, 5])).endEpoch({ epoch: 0, start: 0, end: 3 }).population).toBe(1);
    // User 15's signup sizes the per-user arrays to exactly 16; user 16 is still counted.
    const m = fed(new ActivityMetric(eventWorld(new Array<number>(17).fill(0))), [{ kind: 'signup', time: 0, userId: 15 }]);
    expect(m.endEpoch({ epoch: 0, start: 0, end: 1 }).population).toBe(17);
  });

  it('retention_7d: a gap of 32 days or more forgets the older days', () => {
    // Days 0, 1, then 33: at end 40 the cohort window is days 26..32, empty.
    const a = fed(new ActivityMetric(eventWorld([0])), days(0, 0.5, 1.5, 33.5));
    expect(a.endEpoch({ epoch: 0, start: 0, end: 40 }).retention_7d).toBe(0);
    // Days 0 and 10, read at end 43 (last day 42, 32 days after day 10): nothing in either window.
    const b = fed(new ActivityMetric(eventWorld([0])), days(0, 0.5, 10.5));
    expect(b.endEpoch({ epoch: 0, start: 0, end: 43 }).retention_7d).toBe(0);
  });

  it('retention_7d reads days before a latest event that lies past the epoch end', () => {
    // Days 0, 7 and 9, read at end 9 (last day 8): cohort days −5..1 hold day 0, recent 2..8 hold day 7.
    const a = fed(new ActivityMetric(eventWorld([0])), days(0, 0.5, 7.5, 9.5));
    expect(a.endEpoch({ epoch: 0, start: 0, end: 9 }).retention_7d).toBe(1);
    // Days 40 and 50, read at end 19: both are in the future of the windows.
    const b = fed(new ActivityMetric(eventWorld([0])), days(0, 40.5, 50.5));
    expect(b.endEpoch({ epoch: 0, start: 0, end: 19 }).retention_7d).toBe(0);
  });
});

describe('engagement, diversity and cold-start edge cases', () => {
  it('a click on item 0 counts, and clicks without a finite true utility stay out of its mean', () => {
    const m = fed(new EngagementMetric(), [seen(0.1, 0, [0, 1], 0, 0.5), seen(0.2, 0, [1, 2], 1, Number.NaN)]);
    expect(m.endEpoch({ epoch: 0, start: 0, end: 1 })).toMatchObject({ clicks: 2, mean_true_satisfaction: 0.5 });
  });

  it('the catalog counts never-shown items, item 0 included, and an epoch forgets the last one’s impressions', () => {
    const world = eventWorld([0], [[[0, 1]], [[0, 1]], [[0, 1]], [[0, 1]]]);
    const m = new DiversityMetric(world, { homogenizationSample: 0, sampler: fixedSample([]) });
    m.observe(seen(0.1, 0, [0]));
    expect(m.endEpoch({ epoch: 0, start: 0, end: 1 })).toMatchObject({ catalog_coverage: 0.25, impression_gini: 0.75 });
    m.observe(seen(1.1, 0, [3, 0]));
    expect(m.endEpoch({ epoch: 1, start: 1, end: 2 })).toMatchObject({ catalog_coverage: 0.5, impression_gini: 0.5 });
    expect(m.endEpoch({ epoch: 2, start: 2, end: 3 })).toMatchObject({ catalog_coverage: 0, impression_gini: 0 });
  });

  it('a user’s second slate in an epoch adds to the topics of the first', () => {
    const world = eventWorld([0], [[[0, 1]], [[1, 1]]]);
    const m = fed(new DiversityMetric(world, { homogenizationSample: 0, sampler: fixedSample([]) }), [seen(0.1, 0, [0]), seen(0.2, 0, [1])]);
    expect(m.endEpoch({ epoch: 0, start: 0, end: 1 }).topic_entropy_impressions).toBe(1);
  });

  it('a duplicate upload event counts once and keeps the first upload time', () => {
    const m = fed(new ColdStartMetric(eventWorld([0], [[[0, 1]]]), { freshAge: 1 }), [
      { kind: 'upload', time: 1, itemId: 0 },
      { kind: 'upload', time: 2, itemId: 0 },
      seen(3, 0, [0]),
    ]);
    expect(m.endEpoch({ epoch: 0, start: 0, end: 4 })).toMatchObject({ new_items: 1, new_items_first_shown: 1, time_to_first_impression_median: 2 });
    expect(() => new ColdStartMetric(eventWorld([0]), { freshAge: 0 })).toThrow('freshAge must be a positive number of days (got 0)');
  });
});

/**
 * Metric building blocks on inputs small enough to check by hand: the statistics' edge cases,
 * growing per-id arrays and epoch sets, click validation, the collector's key checks, the
 * homogenization sample's checks and pairing, slice tenure and the held-out click window.
 */
import { describe, expect, it } from 'vitest';
import { EpochIdSet, clickedItem, ensureLength } from '../src/metrics/arrays.js';
import {
  Homogenization,
  MetricsCollector,
  NEW_USER_DAYS,
  attributeDimension,
  clickedByUser,
  cosine,
  gini,
  meanRankingScores,
  ndcgAtK,
  tenureDimension,
  type IndexSampler,
  type Metric,
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
    const none = meanRankingScores([{ ranked: [1], relevant: new Set<number>() }], 5);
    expect(none.users).toBe(0);
    expect(none.ndcg).toBeNaN();
  });
});

/**
 * New creators against established ones on a world small enough to work out by hand: their
 * exposure against the item-days they offered, the CTR gap, when a creator stops being new, and
 * which creators go unseen in their first days (counted from their first upload).
 */
import { describe, expect, it } from 'vitest';
import { isDefined, NewCreatorMetric, type SimEvent, type WorldView } from '../src/metrics/index.js';

/** A world that grows as the test adds creators and items. */
class HandWorld {
  readonly creators: number[] = [];
  readonly items: { creator: number; upload: number }[] = [];

  constructor(startingCreators: number) {
    for (let c = 0; c < startingCreators; c++) this.creators.push(Number.NEGATIVE_INFINITY);
  }

  join(time: number): number {
    this.creators.push(time);
    return this.creators.length - 1;
  }

  /** Adds an item; returns its upload event. */
  upload(creator: number, time: number): SimEvent {
    this.items.push({ creator, upload: time });
    return { kind: 'upload', time, itemId: this.items.length - 1 };
  }

  view(): WorldView {
    const { creators, items } = this;
    return {
      topics: 1,
      itemCount: () => items.length,
      userCount: () => 1,
      itemTopics: () => ({ ids: [0], weights: [1] }),
      itemUploadTime: (i) => items[i].upload,
      itemQuality: () => 0.5,
      itemCreator: (i) => items[i].creator,
      get creatorCount() {
        return creators.length;
      },
      creatorJoinTime: (c) => creators[c],
      userTopicPrefs: () => [1],
      userSignupTime: () => 0,
    };
  }
}

const slate = (time: number, items: number[], clicked = -1): SimEvent => ({ kind: 'slate', time, userId: 0, slateId: 0, items, clicked, watchMinutes: 0, trueUtility: Number.NaN });
const day = (epoch: number) => ({ epoch, start: epoch, end: epoch + 1 });

/** Two starting creators with two items each (ids 0–3), uploaded before the run. */
function startingWorld(): HandWorld {
  const w = new HandWorld(2);
  for (const creator of [0, 0, 1, 1]) w.upload(creator, -5);
  return w;
}

describe('NewCreatorMetric', () => {
  it('sets new creators’ impression share against the item-days they offered, and their CTR against established creators’', () => {
    const w = startingWorld();
    const m = new NewCreatorMetric(w.view(), { newCreatorDays: 14, firstDays: 3 });
    const joined = w.join(0.25);
    m.observe(w.upload(joined, 0.5)); // item 4, there for half of day 0
    m.observe(slate(0.75, [0, 4], 1)); // the new creator's one impression, clicked
    m.observe(slate(0.8, [2, 3]));
    m.observe(slate(0.9, [0, 1], 0));
    const first = m.endEpoch(day(0));
    // Impressions: 1 of 6 to the new creator. Item-days: 4 whole days and item 4's half, so 0.5 of 4.5.
    // (Its share of the items at the epoch's end, 1 of 5, would give 5/6.)
    expect(first.new_creator_exposure_ratio).toBeCloseTo(1 / 6 / (0.5 / 4.5), 12);
    // CTR 1/1 against the established creators' 1 click in 5 impressions (not the 2 in 6 of everyone).
    expect(first.new_creator_ctr_gap).toBeCloseTo(1 - 1 / 5, 12);
    expect(first).toMatchObject({ new_creators: 1, new_creator_items: 1 });

    // Day 1: item 4 is there the whole day, like the others: 1 of 5 item-days, and half the impressions.
    m.observe(slate(1.5, [4, 0]));
    const second = m.endEpoch(day(1));
    expect(second.new_creator_exposure_ratio).toBeCloseTo(1 / 2 / (1 / 5), 12);
    expect(second.new_creator_ctr_gap).toBeCloseTo(0 - 0, 12);
    expect(second).toMatchObject({ new_creators: 1, new_creator_items: 1 });
  });

  it('counts item-days and CTRs in epochs shorter than a day, with several impressions and clicks per group', () => {
    const w = startingWorld();
    const m = new NewCreatorMetric(w.view(), { newCreatorDays: 14, firstDays: 3 });
    const joined = w.join(0.1);
    m.observe(w.upload(joined, 0.2)); // items 4 and 5, there for 0.3 of the half-day epoch
    m.observe(w.upload(joined, 0.2));
    m.observe(slate(0.3, [4, 5], 0));
    m.observe(slate(0.35, [4, 0]));
    m.observe(slate(0.4, [5, 1], 1));
    m.observe(slate(0.45, [2, 3], 0));
    const first = m.endEpoch({ epoch: 0, start: 0, end: 0.5 });
    // Impressions 4 of 8 to the new creator; item-days 0.6 of 4 × 0.5 + 0.6 = 2.6.
    expect(first.new_creator_exposure_ratio).toBeCloseTo(4 / 8 / (0.6 / 2.6), 12);
    // CTR 1 in 4 against the established creators' 2 in 4.
    expect(first.new_creator_ctr_gap).toBeCloseTo(1 / 4 - 2 / 4, 12);
    // Second half day: all six items there throughout (3 item-days, 1 of them the new creator's).
    m.observe(slate(0.7, [4, 0], 0));
    m.observe(slate(0.8, [5, 1, 2], 2));
    const second = m.endEpoch({ epoch: 1, start: 0.5, end: 1 });
    expect(second.new_creator_exposure_ratio).toBeCloseTo(2 / 5 / (1 / 3), 12);
    expect(second.new_creator_ctr_gap).toBeCloseTo(1 / 2 - 1 / 3, 12);
  });

  it('gives a recommender that shows every item alike a ratio of 1, whenever the items arrive', () => {
    const w = startingWorld();
    const m = new NewCreatorMetric(w.view(), { newCreatorDays: 14, firstDays: 3 });
    const joined = w.join(0.1);
    m.observe(w.upload(joined, 0.5)); // item 4
    // Each of the 4 old items shown 4 times over the day; item 4, there half of it, twice.
    for (let k = 0; k < 4; k++) m.observe(slate(k / 4, [0, 1, 2, 3]));
    m.observe(slate(0.6, [4]));
    m.observe(slate(0.9, [4]));
    expect(m.endEpoch(day(0)).new_creator_exposure_ratio).toBeCloseTo(1, 12);
  });

  it('counts a creator as new for new_creator_days after its join, and writes 0 where there is nothing to compare', () => {
    const w = startingWorld();
    const m = new NewCreatorMetric(w.view(), { newCreatorDays: 2, firstDays: 3 });
    // No creator has joined: nothing new to measure, and the rules call the zeros undefined.
    m.observe(slate(0.5, [0, 2], 0));
    const none = m.endEpoch(day(0));
    expect(none).toMatchObject({ new_creators: 0, new_creator_items: 0, new_creator_exposure_ratio: 0, new_creator_ctr_gap: 0 });
    expect(isDefined('new_creator_exposure_ratio', { ...none, impressions: 2 })).toBe(false);
    expect(isDefined('new_creator_ctr_gap', { ...none, impressions: 2 })).toBe(false);

    const joined = w.join(1.25);
    m.observe(w.upload(joined, 1.5)); // item 4
    m.observe(slate(1.75, [0, 1]));
    const unshown = m.endEpoch(day(1));
    // A new creator with an item that was not shown: the ratio is a real 0, the CTR gap has nothing to stand on.
    expect(unshown).toMatchObject({ new_creators: 1, new_creator_items: 1, new_creator_exposure_ratio: 0, new_creator_ctr_gap: 0 });
    expect(isDefined('new_creator_exposure_ratio', { ...unshown, impressions: 2 })).toBe(true);
    expect(isDefined('new_creator_ctr_gap', { ...unshown, impressions: 2 })).toBe(false);

    // Day 2 ends 1.75 days after the join: still new; its item's click against none for the established.
    w.join(2.2); // joins, uploads nothing: new, but no items
    m.observe(slate(2.5, [4, 0], 0));
    expect(m.endEpoch(day(2))).toMatchObject({ new_creators: 2, new_creator_items: 1, new_creator_ctr_gap: 1 - 0 });
    // Day 3 ends 2.75 days after it: established. The one left new has no items, so no ratio.
    m.observe(slate(3.5, [4, 0], 0));
    const aged = m.endEpoch(day(3));
    expect(aged).toMatchObject({ new_creators: 1, new_creator_items: 0, new_creator_exposure_ratio: 0 });
    expect(isDefined('new_creator_exposure_ratio', { ...aged, impressions: 2 })).toBe(false);
    // Item 4 now counts with the established creators: the new item's 1 click in 1 against 0 in 3
    // (counting every creator who joined during the run as new would give 1/3 − 0).
    const third = w.join(4.1);
    m.observe(w.upload(third, 4.2)); // item 5
    m.observe(slate(4.5, [5, 4], 0));
    m.observe(slate(4.6, [4, 0]));
    expect(m.endEpoch(day(4)).new_creator_ctr_gap).toBeCloseTo(1 - 0, 12);
  });

  it('judges new creators’ first days from their first upload: no impression in them is unseen', () => {
    const w = startingWorld();
    const m = new NewCreatorMetric(w.view(), { newCreatorDays: 14, firstDays: 1 });
    const early = w.join(0.1); // creator 2: first upload at 1.1, shown at 1.6, 0.5 days after it (1.5 after its join)
    const late = w.join(0.2); // creator 3: first upload at 0.3, shown only at 1.5, 1.2 days after it
    const silent = w.join(0.3); // creator 4: never uploads, never judged
    m.observe(w.upload(late, 0.3)); // item 4
    m.observe(w.upload(0, 0.4)); // item 5: a starting creator's upload starts no first days
    m.observe(slate(0.5, [5, 0]));
    expect(m.endEpoch(day(0))).toMatchObject({ new_creators_first_days_ended: 0, new_creators_unseen_first_days: 0 });
    m.observe(w.upload(early, 1.1)); // item 6
    m.observe(w.upload(late, 1.2)); // item 7: not a first upload, its first days still end at 1.3
    m.observe(slate(1.5, [4, 7]));
    m.observe(slate(1.6, [6]));
    // Creator 3's first days [0.3, 1.3) ended with no impression in them; creator 2's end at 2.1.
    expect(m.endEpoch(day(1))).toMatchObject({ new_creators_first_days_ended: 1, new_creators_unseen_first_days: 1 });
    expect(m.endEpoch(day(2))).toMatchObject({ new_creators_first_days_ended: 1, new_creators_unseen_first_days: 0 });
    const last = m.endEpoch(day(3));
    expect(last).toMatchObject({ new_creators_first_days_ended: 0, new_creators: 3 });
    expect(isDefined('new_creators_unseen_first_days', last)).toBe(false);
    expect(silent).toBe(4);
  });

  it('refuses windows that are not positive numbers of days', () => {
    const view = startingWorld().view();
    expect(() => new NewCreatorMetric(view, { newCreatorDays: 0, firstDays: 1 })).toThrow(/positive/);
    expect(() => new NewCreatorMetric(view, { newCreatorDays: 1, firstDays: Number.NaN })).toThrow(/positive/);
  });
});

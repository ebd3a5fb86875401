/**
 * Creator-side fairness on a catalog small enough to work out by hand: which creators are large,
 * small creators' exposure against their share of the catalog, the CTR gap, and the Gini over
 * creators.
 */
import { describe, expect, it } from 'vitest';
import { CreatorMetric, type SimEvent, type WorldView } from '../src/metrics/index.js';

/** Items by creator: creatorOf[i] is item i's creator. */
function world(creatorOf: number[], creators: number): WorldView {
  return {
    topics: 1,
    itemCount: () => creatorOf.length,
    userCount: () => 1,
    itemTopics: () => ({ ids: [0], weights: [1] }),
    itemUploadTime: () => 0,
    itemQuality: () => 0.5,
    itemCreator: (i) => creatorOf[i],
    creatorCount: creators,
    creatorJoinTime: () => Number.NEGATIVE_INFINITY,
    userTopicPrefs: () => [1],
    userSignupTime: () => 0,
  };
}

const slate = (items: number[], clicked = -1): SimEvent => ({ kind: 'slate', time: 0.5, userId: 0, slateId: 0, items, clicked, watchMinutes: 0, trueUtility: Number.NaN });
const day = (epoch: number) => ({ epoch, start: epoch, end: epoch + 1 });

describe('CreatorMetric', () => {
  // Creator 0 has items 0–3, creator 1 items 4–5, creators 2 and 3 one item each (6, 7).
  const catalog = [0, 0, 0, 0, 1, 1, 2, 3];

  it('splits creators by their items at the start: the top share is large (ties by id)', () => {
    const m = new CreatorMetric(world(catalog, 4), 0.25); // one large creator: 0
    m.observe(slate([0, 1, 4, 6], 2)); // large: 2 shown, small: 2 shown, the click on a small creator's item
    const r = m.endEpoch(day(0));
    // Small creators own 4 of 8 items and got 2 of 4 impressions: exactly their share.
    expect(r.small_creator_exposure_ratio).toBeCloseTo(1, 12);
    expect(r.small_creator_ctr_gap).toBeCloseTo(1 / 2 - 0, 12);
    // Impressions over creators 2, 1, 1, 0: G = Σ(2i − n − 1)x_i / (n Σx) over 0, 1, 1, 2.
    expect(r.creator_exposure_gini).toBeCloseTo((-3 * 0 - 1 * 1 + 1 * 1 + 3 * 2) / (4 * 4), 12);
    // Half the creators large: 0 and 1 (most items); a tie between 2 and 3 is broken by id.
    const half = new CreatorMetric(world(catalog, 4), 0.5);
    half.observe(slate([4, 6, 7]));
    expect(half.endEpoch(day(0)).small_creator_exposure_ratio).toBeCloseTo(2 / 3 / (2 / 8), 12);
    const tie = new CreatorMetric(world([0, 1], 2), 0.5);
    tie.observe(slate([1]));
    expect(tie.endEpoch(day(0)).small_creator_exposure_ratio).toBeCloseTo(1 / (1 / 2), 12);
  });

  it('ranks creators by their items, whatever their ids', () => {
    const m = new CreatorMetric(world([2, 2, 2, 0, 1], 3), 1 / 3); // one large creator: 2
    m.observe(slate([3, 4], 1));
    const r = m.endEpoch(day(0));
    expect(r.small_creator_exposure_ratio).toBeCloseTo(1 / (2 / 5), 12);
    expect(r.small_creator_ctr_gap).toBe(0); // large creators had no impressions
  });

  it('counts uploads after the start in the catalog share, and resets every epoch', () => {
    const items = [...catalog];
    const m = new CreatorMetric(world(items, 4), 0.25);
    m.observe(slate([0, 0, 0, 0]));
    const first = m.endEpoch(day(0));
    expect(first.small_creator_exposure_ratio).toBe(0);
    expect(first.small_creator_ctr_gap).toBe(0); // small creators had no impressions
    items.push(3, 3, 3, 3); // creator 3 uploads four items: small creators now own 8 of 12
    m.observe(slate([7, 8, 0, 0]));
    expect(m.endEpoch(day(1)).small_creator_exposure_ratio).toBeCloseTo(2 / 4 / (8 / 12), 12);
    expect(m.endEpoch(day(2))).toEqual({ small_creator_exposure_ratio: 0, small_creator_ctr_gap: 0, creator_exposure_gini: 0 });
  });

  it('counts creators who join later as small, and in the Gini over every creator there at the epoch’s end', () => {
    const items = [0, 0, 0, 1]; // creator 0 large, creator 1 small
    const creators = { count: 2 };
    const view: WorldView = { ...world(items, 2), get creatorCount() { return creators.count; } };
    const m = new CreatorMetric(view, 0.5);
    creators.count = 4; // creators 2 and 3 join; creator 2 uploads item 4, creator 3 nothing yet
    items.push(2);
    m.observe(slate([0, 4, 4, 3]));
    const r = m.endEpoch(day(0));
    // Small: creators 1, 2 and 3, with 2 of 5 items and 3 of 4 impressions.
    expect(r.small_creator_exposure_ratio).toBeCloseTo(3 / 4 / (2 / 5), 12);
    // Impressions over creators 1, 1, 2, 0: G over the four sorted 0, 1, 1, 2 (creator 3 unshown, still counted).
    expect(r.creator_exposure_gini).toBeCloseTo((-3 * 0 - 1 * 1 + 1 * 1 + 3 * 2) / (4 * 4), 12);
  });
});

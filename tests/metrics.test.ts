import { describe, expect, it } from 'vitest';
import {
  ActivityMetric,
  ColdStartMetric,
  createDefaultMetrics,
  DiversityMetric,
  EngagementMetric,
  entropyBits,
  gini,
  jaccard,
  median,
  MetricsCollector,
  SliceMetric,
  attributeDimension,
  tenureDimension,
  type EpochBounds,
  type IndexSampler,
  type Metric,
  type SimEvent,
  type WorldView,
} from '../src/metrics/index.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

interface FakeItem {
  readonly ids: number[];
  readonly weights: number[];
  readonly upload: number;
  readonly quality: number;
}

class FakeWorld implements WorldView {
  readonly items: FakeItem[] = [];
  readonly users: { prefs: number[]; signup: number }[] = [];
  constructor(readonly topics: number) {}

  /** mixture: [topic, weight] pairs. */
  addItem(mixture: [number, number][], upload = -10, quality = 0.5): number {
    this.items.push({ ids: mixture.map(([t]) => t), weights: mixture.map(([, w]) => w), upload, quality });
    return this.items.length - 1;
  }
  addUser(prefs: number[] = [], signup = 0): number {
    this.users.push({ prefs, signup });
    return this.users.length - 1;
  }
  itemCount(): number {
    return this.items.length;
  }
  userCount(): number {
    return this.users.length;
  }
  itemTopics(itemId: number): { ids: number[]; weights: number[] } {
    return this.items[itemId];
  }
  itemUploadTime(itemId: number): number {
    return this.items[itemId].upload;
  }
  itemQuality(itemId: number): number {
    return this.items[itemId].quality;
  }
  /** Item i by creator i mod creatorCount. */
  itemCreator(itemId: number): number {
    return itemId % this.creatorCount;
  }
  readonly creatorCount = 2;
  creatorJoinTime(): number {
    return Number.NEGATIVE_INFINITY;
  }
  userTopicPrefs(userId: number): number[] {
    return this.users[userId].prefs;
  }
  userSignupTime(userId: number): number {
    return this.users[userId].signup;
  }
}

function worldWith(users: number, items: number, topics = 2): FakeWorld {
  const world = new FakeWorld(topics);
  for (let u = 0; u < users; u++) world.addUser(new Array<number>(topics).fill(1));
  for (let i = 0; i < items; i++) world.addItem([[0, 1]]);
  return world;
}

function slate(time: number, userId: number, items: number[], clicked = -1, watchMinutes = 0, trueUtility = NaN): SimEvent {
  return { kind: 'slate', time, userId, slateId: 0, items, clicked, watchMinutes, trueUtility };
}
const sessionStart = (time: number, userId: number): SimEvent => ({ kind: 'session_start', time, userId });
const sessionEnd = (time: number, userId: number, satisfaction: number): SimEvent => ({
  kind: 'session_end',
  time,
  userId,
  satisfaction,
});
const signup = (time: number, userId: number): SimEvent => ({ kind: 'signup', time, userId });
const churn = (time: number, userId: number): SimEvent => ({ kind: 'churn', time, userId });
const upload = (time: number, itemId: number): SimEvent => ({ kind: 'upload', time, itemId });

const bounds = (epoch: number, start: number, end: number): EpochBounds => ({ epoch, start, end });

function feed(metric: Metric, events: SimEvent[]): void {
  for (const event of events) metric.observe(event);
}

/** Deterministic sampler: returns the planted indices (first k of them). */
class PlantedSampler implements IndexSampler {
  calls: [number, number][] = [];
  constructor(private readonly picks: number[]) {}
  sampleIndices(n: number, k: number): number[] {
    this.calls.push([n, k]);
    return this.picks.slice(0, k);
  }
}

// ---------------------------------------------------------------------------------------------

describe('stats', () => {
  it('gini uses G = Σ(2i−n−1)x_i / (n Σx) over ascending x', () => {
    expect(gini([0, 0, 0, 4])).toBe(0.75);
    expect(gini([4, 0, 0, 0])).toBe(0.75); // input order does not matter
    expect(gini([3, 3, 3])).toBe(0);
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25, 12); // (−3−2+3+12)/(4·10)
    expect(gini([])).toBe(0);
    expect(gini([0, 0])).toBe(0);
  });

  it('entropy is in bits', () => {
    expect(entropyBits([0.5, 0.5])).toBe(1);
    expect(entropyBits([3, 3, 0])).toBe(1); // normalised
    expect(entropyBits([1, 1, 1, 1])).toBe(2);
    expect(entropyBits([0, 7])).toBe(0);
    expect(entropyBits([9, 1, 1, 9], 1, 3)).toBe(1); // a range of a flat array
    expect(entropyBits([5, 0, 0, 5], 1, 3)).toBe(0);
    expect(entropyBits([0, 0])).toBe(0);
  });

  it('median and jaccard', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
    expect(jaccard(new Set([1, 2, 3]), new Set([2, 3, 4]))).toBe(0.5);
    expect(jaccard(new Set(), new Set())).toBe(0);
    expect(jaccard(new Set([1]), new Set())).toBe(0);
  });
});

describe('EngagementMetric', () => {
  it('counts impressions, clicks, CTR, watch time and true satisfaction, then resets', () => {
    const m = new EngagementMetric();
    feed(m, [
      sessionStart(0.1, 0),
      slate(0.1, 0, [1, 2, 3, 4], 1, 10, 0.5),
      slate(0.2, 0, [5, 6, 7, 8]),
      sessionStart(0.3, 1),
      slate(0.3, 1, [1, 2, 3, 4], 0, 5, 0.9),
      slate(0.4, 1, [9, 10, 11, 12]),
      sessionStart(0.5, 2), // active without a slate
    ]);
    const r = m.endEpoch(bounds(0, 0, 1));
    expect(r).toEqual({
      slates: 4,
      impressions: 16,
      clicks: 2,
      ctr: 0.125,
      watch_minutes: 15,
      watch_minutes_per_active_user: 5,
      watch_minutes_per_impression: 15 / 16,
      mean_true_satisfaction: 0.7,
    });
    expect(m.endEpoch(bounds(1, 1, 2))).toEqual({
      slates: 0,
      impressions: 0,
      clicks: 0,
      ctr: 0,
      watch_minutes: 0,
      watch_minutes_per_active_user: 0,
      watch_minutes_per_impression: 0,
      mean_true_satisfaction: 0,
    });
  });

  it('CTR 0.25 from 8 impressions and 2 clicks', () => {
    const m = new EngagementMetric();
    feed(m, [slate(0, 0, [1, 2, 3, 4], 0, 1, 1), slate(0, 1, [1, 2, 3, 4], 3, 1, 0)]);
    const r = m.endEpoch(bounds(0, 0, 1));
    expect(r.impressions).toBe(8);
    expect(r.clicks).toBe(2);
    expect(r.ctr).toBe(0.25);
    expect(r.mean_true_satisfaction).toBe(0.5);
  });

  it('rejects a click position outside the slate', () => {
    const m = new EngagementMetric();
    expect(() => m.observe(slate(0, 0, [1, 2], 2, 1, 1))).toThrow(RangeError);
  });
});

describe('ActivityMetric', () => {
  it('daily active users over whole days, and within a sub-day epoch', () => {
    const world = worldWith(3, 0);
    const m = new ActivityMetric(world);
    feed(m, [
      slate(0.2, 0, [0]),
      sessionStart(0.5, 1),
      slate(0.9, 0, [0]),
      slate(1.5, 0, [0]),
      slate(2.1, 0, [0]),
      slate(2.2, 1, [0]),
      sessionStart(2.3, 2),
      slate(2.9, 2, [0]),
    ]);
    const r = m.endEpoch(bounds(0, 0, 3));
    expect(r.active_users).toBe(3);
    expect(r.daily_active_users).toBe(2); // (2 + 1 + 3) / 3
    expect(r.sessions).toBe(2);

    feed(m, [slate(3.1, 0, [0]), slate(3.2, 1, [0]), slate(3.4, 0, [0])]);
    const short = m.endEpoch(bounds(1, 3, 3.5));
    expect(short.active_users).toBe(2);
    expect(short.daily_active_users).toBe(2); // no whole day: distinct users in the epoch

    // 1.5-day epoch [3.5, 5): the one whole day is day 4.
    feed(m, [slate(3.6, 0, [0]), slate(3.7, 1, [0]), slate(4.5, 2, [0])]);
    const partial = m.endEpoch(bounds(2, 3.5, 5));
    expect(partial.active_users).toBe(3);
    expect(partial.daily_active_users).toBe(1);
  });

  it('sessions, signups, churn, population and session satisfaction', () => {
    const world = worldWith(3, 0);
    const m = new ActivityMetric(world);
    world.addUser([], 2.5);
    feed(m, [
      sessionStart(0.5, 0),
      sessionEnd(0.6, 0, 0.2),
      signup(2.5, 3),
      sessionStart(2.6, 3),
      sessionEnd(2.7, 3, 0.6),
      churn(2.8, 1),
    ]);
    const r = m.endEpoch(bounds(0, 0, 3));
    expect(r.sessions).toBe(2);
    expect(r.signups).toBe(1);
    expect(r.churned).toBe(1);
    expect(r.population).toBe(3); // users 0, 2, 3
    expect(r.mean_session_satisfaction).toBeCloseTo(0.4, 12);

    world.addUser([], 3.5);
    feed(m, [signup(3.5, 4), churn(4, 1) /* duplicate churn is ignored */]);
    const r2 = m.endEpoch(bounds(1, 3, 6));
    expect(r2).toMatchObject({ sessions: 0, signups: 1, churned: 0, population: 4, mean_session_satisfaction: 0 });
  });

  it('return rate: share of last epoch’s active users active again', () => {
    const m = new ActivityMetric(worldWith(4, 0));
    feed(m, [slate(0.1, 0, [0]), slate(0.2, 1, [0]), sessionStart(0.3, 2)]);
    expect(m.endEpoch(bounds(0, 0, 1)).return_rate).toBe(0);
    feed(m, [slate(1.1, 1, [0]), slate(1.2, 2, [0]), slate(1.3, 3, [0]), slate(1.4, 1, [0])]);
    expect(m.endEpoch(bounds(1, 1, 2)).return_rate).toBe(2 / 3);
    expect(m.endEpoch(bounds(2, 2, 3)).return_rate).toBe(0); // nobody came back
    feed(m, [slate(3.5, 0, [0])]);
    expect(m.endEpoch(bounds(3, 3, 4)).return_rate).toBe(0); // nobody active before: 0, not NaN
    feed(m, [slate(4.5, 0, [0]), slate(4.6, 1, [0])]);
    expect(m.endEpoch(bounds(4, 4, 5)).return_rate).toBe(1);
  });

  /**
   * Activity days per user. At end = 14: cohort = active in days 0..6, retained = also active
   * in days 7..13. u0 {0, 8}: cohort, retained. u1 {3}: cohort, lost. u2 {10}: not in cohort.
   * u3 {5, 6, 13}: cohort, retained. u4 {7}: not in cohort. → 2/3.
   * At end = 15 (days 1..7 vs 8..14): u1 lost, u3 retained, u4 {7} lost, u0 (day 0 is out) → 1/3.
   * At end = 21 (days 7..13 vs 14..20): u0 {8}, u2 {10}, u3 {13}, u4 {7}, nobody retained → 0.
   */
  const pattern: [number, number[]][] = [
    [0, [0, 8]],
    [1, [3]],
    [2, [10]],
    [3, [5, 6, 13]],
    [4, [7]],
  ];
  const activityEvents = (): SimEvent[] =>
    pattern
      .flatMap(([user, days]) => days.map((day) => slate(day + 0.5, user, [0])))
      .sort((a, b) => a.time - b.time);

  it('retention_7d on a constructed pattern with daily epochs', () => {
    const m = new ActivityMetric(worldWith(5, 0));
    const events = activityEvents();
    const retention: number[] = [];
    for (let day = 0; day < 21; day++) {
      feed(
        m,
        events.filter((e) => e.time >= day && e.time < day + 1),
      );
      retention.push(m.endEpoch(bounds(day, day, day + 1)).retention_7d);
    }
    expect(retention[13]).toBe(2 / 3); // end = 14
    expect(retention[14]).toBe(1 / 3); // end = 15
    expect(retention[20]).toBe(0); // end = 21
    // end = 8: cohort days −6..0 = {u0 (day 0)}, recent days 1..7: u0 not active → 0
    expect(retention[7]).toBe(0);
  });

  it('retention_7d does not depend on the epoch length', () => {
    const whole = new ActivityMetric(worldWith(5, 0));
    feed(whole, activityEvents().filter((e) => e.time < 14));
    expect(whole.endEpoch(bounds(0, 0, 14)).retention_7d).toBe(2 / 3);

    // Quarter-day epochs: the epoch ending at 14 has last day 13, same windows.
    const quarter = new ActivityMetric(worldWith(5, 0));
    const events = activityEvents();
    let last = 0;
    for (let k = 0; k < 56; k++) {
      const [start, end] = [k / 4, (k + 1) / 4];
      feed(quarter, events.filter((e) => e.time >= start && e.time < end));
      last = quarter.endEpoch(bounds(k, start, end)).retention_7d;
    }
    expect(last).toBe(2 / 3);
  });

  it('retention_7d forgets activity older than the mask', () => {
    const m = new ActivityMetric(worldWith(1, 0));
    feed(m, [slate(0.5, 0, [0]), slate(30.5, 0, [0])]);
    expect(m.endEpoch(bounds(0, 0, 31)).retention_7d).toBe(0);
    feed(m, [slate(31.5, 0, [0])]);
    // end = 38: cohort window days 24..30 holds day 30; recent days 31..37 holds day 31.
    expect(m.endEpoch(bounds(1, 31, 38)).retention_7d).toBe(1);
  });
});

describe('ActivityMetric, a month apart', () => {
  /**
   * Days 0..59 hold the cohort of the epoch ending at 60 (days 0..29, "30–59 days before") and
   * the retained window (days 30..59). u0 {2, 45}: cohort, retained. u1 {29}: cohort, lost.
   * u2 {31, 58}: not in the cohort. u3 {0, 33, 40, 59}: cohort, retained (day 0 sits at bit 59,
   * in the high word). → 2/3. At end = 61 the cohort is days 1..30: u3 (day 0) leaves it and u2
   * (day 31) is not in it yet, so u0 and u1 remain → 1/2.
   */
  const pattern: [number, number[]][] = [
    [0, [2, 45]],
    [1, [29]],
    [2, [31, 58]],
    [3, [0, 33, 40, 59]],
  ];
  const events = (): SimEvent[] => pattern.flatMap(([user, days]) => days.map((day) => slate(day + 0.5, user, [0]))).sort((a, b) => a.time - b.time);

  it('retention_30d over daily epochs and over one long epoch', () => {
    const daily = new ActivityMetric(worldWith(4, 0));
    const all = events();
    const retention: number[] = [];
    for (let day = 0; day < 61; day++) {
      feed(daily, all.filter((e) => e.time >= day && e.time < day + 1));
      retention.push(daily.endEpoch(bounds(day, day, day + 1)).retention_30d);
    }
    expect(retention[59]).toBe(2 / 3); // end = 60
    expect(retention[60]).toBe(1 / 2); // end = 61
    expect(retention[29]).toBe(0); // end = 30: the cohort window lies before day 0
    const whole = new ActivityMetric(worldWith(4, 0));
    feed(whole, all);
    expect(whole.endEpoch(bounds(0, 0, 60)).retention_30d).toBe(2 / 3);
  });

  it('retention_30d reads users last seen over 32 days before the epoch ends (the mask\'s high word)', () => {
    // End 46: the cohort is days −14..15, the retained window days 16..45. u0 {5} was last seen
    // 40 days before day 45, u1 {5, 40} and u2 {5, 44} came back; u3 {20} is not in the cohort.
    const m = new ActivityMetric(worldWith(4, 0));
    feed(m, [slate(5.5, 0, [0]), slate(5.5, 1, [0]), slate(5.5, 2, [0]), slate(20.5, 3, [0]), slate(40.5, 1, [0]), slate(44.5, 2, [0])]);
    expect(m.endEpoch(bounds(0, 0, 46)).retention_30d).toBe(2 / 3);
    // Ten days on, the cohort is days −4..25: u3 (day 20) joins it and is not retained in days 26..55.
    expect(m.endEpoch(bounds(1, 46, 56)).retention_30d).toBe(2 / 4);
  });

  it('active_days_7d: days active in the last week, over the whole population, churned users out', () => {
    const world = worldWith(4, 0);
    const m = new ActivityMetric(world);
    // u0 active on days 3, 4, 9 (twice); u1 on day 1 only; u2 never; u3 on days 5 and 6, then churns.
    feed(m, [slate(1.5, 1, [0]), slate(3.5, 0, [0]), slate(4.2, 0, [0]), slate(5.5, 3, [0]), slate(6.5, 3, [0]), slate(9.1, 0, [0]), slate(9.7, 0, [0])]);
    const beforeChurn = m.endEpoch(bounds(0, 0, 10)).active_days_7d; // days 3..9: u0 3 days, u3 2 → 5 / 4 users
    expect(beforeChurn).toBe(5 / 4);
    feed(m, [{ kind: 'churn', time: 10.5, userId: 3 }]);
    // Days 4..10: u0 on 4 and 9; u3 has churned and leaves the population (3 users) → 2 / 3.
    expect(m.endEpoch(bounds(1, 10, 11)).active_days_7d).toBe(2 / 3);
  });
});

describe('DiversityMetric', () => {
  function diversityWorld(): FakeWorld {
    const world = new FakeWorld(4);
    world.addItem([
      [0, 0.5],
      [1, 0.5],
    ]); // 0: two equal topics
    world.addItem([[2, 1]]); // 1
    world.addItem([[3, 1]]); // 2
    world.addItem([[0, 1]]); // 3
    for (let u = 0; u < 3; u++) world.addUser([1, 0, 0, 0]);
    return world;
  }

  it('topic entropy of impressions and consumption, in bits, averaged over users', () => {
    const world = diversityWorld();
    const m = new DiversityMetric(world, { homogenizationSample: 0, sampler: new PlantedSampler([]) });
    feed(m, [
      slate(0.1, 0, [0], 0), // user 0 sees and clicks item 0: 1 bit / 1 bit
      slate(0.2, 1, [1, 2], 0), // user 1 sees topics 2,3 equally: 1 bit; clicks topic 2 only: 0 bits
      slate(0.3, 2, [0, 1, 2]), // user 2 sees topic weights {0: .5, 1: .5, 2: 1, 3: 1} (total 3)
    ]);
    const r = m.endEpoch(bounds(0, 0, 1));
    const p = [1 / 6, 1 / 6, 1 / 3, 1 / 3];
    const h2 = -p.reduce((s, x) => s + x * Math.log2(x), 0);
    expect(r.topic_entropy_impressions).toBeCloseTo((1 + 1 + h2) / 3, 12);
    expect(r.topic_entropy_consumption).toBe(0.5);

    // Single user with four single-topic items: 2 bits. State from the last epoch is gone.
    world.addItem([[1, 1]]); // 4
    feed(m, [slate(1.1, 2, [1, 2, 3, 4], 3)]);
    const r2 = m.endEpoch(bounds(1, 1, 2));
    expect(r2.topic_entropy_impressions).toBe(2);
    expect(r2.topic_entropy_consumption).toBe(0);

    const r3 = m.endEpoch(bounds(2, 2, 3));
    expect(r3.topic_entropy_impressions).toBe(0);
    expect(r3.topic_entropy_consumption).toBe(0);
  });

  it('impression Gini over the whole catalog and catalog coverage', () => {
    const world = worldWith(1, 4);
    const m = new DiversityMetric(world, { homogenizationSample: 0, sampler: new PlantedSampler([]) });
    feed(m, [slate(0.1, 0, [3, 3]), slate(0.2, 0, [3, 3])]);
    const r = m.endEpoch(bounds(0, 0, 1));
    expect(r.impression_gini).toBe(0.75); // [0,0,0,4]
    expect(r.catalog_coverage).toBe(0.25);

    // Catalog grows to 8 items; impressions [1,1,0,0,0,0,0,2] → ascending [0×5,1,1,2]:
    // Σ(2i−9)x_i = 3·1 + 5·1 + 7·2 = 22; G = 22 / (8·4) = 0.6875.
    for (let i = 0; i < 4; i++) world.addItem([[0, 1]], 1);
    feed(m, [slate(1.1, 0, [0, 1, 7, 7])]);
    const r2 = m.endEpoch(bounds(1, 1, 2));
    expect(r2.impression_gini).toBe(0.6875);
    expect(r2.catalog_coverage).toBe(3 / 8);

    const r3 = m.endEpoch(bounds(2, 2, 3));
    expect(r3.impression_gini).toBe(0);
    expect(r3.catalog_coverage).toBe(0);
  });

  function homogenizationWorld(): FakeWorld {
    const world = new FakeWorld(2);
    world.addUser([1, 0]); // 0 ↔ 1
    world.addUser([0.9, 0.1]);
    world.addUser([0, 1]); // 2 ↔ 3
    world.addUser([0.1, 0.9]);
    world.addUser([0.5, 0.5]); // not sampled
    for (let i = 0; i < 10; i++) world.addItem([[0, 1]]);
    return world;
  }

  it('homogenization: a planted pair consuming identical sets scores 1', () => {
    const world = homogenizationWorld();
    const sampler = new PlantedSampler([0, 1]);
    const m = new DiversityMetric(world, { homogenizationSample: 2, sampler });
    feed(m, [
      slate(0.1, 0, [5, 6], 0),
      slate(0.2, 0, [6, 5], 0),
      slate(0.3, 1, [6], 0),
      slate(0.4, 1, [5], 0),
      slate(0.5, 2, [9], 0),
    ]);
    expect(m.endEpoch(bounds(0, 0, 1)).homogenization).toBe(1);
    expect(m.homogenizationPairs()).toEqual({ users: [0, 1], partners: [1, 0] });
    expect(sampler.calls).toEqual([[5, 2]]);

    // Next epoch, nobody in the sample clicks: both sets empty → 0.
    feed(m, [slate(1.1, 4, [1], 0)]);
    expect(m.endEpoch(bounds(1, 1, 2)).homogenization).toBe(0);
    expect(sampler.calls).toHaveLength(1); // the sample is drawn once
  });

  it('homogenization: nearest true-preference partners and mean Jaccard', () => {
    const world = homogenizationWorld();
    const sampler = new PlantedSampler([0, 1, 2, 3]);
    const m = new DiversityMetric(world, { homogenizationSample: 4, sampler });
    m.endEpoch(bounds(0, 0, 1)); // draws the sample; no clicks → 0
    expect(m.homogenizationPairs()).toEqual({ users: [0, 1, 2, 3], partners: [1, 0, 3, 2] });

    feed(m, [
      slate(1.1, 0, [1, 2], 0),
      slate(1.2, 0, [2], 0), // user 0: {1, 2}
      slate(1.3, 1, [2, 3], 0),
      slate(1.4, 1, [3], 0), // user 1: {2, 3} → J(0,1) = 1/3
      slate(1.5, 2, [7], 0), // user 2: {7}, user 3: {} → 0
      slate(1.6, 4, [1], 0), // not sampled
    ]);
    // Directed pairs 0→1, 1→0, 2→3, 3→2: (1/3 + 1/3 + 0 + 0) / 4
    expect(m.endEpoch(bounds(1, 1, 2)).homogenization).toBeCloseTo(1 / 6, 12);
  });

  it('homogenization samples among non-churned users and caps the sample at the population', () => {
    const world = homogenizationWorld();
    const sampler = new PlantedSampler([0, 1, 2, 3]);
    const m = new DiversityMetric(world, { homogenizationSample: 100, sampler });
    feed(m, [churn(0.5, 0)]);
    m.endEpoch(bounds(0, 0, 1));
    expect(sampler.calls).toEqual([[4, 4]]);
    // candidates are users 1, 2, 3, 4; user 1's nearest is user 4 ([0.5, 0.5]).
    expect(m.homogenizationPairs().users).toEqual([1, 2, 3, 4]);
  });
});

describe('ColdStartMetric', () => {
  it('fresh share, new items, first impressions and never-shown share', () => {
    const world = new FakeWorld(1);
    world.addItem([[0, 1]], -10); // 0: initial catalog
    world.addItem([[0, 1]], -0.5); // 1: initial catalog, young
    const m = new ColdStartMetric(world, { freshAge: 1, newItemDays: 1 });

    world.addItem([[0, 1]], 1, 0.9); // 2
    world.addItem([[0, 1]], 1.5, 0.2); // 3
    world.addItem([[0, 1]], 2, 0.1); // 4
    feed(m, [
      slate(0.25, 0, [0, 1]), // item 1 is 0.75 days old: fresh, but not a new item
      upload(1, 2),
      slate(1.25, 0, [0, 2]), // item 2 first shown after 0.25, fresh
      upload(1.5, 3),
      upload(2, 4),
      slate(2.25, 0, [2, 3, 1]), // item 2 age 1.25 (stale), item 3 first shown after 0.75 (fresh)
    ]);
    expect(m.endEpoch(bounds(0, 0, 3))).toEqual({
      fresh_impression_share: 3 / 7,
      new_items: 3,
      new_items_first_shown: 2,
      time_to_first_impression_median: 0.5, // (0.25 + 0.75) / 2
      new_items_never_shown_share: 1 / 3, // item 4
      // Every new item's first day ended by day 3: items 2 and 3 were shown once in it, item 4 never.
      new_items_first_days_ended: 3,
      new_items_unseen_first_days: 1 / 3,
      // Impression ranks 2.5, 2.5, 1 against quality ranks 3, 2, 1: 1.5 / √(1.5 · 2).
      new_item_exposure_quality_rank_corr: 1.5 / Math.sqrt(3),
    });

    feed(m, [slate(3.5, 0, [4, 2]), slate(3.75, 0, [4])]);
    expect(m.endEpoch(bounds(1, 3, 6))).toEqual({
      fresh_impression_share: 0,
      new_items: 0,
      new_items_first_shown: 1,
      time_to_first_impression_median: 1.5,
      new_items_never_shown_share: 0,
      new_items_first_days_ended: 0, // item 4's first showing, at age 1.5, was past its first day
      new_items_unseen_first_days: 0,
      new_item_exposure_quality_rank_corr: 0,
    });

    expect(m.endEpoch(bounds(2, 6, 9))).toEqual({
      fresh_impression_share: 0,
      new_items: 0,
      new_items_first_shown: 0,
      time_to_first_impression_median: 0, // none: read with new_items_first_shown
      new_items_never_shown_share: 0,
      new_items_first_days_ended: 0,
      new_items_unseen_first_days: 0,
      new_item_exposure_quality_rank_corr: 0,
    });
  });

  it('judges a new item only once its first days have ended, in the epoch where they end', () => {
    const world = new FakeWorld(1);
    const m = new ColdStartMetric(world, { freshAge: 1, newItemDays: 1 });
    world.addItem([[0, 1]], 0.5, 0.5); // 0: first day ends at 1.5
    world.addItem([[0, 1]], 2.5, 0.5); // 1: first day ends at 3.5, after the first epoch
    feed(m, [upload(0.5, 0), upload(2.5, 1), slate(2.75, 0, [1])]);
    expect(m.endEpoch(bounds(0, 0, 3))).toMatchObject({ new_items_first_days_ended: 1, new_items_unseen_first_days: 1 });
    expect(m.endEpoch(bounds(1, 3, 6))).toMatchObject({ new_items_first_days_ended: 1, new_items_unseen_first_days: 0 });
  });

  it('median over an odd number of first impressions; no uploads gives 0 never-shown share', () => {
    const world = new FakeWorld(1);
    const m0 = new ColdStartMetric(world, { freshAge: 2 });
    expect(m0.endEpoch(bounds(0, 0, 1)).new_items_never_shown_share).toBe(0);

    const m = new ColdStartMetric(world, { freshAge: 2 });
    for (let i = 0; i < 3; i++) world.addItem([[0, 1]], i);
    feed(m, [upload(0, 0), upload(1, 1), upload(2, 2), slate(2, 0, [2]), slate(3, 0, [0, 1]), slate(4, 0, [0])]);
    const r = m.endEpoch(bounds(0, 0, 5));
    expect(r.new_items_first_shown).toBe(3);
    expect(r.time_to_first_impression_median).toBe(2); // delays 0, 2, 3
    // Fresh (age < 2): item 2 at t=2 (age 0). Stale: item 0 at 3 (age 3), item 1 at 3 (age 2, not < 2), item 0 at 4.
    expect(r.fresh_impression_share).toBe(1 / 4);
  });

  it('rejects a non-positive freshAge', () => {
    expect(() => new ColdStartMetric(new FakeWorld(1), { freshAge: 0 })).toThrow(RangeError);
  });
});

describe('MetricsCollector', () => {
  const EXPECTED_COLUMNS = [
    'epoch',
    'day_start',
    'day_end',
    'slates',
    'impressions',
    'clicks',
    'ctr',
    'watch_minutes',
    'watch_minutes_per_active_user',
    'watch_minutes_per_impression',
    'mean_true_satisfaction',
    'active_users',
    'daily_active_users',
    'sessions',
    'signups',
    'churned',
    'population',
    'return_rate',
    'retention_7d',
    'retention_30d',
    'new_user_retention_7d',
    'established_retention_7d',
    'new_user_retention_30d',
    'established_retention_30d',
    'new_user_cohort_7d',
    'new_user_cohort_30d',
    'active_days_7d',
    'mean_session_satisfaction',
    'topic_entropy_impressions',
    'topic_entropy_consumption',
    'impression_gini',
    'catalog_coverage',
    'homogenization',
    'user_topic_entropy_median',
    'user_topic_entropy_p10',
    'weekly_entropy_change_median',
    'weekly_entropy_change_p10',
    'weekly_watch_entropy_change_median',
    'weekly_watch_entropy_change_p10',
    'weekly_users_compared',
    'intra_list_diversity',
    'long_tail_share',
    'recommended_popularity',
    'preference_shift',
    'fresh_impression_share',
    'new_items',
    'new_items_first_shown',
    'time_to_first_impression_median',
    'new_items_never_shown_share',
    'new_items_unseen_first_days',
    'new_item_exposure_quality_rank_corr',
    'new_items_first_days_ended',
    'sessions_to_satisfaction_median',
    'new_users_satisfied_first_week',
    'new_users_first_satisfied',
    'new_users_first_week_ended',
    'small_creator_exposure_ratio',
    'small_creator_ctr_gap',
    'creator_exposure_gini',
    'new_creator_exposure_ratio',
    'new_creator_ctr_gap',
    'new_creators_unseen_first_days',
    'new_creators',
    'new_creator_items',
    'new_creators_first_days_ended',
    'ctr_slice_tenure_new',
    'mean_true_satisfaction_slice_tenure_new',
    'ctr_slice_tenure_established',
    'mean_true_satisfaction_slice_tenure_established',
    'ctr_slice_taste_majority',
    'mean_true_satisfaction_slice_taste_majority',
    'ctr_slice_taste_minority',
    'mean_true_satisfaction_slice_taste_minority',
  ];

  it('emits the same key order every epoch, NaN-free, with default metrics', () => {
    const world = worldWith(3, 3);
    const collector = new MetricsCollector(
      createDefaultMetrics(world, { homogenization_sample: 2, fresh_age: 2 }, { sampler: new PlantedSampler([0, 2]), userDevice: null }),
    );
    const rows: Record<string, number>[] = [];
    rows.push(collector.endEpoch(bounds(0, 0, 1))); // empty epoch
    world.addItem([[1, 1]], 1.5);
    for (const e of [sessionStart(1.1, 0), slate(1.1, 0, [0, 1], 1, 3, 0.4), upload(1.5, 3), slate(1.6, 2, [3], 0, 2, 0.8)]) {
      collector.observe(e);
    }
    rows.push(collector.endEpoch(bounds(1, 1, 2)));
    rows.push(collector.endEpoch(bounds(2, 2, 3)));
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(EXPECTED_COLUMNS);
      for (const value of Object.values(row)) expect(Number.isFinite(value)).toBe(true);
    }
    expect(collector.columns()).toEqual(EXPECTED_COLUMNS);
    expect(rows[1]).toMatchObject({ epoch: 1, day_start: 1, day_end: 2, impressions: 3, clicks: 2, new_items: 1 });
    expect(rows[2]).toMatchObject({ impressions: 0, clicks: 0, return_rate: 0 });
  });

  it('with users’ devices, slices by device before tenure and taste, each device its own figures', () => {
    const world = worldWith(3, 3);
    const devices = ['tv', 'mobile', 'mobile'] as const;
    const collector = new MetricsCollector(
      createDefaultMetrics(world, { homogenization_sample: 2, fresh_age: 2 }, { sampler: new PlantedSampler([0, 2]), userDevice: (u) => devices[u] }),
    );
    collector.observe(slate(0.5, 0, [0, 1], 1, 3, 0.4));
    collector.observe(slate(0.6, 1, [0, 1, 2], -1));
    const row = collector.endEpoch(bounds(0, 0, 1));
    const slices = Object.keys(row).filter((k) => k.includes('_slice_'));
    expect(slices.slice(0, 6)).toEqual(['mobile', 'desktop', 'tv'].flatMap((d) => [`ctr_slice_device_${d}`, `mean_true_satisfaction_slice_device_${d}`]));
    expect(slices.slice(6, 10).every((k) => k.includes('_slice_tenure_'))).toBe(true);
    expect(slices.slice(10).every((k) => k.includes('_slice_taste_'))).toBe(true);
    expect(row.ctr_slice_device_tv).toBe(1 / 2);
    expect(row.ctr_slice_device_mobile).toBe(0);
  });

  it('fans events out to every metric', () => {
    const a = new EngagementMetric();
    const b = new ColdStartMetric(worldWith(0, 2), { freshAge: 1 });
    const collector = new MetricsCollector([a, b]);
    collector.observe(slate(0.5, 0, [0, 1]));
    const row = collector.endEpoch(bounds(0, 0, 1));
    expect(row.impressions).toBe(2);
    expect(row.fresh_impression_share).toBe(0);
  });

  it('rejects two metrics emitting the same key', () => {
    const collector = new MetricsCollector([new EngagementMetric(), new EngagementMetric()]);
    expect(() => collector.endEpoch(bounds(0, 0, 1))).toThrow(/"slates".*both/);
  });

  class Stub implements Metric {
    constructor(private readonly rows: Record<string, number>[]) {}
    observe(): void {}
    endEpoch(): Record<string, number> {
      return this.rows.shift() ?? {};
    }
  }

  it('rejects a key clashing with the leading columns, non-snake_case keys and non-finite values', () => {
    expect(() => new MetricsCollector([new Stub([{ epoch: 1 }])]).endEpoch(bounds(0, 0, 1))).toThrow(/epoch/);
    expect(() => new MetricsCollector([new Stub([{ badKey: 1 }])]).endEpoch(bounds(0, 0, 1))).toThrow(/snake_case/);
    expect(() => new MetricsCollector([new Stub([{ x: NaN }])]).endEpoch(bounds(0, 0, 1))).toThrow(/non-finite/);
  });

  it('keeps the first epoch’s order and rejects a changed key set', () => {
    const collector = new MetricsCollector([
      new Stub([
        { b: 1, a: 2 },
        { a: 3, b: 4 },
        { a: 5, c: 6 },
      ]),
    ]);
    expect(Object.keys(collector.endEpoch(bounds(0, 0, 1)))).toEqual(['epoch', 'day_start', 'day_end', 'b', 'a']);
    const second = collector.endEpoch(bounds(1, 1, 2));
    expect(Object.keys(second)).toEqual(['epoch', 'day_start', 'day_end', 'b', 'a']);
    expect(second).toEqual({ epoch: 1, day_start: 1, day_end: 2, b: 4, a: 3 });
    expect(() => collector.endEpoch(bounds(2, 2, 3))).toThrow(/missing: b; new: c/);
  });
});

describe('SliceMetric', () => {
  it('splits click-through and true satisfaction by slice, then resets', () => {
    const devices = ['mobile', 'tv'];
    const deviceOf = (userId: number) => devices[userId % 2];
    const signup = [0, 0, 9, 9];
    const world = { userSignupTime: (u: number) => signup[u] } as unknown as WorldView;
    const m = new SliceMetric([attributeDimension('device', devices, deviceOf), tenureDimension(world)]);
    const slateEvent = (userId: number, clicked: number, trueUtility: number): SimEvent => ({
      kind: 'slate',
      time: 10,
      userId,
      slateId: 0,
      items: [1, 2, 3, 4],
      clicked,
      watchMinutes: 0,
      trueUtility,
    });
    m.observe(slateEvent(0, 1, 2)); // mobile, established (signed up day 0, slate day 10)
    m.observe(slateEvent(2, -1, Number.NaN)); // mobile, new (signed up day 9)
    m.observe(slateEvent(1, 0, 1)); // tv, established
    m.observe(slateEvent(3, 2, -1)); // tv, new
    const r = m.endEpoch(bounds(0, 9, 10));
    expect(r.ctr_slice_device_mobile).toBe(1 / 8);
    expect(r.ctr_slice_device_tv).toBe(2 / 8);
    expect(r.mean_true_satisfaction_slice_device_tv).toBe(0);
    expect(r.mean_true_satisfaction_slice_device_mobile).toBe(2);
    expect(r.ctr_slice_tenure_new).toBe(1 / 8);
    expect(r.mean_true_satisfaction_slice_tenure_established).toBe(1.5);
    expect(Object.keys(r)).toHaveLength(8);
    expect(m.endEpoch(bounds(1, 10, 11)).ctr_slice_device_tv).toBe(0);
  });
});

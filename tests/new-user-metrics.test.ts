import { describe, expect, it } from 'vitest';
import { ActivityMetric, NewUserMetric, spearman, type SimEvent, type WorldView } from '../src/metrics/index.js';

const slate = (time: number, userId: number, clicked: number, trueUtility = NaN): SimEvent => ({
  kind: 'slate', time, userId, slateId: 0, items: [0, 1], clicked, watchMinutes: clicked >= 0 ? 1 : 0, trueUtility,
});
const session = (time: number, userId: number): SimEvent => ({ kind: 'session_start', time, userId });
const signup = (time: number, userId: number): SimEvent => ({ kind: 'signup', time, userId });
const bounds = (epoch: number, start: number, end: number) => ({ epoch, start, end });

function feed(metric: { observe(e: SimEvent): void }, events: SimEvent[]): void {
  for (const event of events) metric.observe(event);
}

/** Users with the given sign-up times (0: the starting population). */
function worldOf(signups: number[]): WorldView {
  return {
    topics: 1,
    itemCount: () => 2,
    userCount: () => signups.length,
    itemTopics: () => ({ ids: [0], weights: [1] }),
    itemUploadTime: () => -1,
    itemQuality: () => 0.5,
    itemCreator: () => 0,
    creatorCount: 1,
    creatorJoinTime: () => Number.NEGATIVE_INFINITY,
    userTopicPrefs: () => [1],
    userSignupTime: (u) => signups[u],
  };
}

describe('NewUserMetric', () => {
  it('counts a new user’s sessions up to the first slate whose click reaches the satisfying utility', () => {
    const m = new NewUserMetric(0.5);
    feed(m, [
      session(0.1, 0), slate(0.1, 0, 0, 2), // user 0 is in the starting population: never counted
      signup(1, 1), session(1, 1), slate(1, 1, 0, 0.3), // clicked, but below 0.5
      session(1.5, 1), slate(1.5, 1, -1), slate(1.6, 1, 1, 0.5), // 0.5 satisfies: second session
      signup(1.2, 2), session(1.2, 2), slate(1.2, 2, 0, 1.4), // first session
      signup(1.3, 3), session(1.3, 3), session(1.4, 3), session(1.5, 3), slate(1.5, 3, 0, 0.9), // third
    ]);
    const first = m.endEpoch(bounds(0, 0, 2));
    expect(first.new_users_first_satisfied).toBe(3);
    expect(first.sessions_to_satisfaction_median).toBe(2); // sessions 2, 1, 3

    feed(m, [session(2.5, 1), slate(2.5, 1, 0, 3)]); // already satisfied: not counted again
    expect(m.endEpoch(bounds(1, 2, 3))).toMatchObject({ new_users_first_satisfied: 0, sessions_to_satisfaction_median: 0 });
  });

  it('counts slates where users have no sessions (the steps schedule)', () => {
    const m = new NewUserMetric(0.5);
    feed(m, [signup(0.5, 0), slate(1, 0, -1), slate(2, 0, 0, 0.1), slate(3, 0, 1, 0.8)]);
    expect(m.endEpoch(bounds(0, 0, 4)).sessions_to_satisfaction_median).toBe(3);
  });

  it('judges each new user’s first week in the epoch it ends, satisfied only within it', () => {
    const m = new NewUserMetric(0.5);
    feed(m, [
      signup(1, 0), session(1, 0), slate(1, 0, 0, 1), // satisfied on day 1
      signup(2, 1), session(2, 1), slate(2, 1, 0, 0.2), // never satisfied in its week
      signup(3, 2), session(10.5, 2), slate(10.5, 2, 0, 1), // satisfied after its week ended (day 10)
      signup(6, 3), // its week ends on day 13
    ]);
    // Weeks of users 0, 1, 2 end on days 8, 9, 10.
    expect(m.endEpoch(bounds(0, 0, 8))).toMatchObject({ new_users_first_week_ended: 1, new_users_satisfied_first_week: 1 });
    expect(m.endEpoch(bounds(1, 8, 12))).toMatchObject({ new_users_first_week_ended: 2, new_users_satisfied_first_week: 0 });
    expect(m.endEpoch(bounds(2, 12, 14))).toMatchObject({ new_users_first_week_ended: 1, new_users_satisfied_first_week: 0 });
    expect(m.endEpoch(bounds(3, 14, 20))).toMatchObject({ new_users_first_week_ended: 0, new_users_satisfied_first_week: 0 });
  });
});

describe('retention split by sign-up', () => {
  it('puts users who signed up in the cohort window among the new, the rest among the established', () => {
    // Users 0–3 start the run; 4 and 5 sign up on day 2, 6 on day 9.
    const world = worldOf([0, 0, 0, 0, 2.5, 2.2, 9.5]);
    const m = new ActivityMetric(world);
    const days = (u: number, list: number[]) => list.map((d) => session(d + 0.5, u));
    // Epoch [0, 16), last day 15: cohort days 2..8, recent days 9..15.
    feed(m, [
      ...days(0, [0, 1, 2, 10]), // established, retained
      ...days(1, [1, 11]), // active before the cohort window only: out
      ...days(2, [3]), // established, not retained
      signup(2.2, 5), ...days(5, [2, 12]), // new, retained
      signup(2.5, 4), ...days(4, [2]), // new, not retained
      ...days(3, [15]), // out
      signup(9.5, 6), ...days(6, [9]), // out
    ]);
    const first = m.endEpoch(bounds(0, 0, 16));
    expect(first).toMatchObject({ new_user_cohort_7d: 2, new_user_retention_7d: 1 / 2, established_retention_7d: 1 / 2, retention_7d: 2 / 4 });
    // Epoch [16, 23), last day 22: cohort days 9..15: user 6 new (signed up on day 9); 0, 1, 3 and 5 (signed up on day 2) established.
    feed(m, [...days(0, [20]), ...days(6, [18])]);
    const last = m.endEpoch(bounds(1, 16, 23));
    expect(last).toMatchObject({ new_user_cohort_7d: 1, new_user_retention_7d: 1, established_retention_7d: 1 / 4 });
    expect(last.retention_7d).toBe(2 / 5);
  });
});

describe('30-day retention split by sign-up', () => {
  it('counts a user who signed up inside the month-long cohort window as new', () => {
    const m = new ActivityMetric(worldOf([0, 5.5]));
    feed(m, [session(0.5, 0), signup(5.5, 1), session(5.5, 1), session(40.5, 1)]);
    // Last day 40: cohort days −19..10, recent days 11..40.
    expect(m.endEpoch(bounds(0, 0, 41))).toMatchObject({ new_user_cohort_30d: 1, new_user_retention_30d: 1, established_retention_30d: 0, retention_30d: 1 / 2 });
  });
});

describe('spearman', () => {
  it('ranks ties by their mean rank and reads a reversed order as −1', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    expect(spearman([1, 1, 0], [0.9, 0.2, 0.1])).toBeCloseTo(1.5 / Math.sqrt(3), 12);
    expect(spearman([2, 2, 2], [1, 2, 3])).toBe(0);
    expect(() => spearman([1], [1, 2])).toThrow(RangeError);
  });
});

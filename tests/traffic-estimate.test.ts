/**
 * The traffic a scenario's users will make, estimated before a run (src/run/traffic-estimate.ts):
 * within a factor of two of the slates that whole runs served (measured, docs/PERFORMANCE.md,
 * "Resource estimate"), from the rates the satisfaction user model itself returns and churns at,
 * and rising only under a recommender that learns what each user likes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario } from '../src/scenario/index.js';
import { dailySlates, estimateTraffic, mostSlatesInWindow, slatesPerEpoch } from '../src/run/traffic-estimate.js';
import { returnsPerDay, slatesPerWatchedSession } from '../src/world/user-models/satisfaction.js';
import { smallScenario } from './support/scenarios.js';

function shipped(name: string, overrides: readonly string[] = []): Scenario {
  const file = `scenarios/${name}.yaml`;
  return parseScenario(readFileSync(file, 'utf8'), file, overrides);
}

const MEDIUM = ['world.users.count=20000', 'world.users.signups_per_day=200', 'world.items.count=50000', 'world.items.uploads_per_day=1000', 'recommender.exploration={policy: thompson, stage: candidate}'];
const SMALL_ORACLE = ['world.users.count=1000', 'world.items.count=1000', 'world.users.signups_per_day=10', 'world.items.uploads_per_day=20', 'recommender.kind=oracle'];
const LARGE = ['world.users.count=100000', 'world.users.signups_per_day=1000', 'world.items.count=200000', 'world.items.uploads_per_day=4000'];

describe('against whole runs', () => {
  // Slates served in all and in the busiest log window (7 days; 14 for popularity), from each run's metrics.jsonl.
  it.each([
    ['two-stage, 14 days (the shipped scenario)', 'two-stage', [], 130_723, 83_711],
    ['two-stage, 40 days', 'two-stage', ['horizon.days=40'], 863_364, 253_065],
    ['two-stage, 40 days, topic weight 2', 'two-stage', ['horizon.days=40', 'world.affinity.topic_weight=2'], 542_127, 177_619],
    ['medium, 60 days', 'two-stage', [...MEDIUM, 'horizon.days=60'], 23_620_313, 4_171_352],
    ['large, first 10 days', 'two-stage', [...LARGE, 'horizon.days=10'], 4_525_546, 3_624_299],
    ['popularity, 40 days', 'popularity', ['horizon.days=40'], 346_931, 146_348],
    ['random slates, 40 days', 'popularity', ['horizon.days=40', 'recommender.kind=random'], 337_542, 131_517],
    ['oracle, 1k users, 30 days', 'popularity', [...SMALL_ORACLE, 'horizon.days=30'], 867_724, 519_053],
    ['oracle, 1k users, 20 days, topic weight 3', 'popularity', [...SMALL_ORACLE, 'horizon.days=20', 'world.affinity.topic_weight=3'], 656_037, 572_674],
  ])('%s: within a factor of two', (_, name, overrides, total, busiestWindow) => {
    const estimate = estimateTraffic(shipped(name, overrides));
    expect(estimate.slates / total).toBeGreaterThan(0.5);
    expect(estimate.slates / total).toBeLessThan(2);
    expect(estimate.busiestWindow / busiestWindow).toBeGreaterThan(0.5);
    expect(estimate.busiestWindow / busiestWindow).toBeLessThan(2);
  });
});

describe('from the user model', () => {
  it("the first day is the starting users' visits at the model's own rates, in proportion to them", () => {
    const scenario = shipped('two-stage');
    const first = dailySlates(scenario)[0];
    const { users } = scenario.world;
    if (users.kind !== 'satisfaction') throw new Error('the shipped scenario has satisfaction users');
    // Day 0's running satisfaction sits between a user's first session and a served one.
    const perUser = first / users.count;
    expect(perUser).toBeGreaterThan(returnsPerDay(users, 0) * slatesPerWatchedSession(users));
    expect(perUser).toBeLessThan(returnsPerDay(users, 1) * slatesPerWatchedSession(users));
    const twiceAsOften = dailySlates(shipped('two-stage', [`world.users.returns.base_per_day=${2 * users.returns.base_per_day}`]))[0];
    expect(twiceAsOften / first).toBeCloseTo(2, 10);
    const oneSlateSessions = dailySlates(shipped('two-stage', ['world.users.sessions.max_requests=1']))[0];
    expect(oneSlateSessions / first).toBeCloseTo(1 / slatesPerWatchedSession(users), 10);
  });

  it('rises under a learning recommender, and more where tastes are easier to serve; stays level under popularity', () => {
    const learning = dailySlates(shipped('two-stage', ['horizon.days=60', 'world.users.signups_per_day=0', 'world.users.churn.base=0']));
    expect(learning[29] / learning[0]).toBeGreaterThan(4);
    expect(learning[59]).toBeCloseTo(learning[30], 6); // served from day 30 on
    const weakerTopics = dailySlates(shipped('two-stage', ['horizon.days=60', 'world.users.signups_per_day=0', 'world.users.churn.base=0', 'world.affinity.topic_weight=2']));
    expect(weakerTopics[59]).toBeLessThan(learning[59] / 2);
    expect(weakerTopics[0] / learning[0]).toBeGreaterThan(0.97); // both start where users start
    const popularity = dailySlates(shipped('popularity', ['world.users.signups_per_day=0', 'world.users.churn.base=0']));
    expect(popularity[29]).toBeCloseTo(popularity[0], 6);
    expect(popularity[0] / 3000).toBeLessThan(learning[0] / 2000); // per user: the scenarios have 3,000 and 2,000
  });

  it('counts sign-ups in and churned users out', () => {
    const closed = shipped('popularity', ['world.users.signups_per_day=0', 'world.users.churn.base=0']);
    const joining = dailySlates(shipped('popularity', ['world.users.signups_per_day=300', 'world.users.churn.base=0']));
    const leaving = dailySlates(shipped('popularity', ['world.users.signups_per_day=0', 'world.users.churn.base=0.5']));
    const level = dailySlates(closed);
    // 300 a day on 3,000: a tenth more users (and slates) each day.
    expect(joining[10] / level[10]).toBeCloseTo(2, 6);
    expect(leaving[10]).toBeLessThan(level[10] / 2);
    expect(leaving[0]).toBe(level[0]);
  });

  it('on the steps schedule: each user once a step, the last part-day in proportion', () => {
    const scenario = smallScenario(['schedule={kind: steps, step: 0.5}', 'horizon.days=2.25', 'world.users.signups_per_day=0']);
    expect(Array.from(dailySlates(scenario))).toEqual([600, 600, 150]);
  });
});

describe('per epoch, for the time a run has left', () => {
  it("splits the days' slates over the retrain periods, the last cut at the horizon", () => {
    const scenario = shipped('two-stage', ['horizon.days=5.5', 'recommender.retrain.every=2']);
    const days = dailySlates(scenario);
    const epochs = slatesPerEpoch(scenario);
    expect(epochs).toHaveLength(3);
    expect(epochs[0]).toBeCloseTo(days[0] + days[1], 6);
    expect(epochs[1]).toBeCloseTo(days[2] + days[3], 6);
    expect(epochs[2]).toBeCloseTo(days[4] + days[5], 6); // day 5 is half a day: its slates already halved
    const halfDays = slatesPerEpoch(shipped('two-stage', ['horizon.days=2', 'recommender.retrain.every=0.5']));
    expect(Array.from(halfDays, (x) => Math.round(x))).toEqual([days[0] / 2, days[0] / 2, days[1] / 2, days[1] / 2].map(Math.round));
  });
});

describe('long horizons', () => {
  it('past a century the days go on at the last one\'s traffic and its sign-ups\' growth, without reckoning each', () => {
    const steady = ['world.users.churn.base=0', 'world.users.signups_per_day=0'];
    const day = dailySlates(shipped('popularity', steady))[0];
    const aeon = estimateTraffic(shipped('popularity', [...steady, 'horizon.days=1e12']));
    expect(aeon.slates / (1e12 * day)).toBeCloseTo(1, 6);
    expect(aeon.busiestWindow / (14 * day)).toBeCloseTo(1, 6);
    const growing = estimateTraffic(shipped('popularity', ['world.users.churn.base=0', 'horizon.days=1e12']));
    expect(growing.slates / aeon.slates).toBeGreaterThan(1e6); // 30 sign-ups a day for 10^12 days
    expect(Number.isFinite(growing.busiestWindow)).toBe(true);
  });
});

describe('the busiest log window', () => {
  it('is the most any run of that many days holds, or all of a shorter horizon', () => {
    const slates = Float64Array.from([1, 5, 2, 7, 1]);
    expect(mostSlatesInWindow(slates, 2)).toBe(9);
    expect(mostSlatesInWindow(slates, 3)).toBe(14);
    expect(mostSlatesInWindow(slates, 30)).toBe(16);
    expect(mostSlatesInWindow(slates, 0.5)).toBe(7);
  });
});

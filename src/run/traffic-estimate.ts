/**
 * How many slates a scenario's users will ask for, day by day, before any run. On the continuous
 * schedule traffic follows the users' satisfaction: the satisfaction user model brings a user back
 * base_per_day · e^(satisfaction_weight · (s − ½)) times a day at running satisfaction s, for up to
 * (1 − c^max_requests) / (1 − c) slates a session when each slate gets a watch (c: the chance to go
 * on after one), and a recommender that learns from its log raises s over the weeks. How fast and
 * how far is fitted to measured runs (docs/PERFORMANCE.md, "Resource estimate": the medium world
 * went from 3 slates a user a day to 18 by day 30); a world that is hard to serve rises more slowly.
 */
import type { Scenario } from '../scenario/index.js';
import { epochBounds } from '../simulation/simulation.js';
import { churnChance, returnsPerDay, slatesPerWatchedSession } from '../world/user-models/satisfaction.js';

/** Slates a user a day for a user model that does not say how it returns (a plug-in's). */
const UNKNOWN_MODEL_SLATES_PER_USER_DAY = 4;

/** The users' effective running satisfaction (the satisfaction model's units) on the first day. */
const FIRST_DAY_SATISFACTION = 0.33;

/**
 * How far a kind of recommender raises its users' running satisfaction, as a function of the
 * world's topic weight, and over how many days (linearly from the first day's).
 */
interface Serving {
  readonly satisfaction: (topicWeight: number) => number;
  readonly rampDays: number;
}

/**
 * Learning from its log (two-stage, bandit, a plug-in): its users come to watch items of their own
 * topics, so they reach the topical part of true utility, the topic weight times a cosine between
 * their tastes and their items. 3 slates a user a day at first, 19 by day 30 at a topic weight
 * of 3; 11 by day 40 at 2.
 */
const LEARNING: Serving = { satisfaction: (topicWeight) => 0.52 * topicWeight, rampDays: 30 };
/** Not learning what each user likes: users stay where they start, 2.7 slates a day. */
const UNLEARNED: Serving = { satisfaction: () => 0.27, rampDays: 0 };
const SERVING: Readonly<Record<string, Serving>> = {
  popularity: UNLEARNED,
  random: UNLEARNED,
  // Picks by the whole true utility (topics, latent tastes, quality) from the start: 33–39 slates a user a day by day 12.
  oracle: { satisfaction: () => 2, rampDays: 8 },
};

/** Days reckoned one by one; a longer horizon (beyond a century) goes on as its last day grows. */
const DAYS_RECKONED = 36_500;

/** Slates over the whole horizon, and in its busiest log window (what the log holds at its fullest). */
export interface TrafficEstimate {
  readonly slates: number;
  readonly busiestWindow: number;
}

export function estimateTraffic(scenario: Scenario): TrafficEstimate {
  const days = scenario.horizon.days;
  const window = Math.min(scenario.recommender.retrain.window, days);
  const { slates, growth } = reckon(scenario, Math.min(days, DAYS_RECKONED));
  const total = slates.reduce((sum, day) => sum + day, 0);
  const busiest = mostSlatesInWindow(slates, window);
  const beyond = days - DAYS_RECKONED;
  if (beyond <= 0) return { slates: total, busiestWindow: busiest };
  const last = slates[slates.length - 1];
  return { slates: total + beyond * last + (growth * beyond * beyond) / 2, busiestWindow: Math.max(busiest, window * (last + growth * beyond)) };
}

/** Slates asked for on each day of the horizon (the last one in proportion to its part of a day). */
export function dailySlates(scenario: Scenario): Float64Array {
  return reckon(scenario, scenario.horizon.days).slates;
}

/** Each day's slates, and how many more slates a day the sign-ups bring at the last day's rates. */
function reckon(scenario: Scenario, days: number): { slates: Float64Array; growth: number } {
  const { world } = scenario;
  const slates = new Float64Array(Math.ceil(days));
  let population = world.users.count;
  let perUser = 0;
  for (let day = 0; day < slates.length; day++) {
    const share = Math.min(1, days - day);
    // The steps schedule: each user once a step, whatever happened before.
    const today = scenario.schedule.kind === 'steps' ? { slatesPerUser: 1 / scenario.schedule.step, churnPerUser: 0 } : userDay(scenario, satisfactionOn(scenario, day));
    perUser = today.slatesPerUser;
    slates[day] = population * perUser * share;
    const churned = today.churnPerUser * share;
    population = churned >= 1 ? 0 : population * (1 - churned);
    population += world.users.signups_per_day * share;
  }
  return { slates, growth: world.users.signups_per_day * perUser };
}

/** Slates expected in each of the run's epochs (its retrain periods), for the time a run has left. */
export function slatesPerEpoch(scenario: Scenario): Float64Array {
  const days = scenario.horizon.days;
  const slates = dailySlates(scenario);
  return Float64Array.from(epochBounds(days, scenario.recommender.retrain.every), ({ start, end }) => {
    let total = 0;
    // Day d's slates spread evenly over its part of the horizon, [d, min(d + 1, days)).
    for (let d = Math.floor(start); d < Math.min(Math.ceil(end), slates.length); d++) {
      const dayEnd = Math.min(d + 1, days);
      const overlap = Math.min(end, dayEnd) - Math.max(start, d);
      if (overlap > 0) total += (slates[d] * overlap) / (dayEnd - d);
    }
    return total;
  });
}

/** The most slates any `window` consecutive days hold (all of them when there are fewer). */
export function mostSlatesInWindow(slates: Float64Array, window: number): number {
  const span = Math.max(1, Math.ceil(window));
  let sum = 0;
  let most = 0;
  for (let day = 0; day < slates.length; day++) {
    sum += slates[day] - (day >= span ? slates[day - span] : 0);
    most = Math.max(most, sum);
  }
  return most;
}

function satisfactionOn(scenario: Scenario, day: number): number {
  const { satisfaction, rampDays } = SERVING[scenario.recommender.kind] ?? LEARNING;
  const served = satisfaction(scenario.world.affinity.topic_weight);
  return FIRST_DAY_SATISFACTION + (served - FIRST_DAY_SATISFACTION) * Math.min(1, (day + 0.5) / rampDays);
}

/** One user's slates and chance of churning on a day at running satisfaction `s`. */
function userDay(scenario: Scenario, s: number): { slatesPerUser: number; churnPerUser: number } {
  const { users } = scenario.world;
  if (users.kind !== 'satisfaction') return { slatesPerUser: UNKNOWN_MODEL_SLATES_PER_USER_DAY, churnPerUser: 0 };
  const sessions = returnsPerDay(users, s);
  return { slatesPerUser: sessions * slatesPerWatchedSession(users), churnPerUser: Math.min(1, sessions * churnChance(users, s)) };
}

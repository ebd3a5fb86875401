/**
 * Activity: who showed up, who came back, who left.
 *
 * A user is *active* at time t when they have a `session_start` or a `slate` event at t.
 * Days are whole simulated days: day d is [d, d+1).
 *
 * - `active_users`: distinct active users in the epoch.
 * - `daily_active_users`: mean, over the whole days d with [d, d+1) inside the epoch, of the
 *   distinct users active on day d. When no whole day fits inside the epoch (epochs shorter
 *   than a day, or misaligned with day boundaries), it is the distinct active users of the
 *   epoch, i.e. equal to `active_users`.
 * - `sessions`: session_start events. `signups`, `churned`: those events this epoch.
 * - `population`: users whose signup time is before the epoch end and who have not churned.
 * - `return_rate`: of users active in the previous epoch, the share active in this one; 0 in
 *   the first epoch or when nobody was active in the previous one.
 * - `retention_7d`: let D be the day holding the epoch's last instant (D = end − 1 when the end
 *   is a whole day). Cohort: users active on some day in D−13..D−7 (for integer end, the
 *   window [end−14, end−7)); retained: those of them also active on some day in D−6..D
 *   ([end−7, end)). Share retained; 0 when the cohort is empty (in particular before anyone
 *   has 8 days of history). Windows before day 0 are simply empty, so early epochs see a
 *   partial cohort window. Churned users stay in the cohort and count as not retained.
 * - `retention_30d`: the same a month apart: cohort, users active on some day in D−59..D−30;
 *   retained, those also active in D−29..D; 0 (undefined) before day 31.
 * - `new_user_retention_7d`, `established_retention_7d`: retention_7d's cohort split by sign-up.
 *   New: signed up during the run (a `signup` event; the starting population did not) on a day
 *   of the cohort window D−13..D−7; established: the rest of the cohort, who signed up before
 *   it. `new_user_retention_30d`, `established_retention_30d` split retention_30d's cohort the
 *   same way (window D−59..D−30). `new_user_cohort_7d`, `new_user_cohort_30d` count the new
 *   users in each cohort: the new-user figures are undefined (0) when it is empty.
 * - `active_days_7d`: mean over the population at the epoch's end (see `population`) of the
 *   days each user was active in D−6..D: how often people come, not only whether.
 * - `mean_session_satisfaction`: mean `satisfaction` over session_end events; 0 when none.
 *
 * State per user: epoch stamp (Int32), last active day (Int32) and a 64-day activity bitmask
 * in two 32-bit words (bit i = active on day lastDay − i, shifted as days pass), churned flag
 * (Uint8). Cost: O(1) per event; O(users) per epoch (population and retention scans).
 *
 * Assumes each user's events arrive in non-decreasing time (a DES emits them that way); a
 * late event at most 63 days behind the user's latest one is still recorded exactly.
 */
import { ensureLength, EpochIdSet, ratio } from './arrays.js';
import { metricFamily, type MetricDeclarations } from './declaration.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

/** In panel order where charted (long-term: session satisfaction, return rate, retention, daily active users). */
export const ACTIVITY_METRICS = {
  active_users: { label: 'Active users', unit: 'users', format: 'count', description: 'distinct, per epoch', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: true, chart: null, headline: false },
  sessions: { label: 'Sessions', unit: 'sessions', format: 'count', description: 'per epoch', better: 'higher', defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  signups: { label: 'Sign-ups', unit: 'users', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  churned: { label: 'Churned users', unit: 'users', format: 'count', description: 'per epoch', better: 'lower', defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  population: { label: 'Population', unit: 'users', format: 'count', description: 'signed up and not churned', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: true, chart: null, headline: false },
  mean_session_satisfaction: { label: 'Session satisfaction', unit: 'score', format: 'number', description: 'mean at session end', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'long_term', headline: false },
  return_rate: {
    label: 'Return rate', unit: '% returning', format: 'percent', description: "of the previous epoch's active users", better: 'higher',
    defined: { test: (row) => row.epoch !== undefined && row.epoch >= 1, note: 'undefined in the first epoch' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'long_term', headline: true,
  },
  retention_7d: {
    label: '7-day retention', unit: '% retained', format: 'percent', description: 'of users active the week before', better: 'higher',
    defined: { test: (row) => row.day_end === undefined || row.day_end >= 8, note: 'undefined before day 8 (no cohort yet)' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'long_term', headline: false,
  },
  retention_30d: {
    label: '30-day retention', unit: '% retained', format: 'percent', description: 'of users active 30–59 days before', better: 'higher',
    defined: { test: (row) => row.day_end === undefined || row.day_end >= 31, note: 'undefined before day 31 (no cohort yet)' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'long_term', headline: false,
  },
  new_user_retention_7d: {
    label: 'New users’ 7-day retention', unit: '% retained', format: 'percent', description: 'of users who signed up the week before', better: 'higher',
    defined: { test: (row) => row.new_user_cohort_7d === undefined || row.new_user_cohort_7d > 0, note: 'undefined without sign-ups 7–13 days before' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  established_retention_7d: {
    label: 'Established users’ 7-day retention', unit: '% retained', format: 'percent', description: 'of users active the week before who signed up earlier', better: 'higher',
    defined: { test: (row) => row.day_end === undefined || row.day_end >= 8, note: 'undefined before day 8 (no cohort yet)' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_user_retention_30d: {
    label: 'New users’ 30-day retention', unit: '% retained', format: 'percent', description: 'of users who signed up 30–59 days before', better: 'higher',
    defined: { test: (row) => row.new_user_cohort_30d === undefined || row.new_user_cohort_30d > 0, note: 'undefined without sign-ups 30–59 days before' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  established_retention_30d: {
    label: 'Established users’ 30-day retention', unit: '% retained', format: 'percent', description: 'of users active 30–59 days before who signed up earlier', better: 'higher',
    defined: { test: (row) => row.day_end === undefined || row.day_end >= 31, note: 'undefined before day 31 (no cohort yet)' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_user_cohort_7d: { label: 'New users in the 7-day cohort', unit: 'users', format: 'count', description: 'signed up 7–13 days before', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: true, chart: null, headline: false },
  new_user_cohort_30d: { label: 'New users in the 30-day cohort', unit: 'users', format: 'count', description: 'signed up 30–59 days before', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: true, chart: null, headline: false },
  active_days_7d: { label: 'Active days per user', unit: 'days of the last 7', format: 'number', description: 'mean over the population', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'long_term', headline: false },
  daily_active_users: { label: 'Daily active users', unit: 'users', format: 'count', description: 'distinct users per day, mean over the epoch', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: true, chart: 'long_term', headline: true },
} as const satisfies MetricDeclarations;

type ActivityRecord = Record<keyof typeof ACTIVITY_METRICS, number>;

/** A retention cohort split by sign-up: established users (cohort, retained) and new ones. */
interface RetentionCounts {
  cohort: number;
  retained: number;
  newCohort: number;
  newRetained: number;
}


const NEVER = -0x80000000;
const MASK_DAYS = 64;
/** Low word, bits 0..6: days D−6..D. */
const RECENT_WEEK = 0x007f;
/** Low word, bits 7..13: days D−13..D−7. */
const PREVIOUS_WEEK = 0x3f80;
/** Low word, bits 0..29: days D−29..D. */
const RECENT_MONTH = 0x3fffffff;
/** Days D−59..D−30: bits 30..31 of the low word and 0..27 of the high one. */
const PREVIOUS_MONTH_LOW = 0xc0000000;
const PREVIOUS_MONTH_HIGH = 0x0fffffff;
/** Tolerance for float noise in epoch bounds when finding whole days. */
const DAY_EPS = 1e-9;

export class ActivityMetric implements Metric {
  private readonly active = new EpochIdSet();
  private lastDay = new Int32Array(0);
  /** Days lastDay − 0..31 (bit i = lastDay − i), and lastDay − 32..63. */
  private maskLow = new Uint32Array(0);
  private maskHigh = new Uint32Array(0);
  private churnedFlag = new Uint8Array(0);
  private userLimit = 0;
  /** Distinct active users per day, for days touched this epoch. */
  private readonly dayCounts = new Map<number, number>();
  private returned = 0;
  private sessions = 0;
  private signups = 0;
  private churned = 0;
  private satisfactionSum = 0;
  private satisfactionCount = 0;

  constructor(private readonly world: WorldView) {}

  observe(event: SimEvent): void {
    switch (event.kind) {
      case 'slate':
        this.markActive(event.userId, event.time);
        break;
      case 'session_start':
        this.sessions++;
        this.markActive(event.userId, event.time);
        break;
      case 'session_end':
        if (Number.isFinite(event.satisfaction)) {
          this.satisfactionSum += event.satisfaction;
          this.satisfactionCount++;
        }
        break;
      case 'signup':
        this.signups++;
        this.grow(event.userId);
        break;
      case 'churn':
        this.grow(event.userId);
        if (this.churnedFlag[event.userId] === 0) {
          this.churnedFlag[event.userId] = 1;
          this.churned++;
        }
        break;
      default:
        break;
    }
  }

  endEpoch(bounds: EpochBounds): ActivityRecord {
    const week = this.retention(bounds.end, RECENT_WEEK, PREVIOUS_WEEK, 0, 13);
    const month = this.retention(bounds.end, RECENT_MONTH, PREVIOUS_MONTH_LOW, PREVIOUS_MONTH_HIGH, 59);
    const record: ActivityRecord = {
      active_users: this.active.size,
      daily_active_users: this.dailyActiveUsers(bounds),
      sessions: this.sessions,
      signups: this.signups,
      churned: this.churned,
      population: this.population(bounds.end),
      return_rate: ratio(this.returned, this.active.previousSize),
      retention_7d: ratio(week.retained + week.newRetained, week.cohort + week.newCohort),
      retention_30d: ratio(month.retained + month.newRetained, month.cohort + month.newCohort),
      new_user_retention_7d: ratio(week.newRetained, week.newCohort),
      established_retention_7d: ratio(week.retained, week.cohort),
      new_user_retention_30d: ratio(month.newRetained, month.newCohort),
      established_retention_30d: ratio(month.retained, month.cohort),
      new_user_cohort_7d: week.newCohort,
      new_user_cohort_30d: month.newCohort,
      active_days_7d: this.activeDaysPerUser(bounds.end),
      mean_session_satisfaction: ratio(this.satisfactionSum, this.satisfactionCount),
    };
    this.active.nextEpoch();
    this.dayCounts.clear();
    this.returned = 0;
    this.sessions = 0;
    this.signups = 0;
    this.churned = 0;
    this.satisfactionSum = 0;
    this.satisfactionCount = 0;
    return record;
  }

  private grow(userId: number): void {
    if (userId < this.userLimit) return;
    this.userLimit = userId + 1;
    this.lastDay = ensureLength(this.lastDay, this.userLimit, NEVER);
    this.maskLow = ensureLength(this.maskLow, this.userLimit, 0);
    this.maskHigh = ensureLength(this.maskHigh, this.userLimit, 0);
    this.churnedFlag = ensureLength(this.churnedFlag, this.userLimit, 0);
  }

  private markActive(userId: number, time: number): void {
    this.grow(userId);
    const wasActiveBefore = this.active.inPreviousEpoch(userId);
    if (this.active.add(userId) && wasActiveBefore) this.returned++;

    const day = Math.floor(time);
    const last = this.lastDay[userId];
    let newDay: boolean;
    if (last === NEVER || day > last) {
      this.alignedMask(userId, last === NEVER ? MASK_DAYS : day - last);
      this.maskLow[userId] = (aligned.low | 1) >>> 0;
      this.maskHigh[userId] = aligned.high;
      this.lastDay[userId] = day;
      newDay = true;
    } else {
      const offset = last - day;
      if (offset < MASK_DAYS) {
        const words = offset < 32 ? this.maskLow : this.maskHigh;
        const bit = (1 << offset % 32) >>> 0;
        newDay = (words[userId] & bit) === 0;
        words[userId] = (words[userId] | bit) >>> 0;
      } else {
        newDay = true; // only with events over 63 days out of order: assume a new day
      }
    }
    if (newDay) this.dayCounts.set(day, (this.dayCounts.get(day) ?? 0) + 1);
  }

  private dailyActiveUsers(bounds: EpochBounds): number {
    const first = Math.ceil(bounds.start - DAY_EPS);
    const endExclusive = Math.floor(bounds.end + DAY_EPS);
    const days = endExclusive - first;
    if (days < 1) return this.active.size;
    let sum = 0;
    for (let d = first; d < endExclusive; d++) sum += this.dayCounts.get(d) ?? 0;
    return sum / days;
  }

  private population(end: number): number {
    const { world } = this;
    const n = world.userCount();
    let count = 0;
    for (let u = 0; u < n; u++) {
      if (u < this.userLimit && this.churnedFlag[u] !== 0) continue;
      if (world.userSignupTime(u) < end) count++;
    }
    return count;
  }

  /**
   * The cohort (active on a day of the `before` bits, counted back from the epoch's last day)
   * and those of it also active on a day of the `recent` bits, split into users who signed up
   * in the run no more than `windowDays` days before that last day (new) and the others.
   */
  private retention(end: number, recent: number, beforeLow: number, beforeHigh: number, windowDays: number): RetentionCounts {
    const lastEpochDay = Math.ceil(end - DAY_EPS) - 1;
    const counts: RetentionCounts = { cohort: 0, retained: 0, newCohort: 0, newRetained: 0 };
    for (let u = 0; u < this.userLimit; u++) {
      const last = this.lastDay[u];
      if (last === NEVER || lastEpochDay - last >= MASK_DAYS) continue;
      this.alignedMask(u, lastEpochDay - last);
      if ((aligned.low & beforeLow) === 0 && (aligned.high & beforeHigh) === 0) continue;
      const signup = this.world.userSignupTime(u);
      const isNew = signup > 0 && Math.floor(signup) >= lastEpochDay - windowDays;
      const kept = (aligned.low & recent) !== 0 ? 1 : 0;
      if (isNew) {
        counts.newCohort++;
        counts.newRetained += kept;
      } else {
        counts.cohort++;
        counts.retained += kept;
      }
    }
    return counts;
  }

  /** Mean over the population at `end` of its users' active days in the epoch's last 7 days. */
  private activeDaysPerUser(end: number): number {
    const lastEpochDay = Math.ceil(end - DAY_EPS) - 1;
    let days = 0;
    for (let u = 0; u < this.userLimit; u++) {
      const last = this.lastDay[u];
      if (last === NEVER || this.churnedFlag[u] !== 0 || lastEpochDay - last >= MASK_DAYS) continue;
      this.alignedMask(u, lastEpochDay - last);
      days += bitCount(aligned.low & RECENT_WEEK);
    }
    return ratio(days, this.population(end));
  }

  /** The user's mask moved `shift` days on (a negative shift moves it back), into `aligned`. */
  private alignedMask(userId: number, shift: number): void {
    const low = this.maskLow[userId];
    const high = this.maskHigh[userId];
    if (shift >= MASK_DAYS || -shift >= MASK_DAYS) {
      aligned.low = 0;
      aligned.high = 0;
    } else if (shift >= 32) {
      aligned.low = 0;
      aligned.high = (low << (shift - 32)) >>> 0;
    } else if (shift > 0) {
      aligned.low = (low << shift) >>> 0;
      aligned.high = ((high << shift) | (low >>> (32 - shift))) >>> 0;
    } else if (shift === 0) {
      aligned.low = low;
      aligned.high = high;
    } else if (-shift >= 32) {
      aligned.low = high >>> (-shift - 32);
      aligned.high = 0;
    } else {
      aligned.low = ((low >>> -shift) | (high << (32 + shift))) >>> 0;
      aligned.high = high >>> -shift;
    }
  }
}

/** Scratch for alignedMask: one user's 64-day mask as two unsigned 32-bit words. */
const aligned = { low: 0, high: 0 };

function bitCount(word: number): number {
  let n = 0;
  for (let w = word >>> 0; w !== 0; w &= w - 1) n++;
  return n;
}

export const ACTIVITY_FAMILY = metricFamily({ metrics: ACTIVITY_METRICS, patterns: [], settings: {}, create: (world) => new ActivityMetric(world) });

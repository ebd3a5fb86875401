/**
 * New users' first steps: how soon the loop finds something for people it knows nothing about.
 * A user is new when a `signup` event brought them (the starting population has none).
 *
 * A slate *satisfies* when its click's true utility is at least `satisfying_utility` (default
 * 0.625: from there the expected survey answer, 3 + 0.8 × utility, rounds to 4 or better, so the
 * user is more likely to call it good than not; world/response.ts).
 *
 * - `sessions_to_satisfaction_median`: over new users first satisfied this epoch, the median
 *   number of their sessions up to and including that one (1: in the first session). Without
 *   sessions (the steps schedule) each slate counts as a session. Undefined (0) in epochs where
 *   no new user was first satisfied.
 * - `new_users_satisfied_first_week`: of the new users whose first week (`NEW_USER_DAYS` from
 *   sign-up, as the tenure slice) ended this epoch, the share who had a satisfying slate in it.
 *   Users who churned count as not satisfied unless they were satisfied before. Undefined (0)
 *   when no first week ended this epoch.
 * - `new_users_first_satisfied`, `new_users_first_week_ended`: the counts those rest on.
 *
 * State per user: four numbers. Cost O(1) per event; O(new users whose week ended) per epoch.
 */
import { ensureLength, ratio } from './arrays.js';
import { metricFamily, type MetricDeclarations } from './declaration.js';
import { NEW_USER_DAYS } from './slices.js';
import { median } from './stats.js';
import { z } from 'zod';
import type { EpochBounds, Metric, SimEvent } from './types.js';

export const NEW_USER_METRICS = {
  sessions_to_satisfaction_median: {
    label: 'New users’ sessions to a satisfying slate', unit: 'sessions', format: 'number', description: 'median, new users first satisfied this epoch', better: 'lower',
    defined: { test: (row) => row.new_users_first_satisfied === undefined || row.new_users_first_satisfied > 0, note: 'undefined in epochs where no new user was first satisfied' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_users_satisfied_first_week: {
    label: 'New users satisfied in their first week', unit: '% of new users', format: 'percent', description: 'whose first week ended this epoch', better: 'higher',
    defined: { test: (row) => row.new_users_first_week_ended === undefined || row.new_users_first_week_ended > 0, note: 'undefined in epochs where no new user’s first week ended' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_users_first_satisfied: { label: 'New users first satisfied', unit: 'users', format: 'count', description: 'per epoch', better: 'higher', defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
  new_users_first_week_ended: { label: 'New users’ first weeks ended', unit: 'users', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: true, chart: null, headline: false },
} as const satisfies MetricDeclarations;

type NewUserRecord = Record<keyof typeof NEW_USER_METRICS, number>;

const NOT_NEW = -1;

export class NewUserMetric implements Metric {
  /** Sign-up time, or NOT_NEW. */
  private signedUp = new Float64Array(0);
  private sessions = new Int32Array(0);
  private slates = new Int32Array(0);
  /** Time of the first satisfying slate, or Infinity. */
  private satisfiedAt = new Float64Array(0);
  /** New users in sign-up order; `nextWeekEnd` is the first whose week has not been judged. */
  private readonly newUsers: number[] = [];
  private nextWeekEnd = 0;
  private firstSatisfied: number[] = [];

  constructor(private readonly satisfyingUtility: number) {}

  observe(event: SimEvent): void {
    switch (event.kind) {
      case 'signup': {
        const id = event.userId;
        this.grow(id);
        if (this.signedUp[id] !== NOT_NEW) break; // a repeated event
        this.signedUp[id] = event.time;
        this.newUsers.push(id);
        break;
      }
      case 'session_start':
        if (this.isWaiting(event.userId)) this.sessions[event.userId]++;
        break;
      case 'slate': {
        const id = event.userId;
        if (!this.isWaiting(id)) break;
        this.slates[id]++;
        if (event.clicked >= 0 && event.trueUtility >= this.satisfyingUtility) {
          this.satisfiedAt[id] = event.time;
          this.firstSatisfied.push(this.sessions[id] > 0 ? this.sessions[id] : this.slates[id]);
        }
        break;
      }
      default:
        break;
    }
  }

  endEpoch(bounds: EpochBounds): NewUserRecord {
    let ended = 0;
    let satisfied = 0;
    // Sign-ups arrive in time order, so the users whose week ended are a prefix of those left.
    while (this.nextWeekEnd < this.newUsers.length) {
      const id = this.newUsers[this.nextWeekEnd];
      const weekEnd = this.signedUp[id] + NEW_USER_DAYS;
      if (weekEnd > bounds.end) break;
      ended++;
      if (this.satisfiedAt[id] < weekEnd) satisfied++;
      this.nextWeekEnd++;
    }
    const record: NewUserRecord = {
      sessions_to_satisfaction_median: median(this.firstSatisfied),
      new_users_satisfied_first_week: ratio(satisfied, ended),
      new_users_first_satisfied: this.firstSatisfied.length,
      new_users_first_week_ended: ended,
    };
    this.firstSatisfied = [];
    return record;
  }

  /** A new user not yet satisfied. */
  private isWaiting(id: number): boolean {
    return id < this.signedUp.length && this.signedUp[id] !== NOT_NEW && this.satisfiedAt[id] === Infinity;
  }

  private grow(id: number): void {
    if (id < this.signedUp.length) return;
    this.signedUp = ensureLength(this.signedUp, id + 1, NOT_NEW);
    this.sessions = ensureLength(this.sessions, id + 1, 0);
    this.slates = ensureLength(this.slates, id + 1, 0);
    this.satisfiedAt = ensureLength(this.satisfiedAt, id + 1, Infinity);
  }
}

export const NEW_USER_FAMILY = metricFamily({
  metrics: NEW_USER_METRICS,
  patterns: [],
  settings: {
    /** A slate whose click has at least this true utility satisfies. */
    satisfying_utility: z.number().finite().prefault(0.625),
  },
  create: (_world, settings) => new NewUserMetric(settings.satisfying_utility),
});

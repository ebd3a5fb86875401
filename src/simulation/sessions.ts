/**
 * The user's side of the loop: what a user does with a slate (choose, watch, respond), how a
 * session goes on or ends (patience, continuation, the request cap), and what a finished
 * session does to the user (running satisfaction, churn, when they come back).
 */
import type { SimEvent } from '../metrics/types.js';
import type { Slate } from '../recommender/types.js';
import { MINUTES_PER_DAY } from '../scenario/duration.js';
import type { Response } from '../world/response.js';
import type { World } from '../world/world.js';

export interface SlateOutcome {
  /** Clicked position or -1. */
  readonly clicked: number;
  readonly response?: Response;
  /** True utility of the watched item; NaN without a click. */
  readonly trueUtility: number;
}

export type FollowUp = { readonly kind: 'request'; readonly delay: number } | { readonly kind: 'end' };

interface ActiveSession {
  requests: number;
  badSlates: number;
  utilitySum: number;
}

/** What a slate without a click costs a session's satisfaction. */
const EMPTY_SLATE_COST = 0.25;
/** Session satisfaction at which return and churn rates equal their scenario base values. */
const NEUTRAL_SATISFACTION = 0.5;

export class SessionTracker {
  private readonly active = new Map<number, ActiveSession>();
  private readonly clickUtilities: number[] = [];

  constructor(
    private readonly world: World,
    private readonly emit: (event: SimEvent) => void,
  ) {}

  start(userId: number, time: number): void {
    this.active.set(userId, { requests: 0, badSlates: 0, utilitySum: 0 });
    this.emit({ kind: 'session_start', time, userId });
  }

  requestsSoFar(userId: number): number {
    return this.active.get(userId)?.requests ?? 0;
  }

  /** The user looks at the slate, maybe clicks, and watches. */
  present(userId: number, slate: Slate, time: number): SlateOutcome {
    const { users, items, utility, choice, response, rng } = this.world;
    const user = users.stateOf(userId);
    users.recover(user, time);
    const request = this.requestsSoFar(userId);
    const u = this.clickUtilities;
    u.length = slate.entries.length;
    for (let p = 0; p < u.length; p++) u[p] = utility.clickUtility(user, items.truthOf(slate.entries[p].itemId));
    const clicked = choice.choose(u, rng.choice.at(userId, user.sessions, request));
    if (clicked < 0) return { clicked, trueUtility: Number.NaN };
    const itemId = slate.entries[clicked].itemId;
    const item = items.truthOf(itemId);
    const trueUtility = utility.trueUtility(user, item);
    const watched = response.respond(trueUtility, items.public.get(itemId).lengthMinutes, rng.response.at(userId, user.sessions, request));
    users.consume(user, item);
    return { clicked, response: watched, trueUtility };
  }

  /** Continuous schedule: ask for another slate, or end the session. */
  next(userId: number, outcome: SlateOutcome): FollowUp {
    const session = this.active.get(userId);
    if (!session) throw new Error(`user ${userId} has no active session`);
    const { sessions } = this.world.config.users;
    session.requests += 1;
    let goOn: boolean;
    let delay = sessions.think_time;
    if (outcome.response) {
      session.utilitySum += outcome.trueUtility;
      const user = this.world.users.stateOf(userId);
      goOn = this.world.rng.sessions.at(userId, user.sessions, session.requests).bernoulli(sessions.continue_after_watch);
      delay += outcome.response.watchMinutes / MINUTES_PER_DAY;
    } else {
      session.badSlates += 1;
      session.utilitySum -= EMPTY_SLATE_COST;
      goOn = session.badSlates < this.world.users.stateOf(userId).patience;
    }
    return goOn && session.requests < sessions.max_requests ? { kind: 'request', delay } : { kind: 'end' };
  }

  /** Closes the session; returns when the user comes back, or undefined if they churned. */
  end(userId: number, time: number): number | undefined {
    const session = this.active.get(userId);
    if (!session) throw new Error(`user ${userId} has no active session`);
    this.active.delete(userId);
    const satisfaction = session.utilitySum / Math.max(1, session.requests);
    const user = this.world.users.stateOf(userId);
    this.world.users.recordSession(user, satisfaction);
    this.emit({ kind: 'session_end', time, userId, satisfaction });
    const { returns, churn } = this.world.config.users;
    const relative = user.satisfaction - NEUTRAL_SATISFACTION;
    const rng = this.world.rng.sessions.at(userId, user.sessions, 0);
    if (rng.bernoulli(Math.min(1, churn.base * Math.exp(-churn.satisfaction_weight * relative)))) {
      user.churned = true;
      this.emit({ kind: 'churn', time, userId });
      return undefined;
    }
    return time + rng.exponential(returns.base_per_day * Math.exp(returns.satisfaction_weight * relative));
  }

  /** Synchronous schedule: each step is a one-slate session. */
  recordStep(userId: number, outcome: SlateOutcome): void {
    const user = this.world.users.stateOf(userId);
    this.world.users.recordSession(user, outcome.response ? outcome.trueUtility : -EMPTY_SLATE_COST);
  }
}

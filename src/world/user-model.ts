/**
 * What a simulated user does, as one interface: their hidden state (preferences, satiation and
 * whatever else drives them), which item of a slate they click, how they respond to it, whether
 * the session goes on, when they come back and whether they leave for good. The loop
 * (simulation/sessions.ts) only keeps the session count and tells the metrics; every decision
 * is here. Models are declared in user-models/ and listed in user-models/registry.ts.
 *
 * Every draw must come from the world's keyed streams (world.ts, WorldStreams), keyed by user,
 * session and request, so twin arms stay aligned. Ground truth: only the world, metrics, oracle
 * baselines and off-policy evaluation's truth may call this; a recommender never sees it.
 */
import type { Rng } from '../rng/index.js';
import type { Response } from './response.js';
import type { UserState } from './users.js';

export interface SlateOutcome {
  /** Clicked position or -1. */
  readonly clicked: number;
  readonly response?: Response;
  /** True utility of the watched item; NaN without a click. */
  readonly trueUtility: number;
}

/** After a slate: ask for another one `delay` days later, or end the session. */
export type FollowUp = { readonly kind: 'request'; readonly delay: number } | { readonly kind: 'end' };

export interface SessionEnding {
  /** The session's satisfaction, as reported in the session_end event. */
  readonly satisfaction: number;
  /** When the user comes back (days), or undefined if they churned. */
  readonly returnAt: number | undefined;
}

export interface UserModel {
  /** Draws user `userId`'s hidden state from the population stream (users are created in id order). */
  newUser(userId: number, signupTime: number, rng: Rng): UserState;

  /** The user looks at the slate (item ids, top first), maybe clicks, and watches; their state follows. */
  react(userId: number, items: ArrayLike<number>, time: number, requestInSession: number): SlateOutcome;

  /** Ground truth for off-policy evaluation: each position's click chance now; the user's state is not changed. */
  clickProbabilities(userId: number, items: ArrayLike<number>, time: number): Float64Array;

  /** Ground truth for oracle baselines: the expected true utility of watching the item now. */
  trueUtility(userId: number, itemId: number, time: number): number;

  /** Days until an initial user's first visit. */
  firstVisit(userId: number): number;

  startSession(userId: number, time: number): void;

  /** After the session's `requests`-th slate (counted from 1): another request, or the end. */
  afterSlate(userId: number, requests: number, outcome: SlateOutcome): FollowUp;

  /** Closes a session of `requests` slates: satisfaction, churn, and the time of return. */
  endSession(userId: number, requests: number, time: number): SessionEnding;

  /** Synchronous schedule: one slate stands for a whole session. */
  endStep(userId: number, outcome: SlateOutcome): void;
}

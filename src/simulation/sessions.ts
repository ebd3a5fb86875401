/**
 * The loop's side of sessions: which users are in one and how many slates they have asked for,
 * and the events the metrics see (session start and end, churn). What the user does with a
 * slate, whether the session goes on, when they return and whether they churn is the world's
 * user model (world/user-model.ts).
 */
import type { SimEvent } from '../metrics/types.js';
import type { Slate } from '../recommender/types.js';
import type { FollowUp, SlateOutcome } from '../world/user-model.js';
import type { World } from '../world/world.js';

export type { FollowUp, SlateOutcome } from '../world/user-model.js';

interface ActiveSession {
  requests: number;
}

export class SessionTracker {
  private readonly active = new Map<number, ActiveSession>();
  /** Reused between slates: users react one at a time. */
  private readonly items: number[] = [];

  constructor(
    private readonly world: World,
    private readonly emit: (event: SimEvent) => void,
  ) {}

  start(userId: number, time: number): void {
    this.active.set(userId, { requests: 0 });
    this.world.userModel.startSession(userId, time);
    this.emit({ kind: 'session_start', time, userId });
  }

  requestsSoFar(userId: number): number {
    return this.active.get(userId)?.requests ?? 0;
  }

  /** The user looks at the slate, maybe clicks, and watches. */
  present(userId: number, slate: Slate, time: number): SlateOutcome {
    const items = this.items;
    items.length = slate.entries.length;
    for (let p = 0; p < items.length; p++) items[p] = slate.entries[p].itemId;
    return this.world.userModel.react(userId, items, time, this.requestsSoFar(userId));
  }

  /** Continuous schedule: ask for another slate, or end the session. */
  next(userId: number, outcome: SlateOutcome): FollowUp {
    const session = this.sessionOf(userId);
    session.requests += 1;
    return this.world.userModel.afterSlate(userId, session.requests, outcome);
  }

  /** Closes the session; returns when the user comes back, or undefined if they churned. */
  end(userId: number, time: number): number | undefined {
    const session = this.sessionOf(userId);
    this.active.delete(userId);
    const { satisfaction, returnAt } = this.world.userModel.endSession(userId, session.requests, time);
    this.emit({ kind: 'session_end', time, userId, satisfaction });
    if (returnAt === undefined) this.emit({ kind: 'churn', time, userId });
    return returnAt;
  }

  /** Synchronous schedule: each step is a one-slate session. */
  recordStep(userId: number, outcome: SlateOutcome): void {
    this.world.userModel.endStep(userId, outcome);
  }

  private sessionOf(userId: number): ActiveSession {
    const session = this.active.get(userId);
    if (!session) throw new Error(`user ${userId} has no active session`);
    return session;
  }
}

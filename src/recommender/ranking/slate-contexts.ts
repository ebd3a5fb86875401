/**
 * The request context of each served slate (hour, device, past sessions, request in session),
 * kept from the streamed feedback because the impression log does not carry it. Training looks
 * a logged slate up by id to rebuild the features it was served with, and to find where the
 * user's sessions started (for the next-day return label). Slate ids grow with time,
 * so the store is a window of columns from `base` on, compacted when old slates are dropped.
 */
import type { RecRequest } from '../types.js';
import { DEVICES, type Device } from '../../world/public.js';

export interface RequestContext {
  readonly userId: number;
  readonly time: number;
  readonly hourOfDay: number;
  readonly device: Device;
  readonly pastSessions: number;
  readonly requestInSession: number;
}

export class SlateContexts {
  private base = 0;
  private count = 0;
  private known = new Uint8Array(1024);
  private hour = new Uint8Array(1024);
  private device = new Uint8Array(1024);
  private pastSessions = new Int32Array(1024);
  private requestInSession = new Int32Array(1024);

  record(request: RecRequest): void {
    const i = request.slateId - this.base;
    if (i < 0) return; // older than the window kept
    this.ensure(i);
    this.known[i] = 1;
    this.hour[i] = request.hourOfDay;
    this.device[i] = DEVICES.indexOf(request.device);
    this.pastSessions[i] = request.pastSessions;
    this.requestInSession[i] = request.requestInSession;
    this.count = Math.max(this.count, i + 1);
  }

  /** Writes the slate's context into `into` and returns true, or returns false when it was never observed. */
  lookup(slateId: number, into: { hourOfDay: number; device: Device; pastSessions: number; requestInSession: number }): boolean {
    const i = slateId - this.base;
    if (i < 0 || i >= this.count || this.known[i] === 0) return false;
    into.hourOfDay = this.hour[i];
    into.device = DEVICES[this.device[i]];
    into.pastSessions = this.pastSessions[i];
    into.requestInSession = this.requestInSession[i];
    return true;
  }

  /** Whether the slate's request opened a session (request in session 0); undefined when it was never observed. */
  startedSession(slateId: number): boolean | undefined {
    const i = slateId - this.base;
    if (i < 0 || i >= this.count || this.known[i] === 0) return undefined;
    return this.requestInSession[i] === 0;
  }

  /** Forgets slates with ids below `slateId` (they have left the log window). */
  dropBefore(slateId: number): void {
    const shift = slateId - this.base;
    if (shift <= 0) return;
    if (shift >= this.count) {
      this.known.fill(0, 0, this.count);
      this.count = 0;
      this.base = slateId;
      return;
    }
    for (const column of [this.known, this.hour, this.device, this.pastSessions, this.requestInSession]) column.copyWithin(0, shift, this.count);
    this.known.fill(0, this.count - shift, this.count);
    this.count -= shift;
    this.base += shift;
  }

  private ensure(i: number): void {
    if (i < this.known.length) return;
    const size = Math.max(i + 1, this.known.length * 2);
    this.known = grow(this.known, new Uint8Array(size));
    this.hour = grow(this.hour, new Uint8Array(size));
    this.device = grow(this.device, new Uint8Array(size));
    this.pastSessions = grow(this.pastSessions, new Int32Array(size));
    this.requestInSession = grow(this.requestInSession, new Int32Array(size));
  }
}

function grow<T extends Uint8Array | Int32Array>(old: T, next: T): T {
  next.set(old);
  return next;
}

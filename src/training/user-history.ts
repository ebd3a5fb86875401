/**
 * Each user's most recent clicks (item and time), kept from the streamed slate feedback: the
 * watch history that user towers and content sources read. Bounded per user, so memory is
 * O(users × length) whatever the run length.
 *
 * One ring of `length` slots per user, all users' rings in one pair of arrays indexed by user id:
 * two small typed arrays per user cost two objects and two backing stores each, which at 100k users
 * and several components keeping a history was hundreds of thousands of objects for the
 * collector to trace and sweep.
 */
import { grown } from '../core/typed-arrays.js';

export class UserHistory {
  /** User u's ring: slots u·length .. (u + 1)·length − 1. */
  private items = new Int32Array(0);
  private times = new Float64Array(0);
  /** Clicks ever recorded per user; the ring position is count % length. */
  private counts = new Int32Array(0);

  constructor(readonly length: number) {
    if (!Number.isInteger(length) || length < 1) throw new RangeError(`history length must be a whole number of 1 or more, got ${length}`);
  }

  record(userId: number, itemId: number, time: number): void {
    if (userId >= this.counts.length) this.grow(userId + 1);
    const count = this.counts[userId];
    const slot = userId * this.length + (count % this.length);
    this.items[slot] = itemId;
    this.times[slot] = time;
    this.counts[userId] = count + 1;
  }

  /** Clicks recorded for the user so far (not capped by the history length). */
  clicks(userId: number): number {
    return this.counts[userId] ?? 0;
  }

  /**
   * The user's recent clicks, newest first: their items into items[at ..] and, if given, their
   * times into times[at ..]; returns how many (at most `length`). Read per request by several
   * sources and the ranker, so it fills the caller's arrays instead of making an object a click.
   */
  recentInto(userId: number, items: Int32Array, times?: Float64Array, at = 0): number {
    const count = this.counts[userId] ?? 0;
    const { length } = this;
    const n = Math.min(count, length);
    if (n === 0) return 0;
    const base = userId * length;
    for (let k = 0; k < n; k++) {
      const slot = base + ((count - 1 - k) % length);
      items[at + k] = this.items[slot];
      if (times) times[at + k] = this.times[slot];
    }
    return n;
  }

  /** Room for `users` users and a quarter more (users sign up all run long; doubling would leave up to half unused). */
  private grow(users: number): void {
    const capacity = Math.max(users, Math.ceil(1.25 * this.counts.length), 1024);
    this.counts = grown(this.counts, capacity);
    this.items = grown(this.items, capacity * this.length);
    this.times = grown(this.times, capacity * this.length);
  }
}

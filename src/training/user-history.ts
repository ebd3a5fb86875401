/**
 * Each user's most recent clicks (item and time), kept from the streamed slate feedback: the
 * watch history that user towers and content sources read. Bounded per user, so memory is
 * O(users × length) whatever the run length.
 */
export class UserHistory {
  private readonly items: Int32Array[] = [];
  private readonly times: Float64Array[] = [];
  /** Clicks ever recorded per user; the ring position is count % length. */
  private readonly counts: number[] = [];

  constructor(readonly length: number) {
    if (!Number.isInteger(length) || length < 1) throw new RangeError(`history length must be a whole number of 1 or more, got ${length}`);
  }

  record(userId: number, itemId: number, time: number): void {
    while (this.items.length <= userId) {
      this.items.push(new Int32Array(this.length));
      this.times.push(new Float64Array(this.length));
      this.counts.push(0);
    }
    const slot = this.counts[userId] % this.length;
    this.items[userId][slot] = itemId;
    this.times[userId][slot] = time;
    this.counts[userId] += 1;
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
    const n = Math.min(count, this.length);
    if (n === 0) return 0;
    const ringItems = this.items[userId];
    const ringTimes = this.times[userId];
    for (let k = 0; k < n; k++) {
      const slot = (count - 1 - k) % this.length;
      items[at + k] = ringItems[slot];
      if (times) times[at + k] = ringTimes[slot];
    }
    return n;
  }
}

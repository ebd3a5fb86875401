/**
 * Each user's most recent clicks (item and time), kept from the streamed slate feedback: the
 * watch history that user towers and content sources read. Bounded per user, so memory is
 * O(users × length) whatever the run length.
 */
export interface HistoryEntry {
  readonly itemId: number;
  readonly time: number;
}

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

  /** The user's recent clicks, newest first. */
  recent(userId: number): HistoryEntry[] {
    const count = this.counts[userId] ?? 0;
    const n = Math.min(count, this.length);
    const out: HistoryEntry[] = [];
    for (let k = 1; k <= n; k++) {
      const slot = (count - k) % this.length;
      out.push({ itemId: this.items[userId][slot], time: this.times[userId][slot] });
    }
    return out;
  }
}

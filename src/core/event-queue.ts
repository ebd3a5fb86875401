import type { EventHandle, ScheduledEvent } from './types.js';

const PENDING = 0;
const CANCELLED = 1;
const DONE = 2;
type EntryState = typeof PENDING | typeof CANCELLED | typeof DONE;

/**
 * The one object allocated per event: it is both the handle returned by
 * push() and the event returned by pop(). The owner field lets cancel()
 * reject handles from another queue instead of corrupting this one's counts.
 */
class Entry<T> implements ScheduledEvent<T>, EventHandle {
  state: EntryState = PENDING;

  constructor(
    readonly time: number,
    readonly priority: number,
    readonly seq: number,
    readonly payload: T,
    readonly owner: object,
  ) {}
}

const INITIAL_CAPACITY = 64;

/**
 * Cancelled entries stay in the heap until they surface (lazy deletion).
 * Once they are both this many and half the heap, the heap is rebuilt
 * without them, so mass cancellation cannot grow memory without bound.
 */
const MIN_COMPACT = 64;

/**
 * Binary min-heap of events ordered by (time, priority, seq). seq is an
 * insertion counter, so the order is total and runs are reproducible: at
 * equal time the lower priority number runs first, then the earlier push.
 *
 * The sort keys live in parallel typed arrays beside the entry array, so
 * comparisons read contiguous numbers instead of chasing an object per
 * heap node; on a million events this roughly halves push+pop time.
 */
export class EventQueue<T> {
  private times: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private priorities: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private seqs: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private entries: (Entry<T> | undefined)[] = [];
  private length = 0; // heap slots in use, cancelled entries included
  private live = 0;
  private cancelledInHeap = 0;
  private nextSeq = 0;

  /** Number of pending (not cancelled, not popped) events. */
  get size(): number {
    return this.live;
  }

  push(time: number, priority: number, payload: T): EventHandle {
    // NaN compares false both ways and would silently break the heap order.
    if (!Number.isFinite(time)) throw new RangeError(`EventQueue.push: time must be finite (got ${time})`);
    if (!Number.isFinite(priority)) {
      throw new RangeError(`EventQueue.push: priority must be finite (got ${priority})`);
    }
    const entry = new Entry(time, priority, this.nextSeq++, payload, this);
    if (this.length === this.times.length) this.grow();
    this.siftUp(this.length++, entry);
    this.live++;
    return entry;
  }

  /** Removes and returns the earliest pending event. */
  pop(): ScheduledEvent<T> | undefined {
    for (;;) {
      const top = this.removeTop();
      if (top === undefined) return undefined;
      if (top.state === CANCELLED) {
        this.cancelledInHeap--;
        continue;
      }
      top.state = DONE;
      this.live--;
      return top;
    }
  }

  /** The earliest pending event, left in the queue. */
  peek(): ScheduledEvent<T> | undefined {
    for (;;) {
      const top = this.entries[0]; // undefined when empty: vacated slots are cleared
      if (top === undefined || top.state !== CANCELLED) return top;
      this.removeTop();
      this.cancelledInHeap--;
    }
  }

  /** Cancels a pending event; false if it already ran, was cancelled, or is not ours. */
  cancel(handle: EventHandle): boolean {
    if (!(handle instanceof Entry) || handle.owner !== this || handle.state !== PENDING) return false;
    handle.state = CANCELLED;
    this.live--;
    this.cancelledInHeap++;
    if (this.cancelledInHeap >= MIN_COMPACT && this.cancelledInHeap * 2 >= this.length) this.compact();
    return true;
  }

  private removeTop(): Entry<T> | undefined {
    if (this.length === 0) return undefined;
    const top = this.entries[0];
    const last = --this.length;
    const moved = this.entries[last];
    this.entries[last] = undefined; // the vacated slot must not keep an entry alive
    if (last > 0 && moved !== undefined) this.siftDown(0, moved);
    return top;
  }

  // Both sifts carry a hole rather than swapping, so each slot is written once.
  // The arrays are read into locals because V8 does not hoist field loads
  // out of the loop; this is the hottest code in a run.
  private siftUp(start: number, entry: Entry<T>): void {
    const { times, priorities, seqs, entries } = this;
    const { time, priority, seq } = entry;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!keyBefore(times, priorities, seqs, time, priority, seq, parent)) break;
      times[i] = times[parent];
      priorities[i] = priorities[parent];
      seqs[i] = seqs[parent];
      entries[i] = entries[parent];
      i = parent;
    }
    times[i] = time;
    priorities[i] = priority;
    seqs[i] = seq;
    entries[i] = entry;
  }

  private siftDown(start: number, entry: Entry<T>): void {
    const { times, priorities, seqs, entries } = this;
    const { time, priority, seq } = entry;
    const n = this.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && keyBefore(times, priorities, seqs, times[right], priorities[right], seqs[right], child)) {
        child = right;
      }
      if (keyBefore(times, priorities, seqs, time, priority, seq, child)) break;
      times[i] = times[child];
      priorities[i] = priorities[child];
      seqs[i] = seqs[child];
      entries[i] = entries[child];
      i = child;
    }
    times[i] = time;
    priorities[i] = priority;
    seqs[i] = seq;
    entries[i] = entry;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    this.times = resized(this.times, capacity);
    this.priorities = resized(this.priorities, capacity);
    this.seqs = resized(this.seqs, capacity);
  }

  /** Drops cancelled entries and restores the heap bottom-up in O(n). */
  private compact(): void {
    const kept: Entry<T>[] = [];
    for (let i = 0; i < this.length; i++) {
      const e = this.entries[i];
      if (e !== undefined && e.state !== CANCELLED) kept.push(e);
    }
    this.entries = kept;
    this.length = kept.length;
    this.cancelledInHeap = 0;
    for (let i = 0; i < kept.length; i++) {
      this.times[i] = kept[i].time;
      this.priorities[i] = kept[i].priority;
      this.seqs[i] = kept[i].seq;
    }
    for (let i = (kept.length >>> 1) - 1; i >= 0; i--) this.siftDown(i, kept[i]);
  }
}

/** True if the key (time, priority, seq) sorts before heap slot j. */
function keyBefore(
  times: Float64Array,
  priorities: Float64Array,
  seqs: Float64Array,
  time: number,
  priority: number,
  seq: number,
  j: number,
): boolean {
  const tj = times[j];
  if (time !== tj) return time < tj;
  const pj = priorities[j];
  if (priority !== pj) return priority < pj;
  return seq < seqs[j];
}

function resized(array: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(array);
  return out;
}

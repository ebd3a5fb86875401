import { EventQueue } from './event-queue.js';
import type { EventHandle } from './types.js';

export type EventHandler<T> = (payload: T, time: number) => void;

/**
 * A simulated clock driving an event queue. It knows nothing of what the
 * events mean: callers schedule payloads and a handler interprets them.
 *
 * The clock never moves backwards: scheduling before now throws, and
 * runUntil advances now to each event's time in turn, then to the end of
 * the window.
 */
export class Kernel<T> {
  private clock: number;
  private readonly queue = new EventQueue<T>();
  private running = false;

  constructor(startTime = 0) {
    if (!Number.isFinite(startTime)) throw new RangeError(`Kernel: startTime must be finite (got ${startTime})`);
    this.clock = startTime;
  }

  /** Current simulated time. */
  get now(): number {
    return this.clock;
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.queue.size;
  }

  /** Schedules payload at an absolute time >= now. */
  schedule(time: number, priority: number, payload: T): EventHandle {
    if (!Number.isFinite(time)) throw new RangeError(`Kernel.schedule: time must be finite (got ${time})`);
    if (time < this.clock) {
      throw new RangeError(`Kernel.schedule: time ${time} is in the past (now is ${this.clock})`);
    }
    return this.queue.push(time, priority, payload);
  }

  /** Schedules payload delay time units from now. */
  scheduleIn(delay: number, priority: number, payload: T): EventHandle {
    if (!(delay >= 0 && delay < Infinity)) {
      throw new RangeError(`Kernel.scheduleIn: delay must be a non-negative finite number (got ${delay})`);
    }
    return this.schedule(this.clock + delay, priority, payload);
  }

  /** Cancels a pending event; true if it was pending, false if it ran or was already cancelled. */
  cancel(handle: EventHandle): boolean {
    return this.queue.cancel(handle);
  }

  /**
   * Runs, in (time, priority, seq) order, every pending event with time < end,
   * including those the handler schedules along the way, then sets now to end.
   * Returns how many events ran.
   *
   * The handler may schedule and cancel but not call runUntil. If it throws,
   * now stays at that event's time and later events stay queued.
   */
  runUntil(end: number, handler: EventHandler<T>): number {
    if (!Number.isFinite(end)) throw new RangeError(`Kernel.runUntil: end must be finite (got ${end})`);
    if (end < this.clock) throw new RangeError(`Kernel.runUntil: end ${end} is before now (${this.clock})`);
    if (this.running) throw new Error('Kernel.runUntil: already running (handlers must not call runUntil)');
    this.running = true;
    let ran = 0;
    try {
      const queue = this.queue;
      for (;;) {
        const next = queue.peek();
        if (next === undefined || next.time >= end) break;
        queue.pop();
        this.clock = next.time;
        handler(next.payload, next.time);
        ran++;
      }
      this.clock = end;
    } finally {
      this.running = false;
    }
    return ran;
  }
}

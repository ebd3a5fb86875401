/**
 * A run split by users: each of several threads simulates the same world for the users it owns
 * (id mod count) and serves them with its own copy of the recommender; at each epoch end the
 * threads' records are merged into the one order a single thread would have produced
 * (parallel/shard-merge.ts), every copy retrains on the merged log, and the metrics see the merged
 * events. What a shard records of an epoch, and what it gets back, are defined here; the loop
 * (simulation.ts) records and hands them over through an `EpochExchange`.
 */
import type { SimEvent } from '../metrics/types.js';
import { FeedbackPacker, type Packed } from '../parallel/wire-format.js';
import type { SlateFeedback } from '../recommender/types.js';
import type { ImpressionBuffer, ImpressionRows } from '../training/impression-buffer.js';
import { EventLog, type EventColumns } from './event-log.js';

/** Numbers that place one event in the run's canonical order: see `ShardRecord.add`. */
export const KEY_WIDTH = 4;

/** One shard's epoch: its events with their places, its impressions and the feedback its recommender observed. */
export interface ShardEpoch {
  readonly events: EventColumns;
  /** `KEY_WIDTH` numbers per event, in the order of `events` (already canonical within the shard). */
  readonly keys: Float64Array;
  /** Rows of the shard's slates, in the order of its slate events (a buffer, or the columns another thread sent). */
  readonly impressions: ImpressionRows;
  /** What the shard's recommender observed, one per slate, in the same order, packed. */
  readonly feedback: Packed;
  /** True topic preferences of the users the shard owns, `topics` numbers each, by owned user in id order. */
  readonly prefs: Float64Array;
  /** The recommender's serving counts of the epoch (its `tally`; empty without one). */
  readonly tally: Float64Array;
}

/** The whole run's epoch, as each shard gets it back. */
export interface MergedEpoch {
  /** Every shard's impressions in the canonical order, with the slate ids one thread would have given. */
  readonly impressions: ImpressionBuffer;
  /** Every shard's events in the canonical order, each made as it is read; only for the thread that keeps the metrics. */
  readonly events: Iterable<SimEvent> | null;
  /** Every shard's `prefs`, by shard; only for the thread that keeps the metrics (they may read true preferences). */
  readonly prefs: readonly Float64Array[] | null;
  /** The other shards' feedback, in the canonical order, for this shard's recommender to observe (read once, as it is taken). */
  readonly replay: Iterable<SlateFeedback>;
  /** Slates served in the run so far: the next slate id. */
  readonly slates: number;
  /** Every shard's `tally`, summed. */
  readonly tally: Float64Array;
}

export interface EpochExchange {
  endEpoch(epoch: number, local: ShardEpoch): Promise<MergedEpoch>;
}

/** This thread's part of a run split by users. */
export interface ShardRole {
  readonly index: number;
  readonly count: number;
  readonly exchange: EpochExchange;
}

/** What the loop records of an epoch while it runs as a shard: packed as it happens (event-log.ts). */
export class ShardRecord {
  private events = new EventLog();
  private feedback = new FeedbackPacker();
  private keys = new Float64Array(KEY_WIDTH * 1024);

  /**
   * `event` happened while the loop handled the kernel event at (time, rank); an event about a
   * served slate also carries its request's (time, rank), which orders the slates of one batch
   * window as the window served them. Other events give 0, 0.
   */
  add(event: SimEvent, time: number, rank: number, requestTime: number, requestRank: number): void {
    const at = this.events.count * KEY_WIDTH;
    if (at + KEY_WIDTH > this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[at] = time;
    this.keys[at + 1] = rank;
    this.keys[at + 2] = requestTime;
    this.keys[at + 3] = requestRank;
    this.events.add(event);
  }

  /** What the shard's recommender observed of a slate. */
  addFeedback(feedback: SlateFeedback): void {
    this.feedback.add(feedback);
  }

  /** The epoch so far; the record starts afresh. */
  take(impressions: ImpressionBuffer, prefs: Float64Array, tally: Float64Array): ShardEpoch {
    const events = this.events.columns();
    const epoch: ShardEpoch = { events, keys: this.keys.slice(0, events.count * KEY_WIDTH), impressions, feedback: this.feedback.take(), prefs, tally };
    this.events = new EventLog(Math.max(1024, events.count));
    return epoch;
  }
}

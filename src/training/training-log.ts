/**
 * The slice of the impression log a recommender retrains on: the finished epochs that fall
 * inside the retrain window. Older epochs are dropped (they live on in Parquet, if logging is
 * on), so memory is bounded by the window, not by the run length.
 */
import type { ImpressionBuffer } from './impression-buffer.js';

export interface LogChunk {
  readonly epoch: number;
  readonly start: number;
  readonly end: number;
  readonly impressions: ImpressionBuffer;
}

export class TrainingLog {
  private readonly held: LogChunk[] = [];

  constructor(readonly windowDays: number) {}

  /** Adds a finished epoch and drops epochs that ended at or before `chunk.end - window`. */
  add(chunk: LogChunk): void {
    this.held.push(chunk);
    const horizon = chunk.end - this.windowDays;
    while (this.held.length > 0 && this.held[0].end <= horizon + 1e-9) this.held.shift();
  }

  /** Finished epochs in the window, oldest first. */
  get chunks(): readonly LogChunk[] {
    return this.held;
  }

  get rows(): number {
    return this.held.reduce((n, c) => n + c.impressions.length, 0);
  }
}

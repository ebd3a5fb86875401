/**
 * Messages between the main thread of a run split by users and its shard threads
 * (user-shards.ts, shard-worker.ts). Once per epoch each shard thread sends its epoch, and gets
 * the merged one back; at the end it says it is done, or why it failed.
 */
import type { MessagePort } from 'node:worker_threads';
import type { EventColumns } from '../simulation/event-log.js';
import type { ImpressionRows } from '../training/impression-buffer.js';
import type { Packed } from './wire-format.js';

/** What a shard thread is told to simulate (its first message). */
export interface ShardStart {
  /** The run's scenario as resolved YAML: the thread builds the same world and recommender from it. */
  readonly scenarioYaml: string;
  readonly index: number;
  readonly count: number;
  /** The broadcast channel on which the main thread announces the HNSW graphs it builds (hnsw-sharing.ts). */
  readonly hnswChannel: string;
  /** The broadcast channel on which each model's training thread publishes what it trained (trained-states.ts). */
  readonly statesChannel: string;
  readonly port: MessagePort;
}

export type ShardMessage =
  | {
      readonly kind: 'epoch';
      readonly epoch: number;
      /** Packed (simulation/event-log.ts). */
      readonly events: EventColumns;
      readonly keys: Float64Array;
      readonly impressions: ImpressionRows;
      /** Packed (wire-format.ts). */
      readonly feedback: Packed;
      readonly prefs: Float64Array;
      readonly tally: Float64Array;
    }
  | { readonly kind: 'done' }
  | { readonly kind: 'failed'; readonly message: string; readonly stack?: string };

/** The merged epoch, as the main thread sends it to each shard thread. */
export interface MergedMessage {
  readonly kind: 'merged';
  readonly impressions: ImpressionRows;
  readonly origin: Uint8Array;
  /** Each shard's feedback, packed, by shard. */
  readonly feedback: readonly Packed[];
  readonly slates: number;
  /** Every shard's serving counts, summed. */
  readonly tally: Float64Array;
}

/**
 * Messages between a run's main thread and its serving replicas (parallel-recommender.ts). Each
 * message to a replica first brings it up to date — the items and users that arrived and the
 * feedback the main thread's recommender observed since the last message, in the order the main
 * thread saw them — and then asks for one task; the replica answers each task but a catch-up
 * with one reply.
 */
import type { Packed } from './wire-format.js';
import type { MessagePort } from 'node:worker_threads';
import type { ImpressionColumns } from '../training/impression-buffer.js';
import type { PublicItem, PublicUser } from '../world/public.js';

/** What a replica is started with (its workerData). */
export interface ReplicaStart {
  /** The run's scenario as resolved YAML: the replica builds the same recommender from it. */
  readonly scenarioYaml: string;
  /** Days of impressions the training log keeps. */
  readonly logWindow: number;
  /** The catalog and users the recommender was built on. */
  readonly items: readonly PublicItem[];
  readonly users: readonly PublicUser[];
  /** The broadcast channel on which the main thread announces the HNSW graphs it builds (hnsw-sharing.ts). */
  readonly hnswChannel: string;
  /** One Int32: the replica sets it to 1 when a reply is waiting (the main thread may be blocked on it). */
  readonly signal: SharedArrayBuffer;
  /** The replica's end of the channel that carries tasks and replies. */
  readonly port: MessagePort;
}

/**
 * What the main thread's recommender saw at one batch window: the items and users that arrived
 * before it, then the feedback on its slates. A replica applies these in order.
 */
export interface WindowSeen {
  readonly items: readonly PublicItem[];
  readonly users: readonly PublicUser[];
  /** Packed (wire-format.ts). */
  readonly feedback: Packed;
}

/** Every window since the replica's last message, oldest first. */
export type CatchUp = readonly WindowSeen[];

/** One finished epoch of the impression log, as columns. */
export interface EpochChunk {
  readonly epoch: number;
  readonly start: number;
  readonly end: number;
  readonly columns: ImpressionColumns;
  readonly strings: readonly string[];
}

export type ReplicaTask =
  /** No reply: sent as soon as a window's feedback is complete, so the replica observes it while the main thread moves on. */
  | { readonly kind: 'catch-up'; readonly catchUp: CatchUp }
  /** The requests packed (wire-format.ts). */
  | { readonly kind: 'serve'; readonly catchUp: CatchUp; readonly requests: Packed }
  | { readonly kind: 'retrain'; readonly catchUp: CatchUp; readonly chunk: EpochChunk; readonly now: number };

export type ReplicaReply =
  /** The slates packed (wire-format.ts). */
  | { readonly ok: true; readonly slates: Packed }
  | { readonly ok: false; readonly message: string; readonly stack?: string };

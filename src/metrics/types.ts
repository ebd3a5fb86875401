/**
 * Metrics observe typed simulation events and own their series; they never reach into the
 * recommender. They may read world ground truth (true utility, preferences) through the
 * WorldView they are built with: metrics are the experimenter's instruments, not the system's.
 */

/** One served slate and what the user did with it. */
export interface SlateEvent {
  readonly time: number;
  readonly userId: number;
  readonly slateId: number;
  /** Item ids in position order. */
  readonly items: readonly number[];
  /** Clicked position, or -1. */
  readonly clicked: number;
  /** Zero when nothing was clicked. */
  readonly watchMinutes: number;
  /** True utility of the watched item (world side); NaN when nothing was clicked. */
  readonly trueUtility: number;
}

/** Every event a metric can observe. */
export type SimEvent =
  | ({ readonly kind: 'slate' } & SlateEvent)
  | { readonly kind: 'session_start'; readonly time: number; readonly userId: number }
  | { readonly kind: 'session_end'; readonly time: number; readonly userId: number; readonly satisfaction: number }
  | { readonly kind: 'signup'; readonly time: number; readonly userId: number }
  | { readonly kind: 'churn'; readonly time: number; readonly userId: number }
  | { readonly kind: 'upload'; readonly time: number; readonly itemId: number };

/** Ground truth a metric may read; declared on the world's side (world/view.ts). */
export type { WorldView } from '../world/view.js';

export interface EpochBounds {
  readonly epoch: number;
  readonly start: number;
  readonly end: number;
}

/** A family of related per-epoch figures. */
export interface Metric {
  observe(event: SimEvent): void;
  /** Figures for the epoch that just ended, keyed by metric name; then resets per-epoch state. */
  endEpoch(bounds: EpochBounds): Record<string, number>;
}

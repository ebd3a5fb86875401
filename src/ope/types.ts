/**
 * Off-policy evaluation: the shared vocabulary. A target policy is described by where it puts
 * items, slot by slot, for a logged request; estimators combine those probabilities with the
 * logging policy's propensities and the logged rewards.
 */
import type { Rng } from '../rng/index.js';
import type { SlotDistribution } from '../recommender/types.js';

export type { SlotDistribution };

/** What a target policy may condition on for one logged slate: what the log itself records. */
export interface OpeContext {
  readonly slateId: number;
  readonly userId: number;
  /** Simulated time the slate was served (days). */
  readonly time: number;
  /** Items 0..catalogSize-1 existed when the slate was served. */
  readonly catalogSize: number;
  /** Slots the logged slate had (the target fills as many). */
  readonly slateSize: number;
}

export interface TargetPolicy {
  readonly name: string;
  /** Distribution over items at `position` for this context; probabilities over the catalog sum to 1. */
  slot(ctx: OpeContext, position: number): SlotDistribution;
  /** Draws one slate (distinct item ids, top first) whose per-slot marginals are exactly `slot`. */
  sample(ctx: OpeContext, rng: Rng): number[];
}

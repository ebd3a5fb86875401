/**
 * Off-policy evaluation: the shared vocabulary. A target policy is described by where it puts
 * items, slot by slot, for a logged request; estimators combine those probabilities with the
 * logging policy's propensities and the logged rewards.
 */
import type { Rng } from '../rng/index.js';

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

/**
 * A policy's marginal distribution over items at one slot. Item `items[k]` gets `probs[k]`; on
 * top, `restMass` is spread evenly over the catalog items NOT in `restExcludes` (a listed item
 * that is not excluded receives its share too). This covers uniform exploration without listing
 * the whole catalog, and lets the direct method average a reward model over it in O(slate).
 */
export interface SlotDistribution {
  readonly items: readonly number[];
  readonly probs: readonly number[];
  readonly restMass: number;
  readonly restExcludes: readonly number[];
}

export interface TargetPolicy {
  readonly name: string;
  /** Distribution over items at `position` for this context; probabilities over the catalog sum to 1. */
  slot(ctx: OpeContext, position: number): SlotDistribution;
  /** Draws one slate (distinct item ids, top first) whose per-slot marginals are exactly `slot`. */
  sample(ctx: OpeContext, rng: Rng): number[];
}

/** Which logged outcome counts as the reward of an impression. */
export const REWARD_KINDS = ['click', 'watch_fraction', 'like', 'survey_positive'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/**
 * Context-free target policies as (item, slot) probabilities. Where Bernoulli Thompson sampling puts each item, when it fills `slots` slots by drawing a
 * click rate θ_i ~ Beta(α_i, β_i) for every item and showing the items in order of θ, highest
 * first. With the priors fixed (not updated within the evaluated batch) the policy ignores the
 * context, so P(item i at slot k) is one number per (item, slot), estimated here once from
 * `draws` seeded draws; its Monte-Carlo standard error is √(p(1 − p) / draws).
 */
import type { Rng } from '../../rng/index.js';

export interface SlotMarginals {
  readonly items: number;
  readonly slots: number;
  /** P(item i at slot k) at [i · slots + k]; each slot's column sums to 1. */
  readonly prob: Float64Array;
  /** How many samples estimated each slot's probabilities (Monte-Carlo draws, or logged impressions); 0: exact. */
  readonly samplesPerSlot: readonly number[];
}

export function thompsonMarginals(alpha: readonly number[], beta: readonly number[], slots: number, draws: number, rng: Rng): SlotMarginals {
  const items = alpha.length;
  if (beta.length !== items) throw new RangeError(`thompsonMarginals: ${items} alphas but ${beta.length} betas`);
  if (!(Number.isInteger(slots) && slots >= 1 && slots <= items)) throw new RangeError(`thompsonMarginals: slots must be 1..${items}, got ${slots}`);
  if (!(Number.isInteger(draws) && draws >= 1)) throw new RangeError(`thompsonMarginals: draws must be a whole number of 1 or more, got ${draws}`);
  const counts = new Float64Array(items * slots);
  const theta = new Float64Array(items);
  const top = new Int32Array(slots);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < items; i++) theta[i] = rng.beta(alpha[i], beta[i]);
    largestInOrder(theta, top);
    for (let k = 0; k < slots; k++) counts[top[k] * slots + k]++;
  }
  for (let c = 0; c < counts.length; c++) counts[c] /= draws;
  return { items, slots, prob: counts, samplesPerSlot: new Array<number>(slots).fill(draws) };
}

/** Fills `top` with the indices of the top.length largest values, largest first (by insertion: a slate has few slots). */
export function largestInOrder(values: ArrayLike<number>, top: Int32Array): void {
  const slots = top.length;
  let filled = 0;
  for (let i = 0; i < values.length; i++) {
    let k = filled < slots ? filled++ : slots;
    while (k > 0 && values[top[k - 1]] < values[i]) {
      if (k < slots) top[k] = top[k - 1];
      k--;
    }
    if (k < slots) top[k] = i;
  }
}

/** A uniformly random slate of distinct items: every item at every slot with probability 1/items (exact). */
export function uniformMarginals(items: number, slots: number): SlotMarginals {
  return { items, slots, prob: new Float64Array(items * slots).fill(1 / items), samplesPerSlot: new Array<number>(slots).fill(0) };
}

/**
 * What a log's own policy did, summarised without context: P(item i at slot k) as the share of
 * the log's slot-k impressions that showed item i. For a policy whose state changed while it
 * logged (OBD's Thompson sampling updated its counts during the week), this is the time-averaged
 * policy the log's click rate belongs to, which its starting priors are not.
 */
export function exposureMarginals(itemId: Int32Array, position: Int32Array, items: number, slots: number): SlotMarginals {
  const prob = new Float64Array(items * slots);
  const perSlot = new Array<number>(slots).fill(0);
  for (let r = 0; r < itemId.length; r++) {
    prob[itemId[r] * slots + position[r]]++;
    perSlot[position[r]]++;
  }
  for (let i = 0; i < items; i++) for (let k = 0; k < slots; k++) prob[i * slots + k] = perSlot[k] > 0 ? prob[i * slots + k] / perSlot[k] : 0;
  return { items, slots, prob, samplesPerSlot: perSlot };
}

/**
 * How a user picks an item, as in the paper: the recommender's ranking lists every item the user
 * has not consumed (the step's new items, for a model that has not seen them, at random
 * positions), and the user takes the item maximising rank discount × known utility, with the
 * discount r^-γ for rank r = 1, 2, .... Walking the ranking stops once no later rank could win:
 * r^-γ × (the best known utility on the list) is no more than the best found.
 */
import type { Rng } from '../../rng/index.js';
import { RankedHeap } from './ranked-heap.js';

export interface ChoiceInput {
  /** Items [0, items) have arrived. */
  readonly items: number;
  /** Items [newFrom, items) are interleaved at random positions; newFrom = items ranks everything by score. */
  readonly newFrom: number;
  readonly scores: Float64Array;
  readonly tieKeys: Float64Array;
  /** The user's row of the consumed matrix (1 = consumed). */
  readonly consumed: Uint8Array;
  /** The user's row of known utilities. */
  readonly known: Float64Array;
  /** The rank discount: discount[r] for 0-based rank r. */
  readonly discount: Float64Array;
  /** Where the interleaved items go. */
  readonly interleave: Rng;
}

/** Reusable buffers for one world's size: a choice allocates nothing else. */
export class Chooser {
  private readonly heap: RankedHeap;
  private readonly ranked: Int32Array;
  private readonly fresh: Int32Array;
  private readonly slots: Int32Array;

  constructor(items: number) {
    this.heap = new RankedHeap(items);
    this.ranked = new Int32Array(items);
    this.fresh = new Int32Array(items);
    this.slots = new Int32Array(items);
  }

  /** The item the user consumes; throws when every item has been consumed. */
  choose(input: ChoiceInput): number {
    const { items, newFrom, scores, tieKeys, consumed, known, discount } = input;
    let rankedCount = 0;
    let freshCount = 0;
    let bestKnown = 0;
    for (let i = 0; i < items; i++) {
      if (consumed[i] === 1) continue;
      if (i < newFrom) this.ranked[rankedCount++] = i;
      else this.fresh[freshCount++] = i;
      if (known[i] > bestKnown) bestKnown = known[i];
    }
    const length = rankedCount + freshCount;
    if (length === 0) throw new Error('choose: the user has consumed every item');
    this.heap.reset(this.ranked, rankedCount, scores, tieKeys);
    this.slots.fill(-1, 0, length);
    if (freshCount > 0) {
      const positions = input.interleave.orderedSample(length, freshCount);
      for (let j = 0; j < freshCount; j++) this.slots[positions[j]] = this.fresh[j];
    }
    let chosen = -1;
    let best = -Infinity;
    for (let r = 0; r < length; r++) {
      if (discount[r] * bestKnown <= best) break;
      const item = this.slots[r] >= 0 ? this.slots[r] : this.heap.pop();
      const value = discount[r] * known[item];
      if (value > best) {
        best = value;
        chosen = item;
      }
    }
    return chosen;
  }
}

/** discount[r] = (r + 1)^-γ for ranks 0 … length − 1. */
export function rankDiscounts(length: number, gamma: number): Float64Array {
  const discount = new Float64Array(length);
  for (let r = 0; r < length; r++) discount[r] = Math.pow(r + 1, -gamma);
  return discount;
}

/**
 * Slot distributions (types.ts `SlotDistribution`) for policies evaluated as off-policy targets:
 * point masses for a deterministic slate, and the frequencies of simulated slates for a sampled
 * one (the same kind of Monte-Carlo estimate as its logged propensities).
 */
import type { SlateEntry, SlotDistribution } from '../types.js';

/** A deterministic slate: each slot holds its item with probability 1. */
export function pointMasses(entries: readonly SlateEntry[]): SlotDistribution[] {
  return entries.map((e) => ({ items: [e.itemId], probs: [1], restMass: 0, restExcludes: [] }));
}

/** Which pool item simulated slates put at each slot; `distributions()` turns the counts into frequencies. */
export class SlotTally {
  private readonly counts: Float64Array;
  private draws = 0;

  constructor(
    private readonly itemIds: readonly number[],
    private readonly slots: number,
  ) {
    this.counts = new Float64Array(slots * itemIds.length);
  }

  /** One simulated slate: chosen[k] is the pool index at slot k. */
  add(chosen: ArrayLike<number>): void {
    const n = this.itemIds.length;
    for (let k = 0; k < this.slots; k++) this.counts[k * n + chosen[k]]++;
    this.draws++;
  }

  distributions(): SlotDistribution[] {
    const n = this.itemIds.length;
    return Array.from({ length: this.slots }, (_, k) => {
      const items: number[] = [];
      const probs: number[] = [];
      for (let i = 0; i < n; i++) {
        const c = this.counts[k * n + i];
        if (c > 0) {
          items.push(this.itemIds[i]);
          probs.push(c / this.draws);
        }
      }
      return { items, probs, restMass: 0, restExcludes: [] };
    });
  }
}

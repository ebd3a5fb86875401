/** Reading a SlotDistribution: one item's probability, and the expectation of a per-item value. */
import type { SlotDistribution } from './types.js';

/** Probability that the slot shows `itemId` (listed probability plus its share of the rest). */
export function slotProbability(dist: SlotDistribution, itemId: number, catalogSize: number): number {
  let p = 0;
  const k = dist.items.indexOf(itemId);
  if (k >= 0) p += dist.probs[k];
  if (dist.restMass > 0 && itemId < catalogSize && !dist.restExcludes.includes(itemId)) {
    p += dist.restMass / (catalogSize - dist.restExcludes.length);
  }
  return p;
}

/**
 * E[value(item)] under the slot's distribution. `catalogSum` is Σ value(i) over the whole
 * catalog (0..catalogSize-1), so the uniform rest costs O(excludes), not O(catalog).
 */
export function slotExpectation(
  dist: SlotDistribution,
  value: (itemId: number) => number,
  catalogSum: number,
  catalogSize: number,
): number {
  let e = 0;
  for (let k = 0; k < dist.items.length; k++) e += dist.probs[k] * value(dist.items[k]);
  if (dist.restMass > 0) {
    let excluded = 0;
    for (const i of dist.restExcludes) excluded += value(i);
    e += (dist.restMass * (catalogSum - excluded)) / (catalogSize - dist.restExcludes.length);
  }
  return e;
}

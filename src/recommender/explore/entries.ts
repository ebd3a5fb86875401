/** A slate entry for a candidate: its sources joined by "+", as the impression log records them. */
import type { Candidate, SlateEntry } from '../types.js';

export function entryOf(candidate: Candidate, propensity: number): SlateEntry {
  return { itemId: candidate.itemId, source: candidate.sources.join('+'), propensity };
}

/** Slots a policy fills: the slate size, or fewer when the pool is smaller. */
export function slotCount(slateSize: number, pool: number): number {
  return Math.max(0, Math.min(slateSize, pool));
}

/** A slate entry for a candidate: its sources joined by "+", as the impression log records them. */
import type { Candidate, SlateEntry } from '../types.js';

/** Source logged for an item exploration placed that no candidate source produced, and of the candidate stage's explorers. */
export const EXPLORE_SOURCE = 'explore';

export function entryOf(candidate: Candidate, propensity: number): SlateEntry {
  return { itemId: candidate.itemId, source: sourceLabel(candidate), propensity };
}

/** The logged source of a candidate; a lone source is used as it is, with no new string per impression. */
export function sourceLabel(candidate: Candidate): string {
  return candidate.sources.length === 1 ? candidate.sources[0] : candidate.sources.join('+');
}

/** Slots a policy fills: the slate size, or fewer when the pool is smaller. */
export function slotCount(slateSize: number, pool: number): number {
  return Math.max(0, Math.min(slateSize, pool));
}

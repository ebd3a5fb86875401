/** No exploration: the top of the ordered candidates (skipping items the creator cap excludes), each slot with propensity 1. */
import { StampedIndex } from '../../core/typed-arrays.js';
import type { Rng } from '../../rng/index.js';
import { explorationPolicy, slateStage } from './component.js';
import { entryOf, sourceLabel } from './entries.js';
import { pointMasses } from './marginals.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlotDistribution } from '../types.js';

export class GreedyPolicy implements ExplorationPolicy {
  readonly name = 'greedy';
  /** Entries by item id: read-only and fixed by item and source, so slates share them instead of making one per impression. */
  private readonly entries: (SlateEntry | undefined)[] = [];

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, _rng?: Rng, cap?: CreatorCap): SlateEntry[] {
    if (!cap) {
      const entries = new Array<SlateEntry>(Math.min(slateSize, ordered.length));
      for (let p = 0; p < entries.length; p++) entries[p] = this.entry(ordered[p]);
      return entries;
    }
    // The walk in order, skipping an item whose creator is full: only the creators it meets are counted.
    const placed = creatorCounts.begin();
    const entries: SlateEntry[] = [];
    for (let p = 0; p < ordered.length && entries.length < slateSize; p++) {
      const creator = cap.creatorOf(ordered[p].itemId);
      const count = Math.max(0, creatorCounts.find(creator, placed));
      if (count >= cap.cap) continue;
      creatorCounts.place(creator, placed, count + 1);
      entries.push(this.entry(ordered[p]));
    }
    return entries;
  }

  private entry(candidate: ScoredCandidate): SlateEntry {
    const { itemId } = candidate;
    if (itemId >>> 0 !== itemId) return entryOf(candidate, 1); // not an id the table can hold; the loop rejects it
    const known = itemId < this.entries.length ? this.entries[itemId] : undefined;
    if (known !== undefined && known.source === sourceLabel(candidate)) return known;
    const entry = entryOf(candidate, 1);
    // Grown in id order, so the array stays dense.
    while (this.entries.length <= itemId) this.entries.push(undefined);
    this.entries[itemId] = entry;
    return entry;
  }

  slotMarginals(request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, _rng?: Rng, cap?: CreatorCap): SlotDistribution[] {
    return pointMasses(this.select(request, ordered, slateSize, undefined, cap));
  }
}

export const GREEDY = explorationPolicy({
  name: 'greedy',
  settings: {},
  reorders: null,
  build: () => slateStage(new GreedyPolicy()),
});

/** Items placed per creator id in the slate being filled (shared by every select: nothing is allocated per request). */
const creatorCounts = new StampedIndex();

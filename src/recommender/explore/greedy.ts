/** No exploration: the top of the ordered candidates (skipping items the creator cap excludes), each slot with propensity 1. */
import type { Rng } from '../../rng/index.js';
import { explorationPolicy, slateStage } from './component.js';
import { entryOf, sourceLabel } from './entries.js';
import { pointMasses } from './marginals.js';
import { candidateLimit, cappedWalk } from './pool-limit.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlotDistribution } from '../types.js';

export class GreedyPolicy implements ExplorationPolicy {
  readonly name = 'greedy';
  /** Entries by item id: read-only and fixed by item and source, so slates share them instead of making one per impression. */
  private readonly entries: (SlateEntry | undefined)[] = [];

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, _rng?: Rng, cap?: CreatorCap): SlateEntry[] {
    const limit = candidateLimit(cap, ordered);
    if (limit) return cappedWalk(Array.from(ordered.keys()), slateSize, limit).map((k) => this.entry(ordered[k]));
    const entries = new Array<SlateEntry>(Math.min(slateSize, ordered.length));
    for (let p = 0; p < entries.length; p++) entries[p] = this.entry(ordered[p]);
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

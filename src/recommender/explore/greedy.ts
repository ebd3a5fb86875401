/** No exploration: the top of the ordered candidates, each slot with propensity 1. */
import { entryOf } from './entries.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry } from '../types.js';

export class GreedyPolicy implements ExplorationPolicy {
  readonly name = 'greedy';

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number): SlateEntry[] {
    const entries = new Array<SlateEntry>(Math.min(slateSize, ordered.length));
    for (let p = 0; p < entries.length; p++) entries[p] = entryOf(ordered[p], 1);
    return entries;
  }
}

/** No exploration: the top of the ordered candidates, each slot with propensity 1. */
import { entryOf } from './entries.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry } from '../types.js';

export class GreedyPolicy implements ExplorationPolicy {
  readonly name = 'greedy';

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number): SlateEntry[] {
    return ordered.slice(0, slateSize).map((c) => entryOf(c, 1));
  }
}

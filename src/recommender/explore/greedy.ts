/** No exploration: the top of the ordered candidates (skipping items the creator cap excludes), each slot with propensity 1. */
import type { Rng } from '../../rng/index.js';
import { explorationPolicy, slateStage } from './component.js';
import { entryOf } from './entries.js';
import { pointMasses } from './marginals.js';
import { candidateLimit, cappedWalk } from './pool-limit.js';
import type { CreatorCap, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlotDistribution } from '../types.js';

export class GreedyPolicy implements ExplorationPolicy {
  readonly name = 'greedy';

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, _rng?: Rng, cap?: CreatorCap): SlateEntry[] {
    const limit = candidateLimit(cap, ordered);
    if (limit) return cappedWalk(Array.from(ordered.keys()), slateSize, limit).map((k) => entryOf(ordered[k], 1));
    const entries = new Array<SlateEntry>(Math.min(slateSize, ordered.length));
    for (let p = 0; p < entries.length; p++) entries[p] = entryOf(ordered[p], 1);
    return entries;
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

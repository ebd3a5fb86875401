/**
 * Epsilon-greedy, slot by slot: with probability epsilon a slot gets a uniform draw from the pool
 * of items not yet placed (the candidate set, or the whole catalog), otherwise the next greedy
 * item (the best-ordered candidate not yet placed). Given the earlier slots, the probability of
 * the item placed is exactly
 *
 *     (1 − ε)·[item is the greedy pick] + ε / |pool|
 *
 * and, once the candidates run out (catalog pool), a slot is a uniform draw: 1 / |pool|.
 */
import type { Rng } from '../../rng/index.js';
import type { Candidate, ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry } from '../types.js';
import { entryOf, slotCount } from './entries.js';

/** Source logged for a catalog item the policy placed that no candidate source produced. */
export const EXPLORE_SOURCE = 'explore';

export interface EpsilonGreedyOptions {
  readonly epsilon: number;
  readonly over: 'candidates' | 'catalog';
}

export class EpsilonGreedyPolicy implements ExplorationPolicy {
  readonly name = 'epsilon_greedy';

  constructor(
    private readonly options: EpsilonGreedyOptions,
    /** Current catalog size (item ids are 0..size-1); used when drawing over the catalog. */
    private readonly catalogSize: () => number,
  ) {}

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    return this.options.over === 'catalog' ? this.overCatalog(ordered, slateSize, rng) : this.overCandidates(ordered, slateSize, rng);
  }

  private overCandidates(ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const { epsilon } = this.options;
    const remaining = [...ordered]; // best first; explored items are taken out wherever they are
    const entries: SlateEntry[] = [];
    const slots = slotCount(slateSize, ordered.length);
    for (let slot = 0; slot < slots; slot++) {
      const explore = rng.next() < epsilon;
      const k = explore ? rng.int(remaining.length) : 0;
      const propensity = (k === 0 ? 1 - epsilon : 0) + epsilon / remaining.length;
      entries.push(entryOf(remaining[k], propensity));
      remaining.splice(k, 1);
    }
    return entries;
  }

  private overCatalog(ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const { epsilon } = this.options;
    const size = this.catalogSize();
    const byItem = new Map<number, Candidate>(ordered.map((c) => [c.itemId, c]));
    const placed = new Set<number>();
    const entries: SlateEntry[] = [];
    let next = 0; // index of the next greedy candidate not yet placed
    const slots = slotCount(slateSize, size);
    for (let slot = 0; slot < slots; slot++) {
      while (next < ordered.length && placed.has(ordered[next].itemId)) next++;
      const greedy = next < ordered.length ? ordered[next] : undefined;
      const pool = size - placed.size;
      const explore = rng.next() < epsilon || greedy === undefined;
      let itemId: number;
      if (explore) {
        // Rejection keeps the draw uniform over the items not yet placed (few are placed).
        do itemId = rng.int(size);
        while (placed.has(itemId));
      } else {
        itemId = (greedy as Candidate).itemId;
      }
      const propensity = greedy === undefined ? 1 / pool : (itemId === greedy.itemId ? 1 - epsilon : 0) + epsilon / pool;
      const candidate = byItem.get(itemId);
      entries.push(candidate ? entryOf(candidate, propensity) : { itemId, source: EXPLORE_SOURCE, propensity });
      placed.add(itemId);
    }
    return entries;
  }
}

/**
 * Epsilon-greedy with slot-independent exploration (epsilon-slots.ts): each slot explores with
 * probability ε; a slot that does not explore keeps its greedy item (slot p: the p-th best
 * candidate); the exploring slots are then filled in order by uniform draws without replacement
 * from the pool minus the kept items. The pool is the candidate set (`over: candidates`) or the
 * whole catalog (`over: catalog`), where slots past the last candidate always explore and a
 * catalog item no source produced is logged with source `explore`.
 *
 * Every logged propensity is the exact marginal P(item at slot), in closed form (epsilon-slots.ts).
 */
import type { Rng } from '../../rng/index.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry } from '../types.js';
import { entryOf, slotCount } from './entries.js';
import { EpsilonSlots } from './epsilon-slots.js';

/** Source logged for a catalog item the policy placed that no candidate source produced. */
export const EXPLORE_SOURCE = 'explore';

export interface EpsilonGreedyOptions {
  readonly epsilon: number;
  readonly over: 'candidates' | 'catalog';
}

export class EpsilonGreedyPolicy implements ExplorationPolicy {
  readonly name = 'epsilon_greedy';
  private readonly slots: EpsilonSlots;

  constructor(
    private readonly options: EpsilonGreedyOptions,
    /** Current catalog size (item ids are 0..size-1); used when drawing over the catalog. */
    private readonly catalogSize: () => number,
  ) {
    this.slots = new EpsilonSlots(options.epsilon);
  }

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    return this.options.over === 'catalog' ? this.overCatalog(ordered, slateSize, rng) : this.overCandidates(ordered, slateSize, rng);
  }

  /** Pool indices are candidate indices; slot p's greedy item is candidate p. */
  private overCandidates(ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const n = ordered.length;
    const L = slotCount(slateSize, n);
    const greedy = Array.from({ length: L }, (_, p) => p);
    return this.slots.sample(n, L, greedy, rng).map((k, p) => entryOf(ordered[k], this.slots.probability(n, L, L, p, k < L ? k : -1)));
  }

  /** Pool indices are item ids; the greedy list is the first min(L, candidates) candidates. */
  private overCatalog(ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const n = this.catalogSize();
    const L = slotCount(slateSize, n);
    const G = Math.min(L, ordered.length);
    const greedy = Array.from({ length: G }, (_, p) => ordered[p].itemId);
    return this.slots.sample(n, L, greedy, rng).map((itemId, p) => {
      const rank = greedy.indexOf(itemId);
      const propensity = this.slots.probability(n, L, G, p, rank);
      // A candidate outside the greedy list keeps the sources that produced it.
      const candidate = rank >= 0 ? ordered[rank] : ordered.find((c) => c.itemId === itemId);
      return candidate ? entryOf(candidate, propensity) : { itemId, source: EXPLORE_SOURCE, propensity };
    });
  }
}

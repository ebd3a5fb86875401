/**
 * An exploration policy of your own: the slate is a uniform shuffle of the top `pool` ranked
 * candidates, so each of them lands in each slot with probability 1/pool (the propensity it
 * logs, exact). Used from a scenario as
 *   recommender.exploration: { policy: module, path: ./my-policy.ts, pool: 8 }
 * It ignores the re-ranker's creator cap (keep creator_cap at 0 with it).
 * Outside this repository, import from 'recloop/plugins' instead of the relative path.
 */
import {
  explorationPolicy,
  positiveCount,
  slateStage,
  type ExplorationPolicy,
  type RecRequest,
  type Rng,
  type ScoredCandidate,
  type SlateEntry,
  type SlotDistribution,
} from '../../src/plugins/api.js';

class ShuffleTop implements ExplorationPolicy {
  readonly name = 'shuffle_top';

  constructor(private readonly pool: number) {}

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const n = Math.min(this.pool, ordered.length);
    // The first slots of a Fisher–Yates shuffle of the pool; every draw from the seeded stream given.
    const ids = ordered.slice(0, n);
    const slots = Math.min(slateSize, n);
    for (let i = 0; i < slots; i++) {
      const j = i + rng.int(n - i);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return ids.slice(0, slots).map((c) => ({ itemId: c.itemId, source: c.sources.join('+'), propensity: 1 / n }));
  }

  /** Every slot: uniform over the pool; what off-policy evaluation needs to evaluate it as a target. */
  slotMarginals(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number): SlotDistribution[] {
    const n = Math.min(this.pool, ordered.length);
    const items = ordered.slice(0, n).map((c) => c.itemId);
    return Array.from({ length: Math.min(slateSize, n) }, () => ({ items, probs: items.map(() => 1 / n), restMass: 0, restExcludes: [] }));
  }
}

export default explorationPolicy({
  name: 'shuffle_top',
  settings: { pool: positiveCount.default(10) },
  reorders: 'a shuffle of its top candidates',
  build: (config) => slateStage(new ShuffleTop(config.pool)),
});

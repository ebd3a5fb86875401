/**
 * Plackett–Luce slates: slot by slot, an item not yet placed (and that the creator cap allows)
 * is drawn with probability proportional to its weight. Weights come from softmaxWeights
 * (below); when every remaining item weighs 0 (all finite scores placed, or weights that
 * underflowed against the best score), they are recomputed over the remaining items, as a
 * fresh softmax would give.
 */
import type { Rng } from '../../rng/index.js';
import type { ScoredCandidate } from '../types.js';
import type { PoolLimit } from './pool-limit.js';

/** Reusable buffers for drawing many slates of one pool. */
export class PlackettLuceSampler {
  private readonly weights: Float64Array;
  private readonly placed: Uint8Array;

  constructor(
    private readonly pool: readonly ScoredCandidate[],
    /** softmaxWeights of the whole pool. */
    private readonly initial: Float64Array,
    private readonly temperature: number,
    /** The creator cap, if it binds on this pool: an item whose creator is full weighs 0. */
    private readonly limit?: PoolLimit,
  ) {
    this.weights = new Float64Array(pool.length);
    this.placed = new Uint8Array(pool.length);
  }

  /** Fills `out` (one entry per slot, at most the pool size or the cap's capacity) with pool indices, top first. */
  draw(rng: Rng, out: Int32Array): void {
    const w = this.weights;
    const limit = this.limit;
    w.set(this.initial);
    this.placed.fill(0);
    limit?.reset();
    for (let slot = 0; slot < out.length; slot++) {
      let total = 0;
      for (let k = 0; k < w.length; k++) total += w[k];
      if (!(total > 0)) {
        w.set(softmaxWeights(this.pool, this.placed, this.temperature));
        total = 0;
        for (let k = 0; k < w.length; k++) total += w[k];
      }
      const k = pick(w, rng.next() * total);
      out[slot] = k;
      this.placed[k] = 1;
      w[k] = 0;
      if (!limit) continue;
      limit.add(k);
      // Items the cap now excludes leave the draw, as if placed (so a re-softmax skips them too).
      for (let j = 0; j < w.length; j++) {
        if (this.placed[j] === 0 && !limit.allows(j)) {
          this.placed[j] = 1;
          w[j] = 0;
        }
      }
    }
  }
}

/** The index where the running sum of w passes r; the last positive weight if rounding runs past the end. */
function pick(w: Float64Array, r: number): number {
  let last = -1;
  for (let k = 0; k < w.length; k++) {
    if (w[k] <= 0) continue;
    r -= w[k];
    if (r < 0) return k;
    last = k;
  }
  return last;
}

/**
 * Softmax weights over the unplaced candidates, exp((s − max) / T) with max over the remaining
 * finite scores (so the best remaining item has weight 1 and nothing overflows or all underflows);
 * 0 for placed items. With no finite score left, every remaining item weighs 1.
 */
export function softmaxWeights(ordered: readonly ScoredCandidate[], placed: Uint8Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < ordered.length; k++) if (placed[k] === 0 && Number.isFinite(ordered[k].score) && ordered[k].score > max) max = ordered[k].score;
  const finite = max > -Infinity;
  return Float64Array.from(ordered, (c, k) => {
    if (placed[k] === 1) return 0;
    if (!finite) return 1;
    return Number.isFinite(c.score) ? Math.exp((c.score - max) / temperature) : 0;
  });
}

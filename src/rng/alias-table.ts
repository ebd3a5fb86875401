import type { Rng } from './rng.js';
import { requireWeights } from './validate.js';

/**
 * Walker's alias method, built with Vose's stable variant: O(n) to build,
 * O(1) per draw. Use it when one distribution is sampled many times
 * (popularity, country mix); Rng.categorical is simpler for one-off draws.
 *
 * Bucket i keeps itself with probability keep[i] and otherwise yields
 * alias[i]; every bucket is chosen with probability 1/n.
 */
export class AliasTable {
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const total = requireWeights('AliasTable', weights);
    const n = weights.length;
    this.keep = new Float64Array(n);
    this.alias = new Int32Array(n);

    // Scale so the average bucket holds exactly 1, then pair each under-full
    // bucket with an over-full one that tops it up.
    const scaled = new Float64Array(n);
    const small = new Int32Array(n);
    const large = new Int32Array(n);
    let nSmall = 0;
    let nLarge = 0;
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i] / total) * n;
      if (scaled[i] < 1) small[nSmall++] = i;
      else large[nLarge++] = i;
    }
    while (nSmall > 0 && nLarge > 0) {
      const s = small[--nSmall];
      const l = large[--nLarge];
      this.keep[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] = scaled[l] + scaled[s] - 1;
      if (scaled[l] < 1) small[nSmall++] = l;
      else large[nLarge++] = l;
    }
    // What remains is full up to rounding error; it keeps itself.
    while (nLarge > 0) this.fill(large[--nLarge]);
    while (nSmall > 0) this.fill(small[--nSmall]);
  }

  /** Number of outcomes (the length of the weight vector). */
  get size(): number {
    return this.keep.length;
  }

  /** Index i with probability weights[i] / Σ weights; two uniforms per draw. */
  sample(rng: Rng): number {
    const i = rng.int(this.keep.length);
    return rng.next() < this.keep[i] ? i : this.alias[i];
  }

  private fill(i: number): void {
    this.keep[i] = 1;
    this.alias[i] = i;
  }
}

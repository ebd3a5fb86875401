/**
 * Monte-Carlo draws of each item's Beta posterior, kept while that posterior is unchanged. An
 * item's column is redrawn only when its counts move, so a round of a K-armed bandit costs
 * mc_draws new draws (the pulled arm's) instead of mc_draws × K. Every column is a sample of
 * its item's current posterior, independent of the others and of the choices, which is all a
 * propensity estimate needs; estimates of different requests share draws, which does not bias
 * any one of them.
 */
import type { KeyedStream } from '../../rng/index.js';

interface Column {
  readonly alpha: number;
  readonly beta: number;
  readonly draws: Float64Array;
}

/** Items whose draws are kept; past this the cache starts over (memory stays bounded on big catalogs). */
const MAX_CACHED_ITEMS = 20_000;

export class PosteriorDraws {
  private readonly columns = new Map<number, Column>();

  constructor(
    readonly draws: number,
    /** Keyed by item and posterior: an item's draws depend on nothing else, so the cache only saves time. */
    private readonly stream: KeyedStream,
  ) {}

  /** The pool's draws, draw-major (out[m·n + k] is draw m of pool item k). */
  matrix(itemIds: readonly number[], alpha: Float64Array, beta: Float64Array): Float64Array {
    const n = itemIds.length;
    const out = new Float64Array(this.draws * n);
    for (let k = 0; k < n; k++) {
      const draws = this.column(itemIds[k], alpha[k], beta[k]);
      for (let m = 0; m < this.draws; m++) out[m * n + k] = draws[m];
    }
    return out;
  }

  private column(itemId: number, alpha: number, beta: number): Float64Array {
    const kept = this.columns.get(itemId);
    if (kept && kept.alpha === alpha && kept.beta === beta) return kept.draws;
    if (!kept && this.columns.size >= MAX_CACHED_ITEMS) this.columns.clear();
    const draws = kept?.draws ?? new Float64Array(this.draws);
    const rng = this.stream.at(itemId, bitsOf(alpha), bitsOf(beta));
    for (let m = 0; m < this.draws; m++) draws[m] = rng.beta(alpha, beta);
    this.columns.set(itemId, { alpha, beta, draws });
    return draws;
  }
}

const word = new Float64Array(1);
const words = new Uint32Array(word.buffer);

/** A 32-bit key from the 64 bits of a double (its two halves mixed): one posterior, one key. */
function bitsOf(value: number): number {
  word[0] = value;
  return (words[0] ^ Math.imul(words[1], 0x9e3779b1)) >>> 0;
}

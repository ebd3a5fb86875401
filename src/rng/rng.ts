import seedrandom from 'seedrandom';
import { checkpointClass } from '../checkpoint/codecs.js';
import { standardGamma } from './gamma.js';
import { poisson } from './poisson.js';
import {
  requireFinite,
  requireInteger,
  requireNonNegative,
  requirePositive,
  requireProbability,
  requireWeights,
} from './validate.js';

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;

/** Where an Rng's uniforms come from: next() in [0, 1) at 32-bit resolution, double() at 53 bits. */
export interface UniformSource {
  (): number;
  double(): number;
}

/**
 * Below this k/n ratio sampleIndices tracks picks in a Set; above it, a byte
 * map of n entries is cheaper. Both see the same draws, so the result does
 * not depend on which one runs.
 */
const DENSE_SAMPLE_RATIO = 1 / 16;

/**
 * One seeded stream of random numbers and the samplers built on it.
 *
 * The generator is Alea (via seedrandom): fast, small state, and identical
 * across platforms for a given seed string. next() has 32-bit resolution
 * (every value is a multiple of 2^-32), ample for simulation; int() is exactly
 * uniform for n <= 2^32.
 *
 * Every draw advances the stream, so two components that share an Rng
 * perturb each other's sequences; give each its own (see RandomStreams).
 */
export class Rng {
  private readonly source: UniformSource;
  /** The Alea generator behind `source`, when the stream was seeded with a string: its state is what a checkpoint saves. */
  private readonly alea: seedrandom.StatefulPRNG<seedrandom.State.Alea> | undefined;
  // Box–Muller yields normals in pairs; the second is kept for the next call.
  private hasSpareNormal = false;
  private spareNormal = 0;

  /** A seed string (Alea), or a source of uniforms of the caller's own (see KeyedStream). */
  constructor(seed: string | UniformSource, aleaState?: seedrandom.State.Alea) {
    if (typeof seed === 'string') {
      this.alea = seedrandom.alea(seed, aleaState ? { state: aleaState } : { state: true });
      this.source = this.alea;
    } else {
      this.alea = undefined;
      this.source = seed;
    }
  }

  static {
    // A checkpoint saves where an Alea stream is; a stream on a source of the caller's own keeps
    // the restored run's source (its owner is restored in place) and only its spare normal.
    interface Saved {
      readonly alea: seedrandom.State.Alea | undefined;
      readonly hasSpareNormal: boolean;
      readonly spareNormal: number;
    }
    checkpointClass(Rng, {
      save: (rng): Saved => ({ alea: rng.alea?.state(), hasSpareNormal: rng.hasSpareNormal, spareNormal: rng.spareNormal }),
      restore: (state, twin) => {
        const saved = state as Saved;
        const rng = saved.alea ? new Rng('', saved.alea) : twin;
        if (!rng) throw new Error('checkpoint: a random stream on a source of its owner has no counterpart in the restored run');
        rng.hasSpareNormal = saved.hasSpareNormal;
        rng.spareNormal = saved.spareNormal;
        return rng;
      },
    });
  }

  /** Forgets the spare normal of the last Box–Muller pair, for a source that has been repositioned. */
  dropSpareNormal(): void {
    this.hasSpareNormal = false;
  }

  /** Keeps `value` as the spare normal, for an owner that drew a Box–Muller pair from this stream's source itself (KeyedStream.betaDraws). */
  keepSpareNormal(value: number): void {
    this.hasSpareNormal = true;
    this.spareNormal = value;
  }

  /** Hands the spare normal over and forgets it (NaN when there is none), for an owner that goes on drawing from this stream's source itself (KeyedStream.betaDraws). */
  takeSpareNormal(): number {
    if (!this.hasSpareNormal) return Number.NaN;
    this.hasSpareNormal = false;
    return this.spareNormal;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.source();
  }

  /** Uniform in [a, b). */
  uniform(a = 0, b = 1): number {
    requireFinite('uniform', 'a', a);
    requireFinite('uniform', 'b', b);
    if (b < a) throw new RangeError(`uniform: b must be >= a (got a=${a}, b=${b})`);
    return a + (b - a) * this.source();
  }

  /** Uniform integer in [0, n); n must be an integer in [1, 2^53 - 1]. */
  int(n: number): number {
    if (n <= TWO_POW_32 && n >= 1 && Number.isInteger(n)) {
      // Reject the top sliver of 32-bit values so every residue is equally likely.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x: number;
      do x = Math.floor(this.source() * TWO_POW_32);
      while (x >= limit);
      return x % n;
    }
    requireInteger('int', 'n', n, 1, Number.MAX_SAFE_INTEGER);
    // Beyond 32 bits use a 53-bit uniform; the bias, at most n / 2^53, is negligible.
    return Math.floor(this.source.double() * n);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    requireProbability('bernoulli', 'p', p);
    return this.source() < p;
  }

  /** Normal(mean, sd) by Box–Muller. */
  normal(mean = 0, sd = 1): number {
    requireFinite('normal', 'mean', mean);
    requireNonNegative('normal', 'sd', sd);
    if (this.hasSpareNormal) {
      this.hasSpareNormal = false;
      return mean + sd * this.spareNormal;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.source())); // 1 - next() > 0
    const angle = TWO_PI * this.source();
    this.spareNormal = radius * Math.sin(angle);
    this.hasSpareNormal = true;
    return mean + sd * radius * Math.cos(angle);
  }

  /** exp(Normal(mu, sigma)): mu and sigma are the log-scale parameters. */
  lognormal(mu: number, sigma: number): number {
    requireFinite('lognormal', 'mu', mu);
    requireNonNegative('lognormal', 'sigma', sigma);
    return Math.exp(this.normal(mu, sigma));
  }

  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    requirePositive('exponential', 'rate', rate);
    return -Math.log(1 - this.source()) / rate;
  }

  /** Gamma(shape, scale): mean shape·scale. */
  gamma(shape: number, scale = 1): number {
    requirePositive('gamma', 'shape', shape);
    requirePositive('gamma', 'scale', scale);
    return standardGamma(this, shape) * scale;
  }

  /** Beta(a, b), as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
  beta(a: number, b: number): number {
    requirePositive('beta', 'a', a);
    requirePositive('beta', 'b', b);
    const x = standardGamma(this, a);
    const y = standardGamma(this, b);
    const sum = x + y;
    // With tiny a and b both gammas can underflow to 0. Beta(a, b) then sits
    // almost entirely at 0 or 1, with P(1) = a / (a + b), so draw that.
    if (sum === 0) return this.source() < a / (a + b) ? 1 : 0;
    return x / sum;
  }

  /** Dirichlet(alpha): a fresh probability vector with E[x_i] = alpha_i / Σ alpha. */
  dirichlet(alpha: ArrayLike<number>): Float64Array {
    const n = alpha.length;
    if (n === 0) throw new RangeError('dirichlet: alpha must not be empty');
    for (let i = 0; i < n; i++) requirePositive('dirichlet', `alpha[${i}]`, alpha[i]);
    const out = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const g = standardGamma(this, alpha[i]);
      out[i] = g;
      sum += g;
    }
    if (sum === 0) {
      // Every gamma underflowed (all alphas tiny): the limit is a vertex of
      // the simplex, chosen with probability proportional to alpha.
      out[this.categorical(alpha)] = 1;
      return out;
    }
    for (let i = 0; i < n; i++) out[i] /= sum;
    return out;
  }

  /** Poisson(lambda), exact for every lambda >= 0 (Knuth below 10, PTRS above). */
  poisson(lambda: number): number {
    requireNonNegative('poisson', 'lambda', lambda);
    return poisson(this, lambda);
  }

  /**
   * Index i with probability weights[i] / Σ weights, by linear scan: O(n) per
   * draw, so for repeated draws from one distribution build an AliasTable.
   */
  categorical(weights: ArrayLike<number>): number {
    const total = requireWeights('categorical', weights);
    const n = weights.length;
    let r = this.source() * total;
    for (let i = 0; i < n; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    // Rounding in the running sum can leave r >= 0; fall back to the last
    // index with positive weight (zero-weight indices are never returned).
    let last = n - 1;
    while (weights[last] === 0) last--;
    return last;
  }

  /** Shuffles arr in place (Fisher–Yates) and returns it. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  /**
   * k distinct indices drawn uniformly from [0, n) without replacement, in a
   * uniformly random order (every ordered k-tuple equally likely). Few picks
   * from many are redrawn on a repeat, which allocates nothing but the result;
   * otherwise the picks are sampled, then shuffled.
   */
  orderedSample(n: number, k: number): number[] {
    requireInteger('orderedSample', 'n', n, 0, Number.MAX_SAFE_INTEGER);
    requireInteger('orderedSample', 'k', k, 0, n);
    if (k > n * DENSE_SAMPLE_RATIO) return this.shuffle(this.floydDense(n, k));
    const out: number[] = [];
    while (out.length < k) {
      const t = this.int(n);
      if (!out.includes(t)) out.push(t);
    }
    return out;
  }

  /**
   * k distinct indices drawn uniformly from [0, n) without replacement, in
   * ascending order. Floyd's algorithm: exactly k draws, O(k) memory when
   * k << n, so it suits picking a few items from a large catalogue.
   */
  sampleIndices(n: number, k: number): number[] {
    requireInteger('sampleIndices', 'n', n, 0, Number.MAX_SAFE_INTEGER);
    requireInteger('sampleIndices', 'k', k, 0, n);
    return k > n * DENSE_SAMPLE_RATIO ? this.floydDense(n, k) : this.floydSparse(n, k);
  }

  private floydSparse(n: number, k: number): number[] {
    const chosen = new Set<number>();
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      chosen.add(chosen.has(t) ? j : t);
    }
    return Array.from(chosen).sort((x, y) => x - y);
  }

  private floydDense(n: number, k: number): number[] {
    const taken = new Uint8Array(n);
    for (let j = n - k; j < n; j++) {
      const t = this.int(j + 1);
      taken[taken[t] === 1 ? j : t] = 1;
    }
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (taken[i] === 1) out.push(i);
    return out;
  }
}

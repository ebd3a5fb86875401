/**
 * A stream whose draws are addressed by a key instead of by their order: `at(a, b, c)` positions
 * it, and the same key always gives the same draws, whatever was drawn before or for other keys.
 *
 * This is what keeps common random numbers paired across twin worlds. With a stream read in
 * order, one user clicking in one arm and not in the other hands every later draw to a different
 * user; keyed by (user, session, request), a user's n-th request gets the same uniforms in every
 * arm, so where the arms show that user similar slates the user behaves alike.
 *
 * The generator is Mulberry32 started from a 32-bit hash of the stream's seed and the key
 * (MurmurHash3's mixing): short sequences per key, each statistically independent of the others.
 */
import { Rng, type UniformSource } from './rng.js';
import { requirePositive } from './validate.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_32 = 1 / TWO_POW_32;
const MULBERRY_STEP = 0x6d2b79f5;
const TWO_PI = 2 * Math.PI;

export class KeyedStream {
  readonly rng: Rng;
  private readonly base: number;
  private state = 0;

  constructor(seed: string) {
    this.base = hashString(seed);
    const next = (): number => this.next32() / TWO_POW_32;
    const source: UniformSource = Object.assign(next, { double: () => (this.next32() * 2 ** 21 + (this.next32() >>> 11)) / 2 ** 53 });
    this.rng = new Rng(source);
  }

  /** The stream's Rng, positioned at the start of key (a, b, c): whole numbers, each below 2^32. */
  at(a: number, b = 0, c = 0): Rng {
    let h = mix(this.base ^ Math.imul(a >>> 0, 0xcc9e2d51));
    h = mix(h ^ Math.imul(b >>> 0, 0x1b873593));
    this.state = mix(h ^ Math.imul(c >>> 0, 0xe6546b64));
    this.rng.dropSpareNormal();
    return this.rng;
  }

  /**
   * Positions the stream at key (a, b, c), as at() does, and draws out[i] ~ Beta(alpha[i], beta[i])
   * for every i: the same numbers as `const rng = at(a, b, c)` followed by `out[i] =
   * rng.beta(alpha[i], beta[i])` in order, and the stream left where those calls leave it.
   */
  betaDrawsAt(a: number, b: number, c: number, alpha: ArrayLike<number>, beta: ArrayLike<number>, out: Float64Array): void {
    this.at(a, b, c);
    this.betaDraws(alpha, beta, out, 0, out.length);
  }

  /**
   * out[i] ~ Beta(alpha[i], beta[i]) for i in [from, to), drawn from where the stream stands: the
   * same numbers as `rng.beta(alpha[i], beta[i])` in order, and the stream left where those calls
   * leave it, so a row can be drawn in pieces. It runs the generator, the normals and the gamma
   * sampler (gamma.ts) in one loop, without a call per uniform: a Thompson policy draws a Beta for
   * each of hundreds of items per request. Every draw is at most betaDrawBound(alpha[i], beta[i]).
   */
  betaDraws(alpha: ArrayLike<number>, beta: ArrayLike<number>, out: Float64Array, from: number, to: number): void {
    let state = this.state;
    let spare = this.rng.takeSpareNormal();
    let hasSpare = !Number.isNaN(spare);
    for (let i = from; i < to; i++) {
      const alphaI = alpha[i];
      const betaI = beta[i];
      if (!(alphaI > 0 && alphaI < Infinity)) requirePositive('beta', 'a', alphaI);
      if (!(betaI > 0 && betaI < Infinity)) requirePositive('beta', 'b', betaI);
      let x = 0;
      for (let side = 0; side < 2; side++) {
        let shape = side === 0 ? alphaI : betaI;
        // Below shape 1: Gamma(shape) = Gamma(shape + 1) · U^(1/shape), U drawn first.
        let boost = 1;
        if (shape < 1) {
          state = (state + MULBERRY_STEP) | 0;
          boost = Math.pow(1 - mulberryOutput(state) * TWO_POW_MINUS_32, 1 / shape);
          shape += 1;
        }
        const d = shape - 1 / 3;
        const cd = 1 / Math.sqrt(9 * d);
        let gamma: number;
        for (;;) {
          let z: number;
          let v: number;
          do {
            if (hasSpare) {
              hasSpare = false;
              z = spare;
            } else {
              state = (state + MULBERRY_STEP) | 0;
              const u1 = mulberryOutput(state) * TWO_POW_MINUS_32;
              state = (state + MULBERRY_STEP) | 0;
              const u2 = mulberryOutput(state) * TWO_POW_MINUS_32;
              const radius = Math.sqrt(-2 * Math.log(1 - u1));
              const angle = TWO_PI * u2;
              spare = radius * Math.sin(angle);
              hasSpare = true;
              z = radius * Math.cos(angle);
            }
            v = 1 + cd * z;
          } while (v <= 0);
          v = v * v * v;
          state = (state + MULBERRY_STEP) | 0;
          const u = 1 - mulberryOutput(state) * TWO_POW_MINUS_32;
          const z2 = z * z;
          if (u < 1 - 0.0331 * z2 * z2 || Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) {
            gamma = d * v * boost;
            break;
          }
        }
        if (side === 0) {
          x = gamma;
          continue;
        }
        const sum = x + gamma;
        if (sum !== 0) {
          out[i] = x / sum;
          continue;
        }
        // Both gammas underflowed: as Rng.beta, a draw at 0 or 1.
        state = (state + MULBERRY_STEP) | 0;
        out[i] = mulberryOutput(state) * TWO_POW_MINUS_32 < alphaI / (alphaI + betaI) ? 1 : 0;
      }
    }
    this.state = state;
    if (hasSpare) this.rng.keepSpareNormal(spare);
  }

  /** Mulberry32: one 32-bit output per step. */
  private next32(): number {
    this.state = (this.state + MULBERRY_STEP) | 0;
    return mulberryOutput(this.state);
  }
}

/**
 * The largest normal betaDraws' Box–Muller pairs can give: the radius at the smallest 1 − u
 * a 32-bit uniform leaves, 2^-32 (|z| ≤ 6.66).
 */
const MAX_NORMAL = Math.sqrt(-2 * Math.log(TWO_POW_MINUS_32));
/** Room for the rounding of a Beta draw's last division, which the bound's own arithmetic does not follow step by step. */
const BOUND_MARGIN = 1 + 1e-9;

/**
 * A number no Beta(alpha, beta) draw of betaDraws exceeds: the largest gamma its sampler can
 * return for alpha over the smallest for beta, each taken at the normal's bound with the
 * sampler's own arithmetic (rounding is monotone, so no draw's steps pass the bound's). Below
 * shape 1 the boost, a power of a uniform, can take a gamma as near 0 as it likes.
 */
export function betaDrawBound(alpha: number, beta: number): number {
  const x = gammaDrawLimit(alpha, MAX_NORMAL);
  const y = beta < 1 ? 0 : gammaDrawLimit(beta, -MAX_NORMAL);
  return Math.min(1, (x / (x + y)) * BOUND_MARGIN);
}

/** The gamma betaDraws' sampler returns for this shape and normal z, before the boost below shape 1 (at most 1). */
function gammaDrawLimit(shape: number, z: number): number {
  const d = (shape < 1 ? shape + 1 : shape) - 1 / 3;
  const v = 1 + (1 / Math.sqrt(9 * d)) * z;
  // The sampler's order of operations: v cubed, then times d.
  return v <= 0 ? 0 : d * (v * v * v);
}

/** Mulberry32's output for a state: the state's bits scrambled. */
function mulberryOutput(state: number): number {
  let t = Math.imul(state ^ (state >>> 15), state | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the seed's UTF-16 code units, then mixed. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h >>> 0);
}

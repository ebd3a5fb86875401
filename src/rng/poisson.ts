import { logFactorial } from './log-factorial.js';
import type { Rng } from './rng.js';

/**
 * Below this mean, Knuth's multiplication method is both exact and cheap
 * (about lambda + 1 uniforms); at and above it PTRS costs O(1) per draw.
 * PTRS is valid for lambda >= 10.
 */
const PTRS_MIN_LAMBDA = 10;

/** Poisson(lambda) for a validated lambda >= 0. Exact at every lambda. */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda === 0) return 0;
  return lambda < PTRS_MIN_LAMBDA ? poissonKnuth(rng, lambda) : poissonPtrs(rng, lambda);
}

/** Counts uniforms until their running product drops to e^-lambda. */
function poissonKnuth(rng: Rng, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let product = rng.next();
  while (product > limit) {
    k++;
    product *= rng.next();
  }
  return k;
}

/**
 * Hörmann (1993), "The transformed rejection method for generating Poisson
 * random variables" (PTRS), as in NumPy. Exact, not an approximation: the
 * squeeze accepts most candidates and the rest take an exact density test.
 */
function poissonPtrs(rng: Rng, lambda: number): number {
  const sqrtLambda = Math.sqrt(lambda);
  const logLambda = Math.log(lambda);
  const b = 0.931 + 2.53 * sqrtLambda;
  const a = -0.059 + 0.02483 * b;
  const logInvAlpha = Math.log(1.1239 + 1.1328 / (b - 3.4));
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5;
    const v = rng.next();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    // log(0) = -Infinity simply accepts, which is the correct limit.
    if (Math.log(v) + logInvAlpha - Math.log(a / (us * us) + b) <= -lambda + k * logLambda - logFactorial(k)) {
      return k;
    }
  }
}

/**
 * The paper writes its Beta draws by mean and variance. A Beta of mean μ has a variance below
 * μ(1 − μ); where the asked variance reaches that (a mean very near 0 or 1), it is lowered to
 * half that bound, so every mean still gives a valid Beta with that mean.
 */
import type { Rng } from '../../rng/index.js';

/** Beta(a, b) with mean `mean` and variance `variance` (capped as above); mean must lie in (0, 1). */
export function betaParameters(mean: number, variance: number): { readonly a: number; readonly b: number } {
  const bound = mean * (1 - mean);
  const v = variance < bound ? variance : bound / 2;
  const total = bound / v - 1; // a + b
  return { a: mean * total, b: (1 - mean) * total };
}

/** One draw of a Beta with that mean and variance. */
export function betaByMoments(rng: Rng, mean: number, variance: number): number {
  const { a, b } = betaParameters(mean, variance);
  return rng.beta(a, b);
}

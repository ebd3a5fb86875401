import type { Rng } from './rng.js';

/**
 * Gamma(shape, 1) by Marsaglia & Tsang (2000), "A simple method for generating
 * gamma variables". Expects a validated shape > 0.
 *
 * The squeeze accepts ~98% of candidates without a logarithm; the method
 * needs shape >= 1, so smaller shapes use the boost
 * Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function standardGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    const boost = Math.pow(1 - rng.next(), 1 / shape); // 1 - next() is in (0, 1]
    return standardGamma(rng, shape + 1) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * The Lai–Robbins (1985) lower bound on the regret of any consistent policy on stationary
 * Bernoulli arms: asymptotically, regret(T) ≥ Σ_{i: Δi > 0} Δi / KL(μi ‖ μ*) · ln T, where
 * KL is the Bernoulli Kullback–Leibler divergence and μ* the best mean.
 */

/** KL(Bernoulli(p) ‖ Bernoulli(q)) in nats, with 0·ln 0 = 0; Infinity when q puts no mass where p does. */
export function bernoulliKl(p: number, q: number): number {
  const term = (a: number, b: number): number => (a === 0 ? 0 : b === 0 ? Infinity : a * Math.log(a / b));
  return term(p, q) + term(1 - p, 1 - q);
}

/** Σ Δi / KL(μi ‖ μ*) over the suboptimal arms: the bound is this constant times ln T. */
export function laiRobbinsConstant(means: readonly number[]): number {
  const best = Math.max(...means);
  let constant = 0;
  for (const mean of means) {
    const gap = best - mean;
    if (gap <= 0) continue;
    // An infinite divergence (μ* = 1) means the arm is told apart at once: it adds nothing.
    constant += gap / bernoulliKl(mean, best);
  }
  return constant;
}

/** The bound at round t (0 before the logarithm turns positive). */
export function laiRobbinsBound(constant: number, t: number): number {
  return t > 1 ? constant * Math.log(t) : 0;
}

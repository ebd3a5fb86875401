/**
 * Per-slot epsilon-greedy with exact marginals. Each slot independently explores with
 * probability ε; exploiting slots keep their greedy item; the explored slots are then filled, in
 * order, with a uniformly random draw without replacement from every catalog item not kept.
 * Every (item, slot) pair has positive probability, so the policy can also serve as a logging
 * policy. With n items, L = min(slate size, n) slots and greedy list g:
 *   P(g_p at p)       = (1-ε) + ε·E[1/(n-L+1+B₁)],  B₁ ~ Bin(L-1, ε)
 *   P(g_q at p), q≠p  = ε²·E[1/(n-L+2+B₂)],         B₂ ~ Bin(L-2, ε)
 *   P(i ∉ g at p)     = ε·E[1/(n-L+1+B₁)]
 * (given slot p explores, its item is uniform over the pool of items not kept, of size n-L+|explored|).
 */
import type { Rng } from '../../rng/index.js';
import type { OpeContext, SlotDistribution, TargetPolicy } from '../types.js';
import type { Ranking } from './ranking.js';

export class EpsilonGreedyTargetPolicy implements TargetPolicy {
  readonly name: string;
  private readonly terms = new Map<string, { own: number; otherGreedy: number; rest: number }>();

  constructor(
    private readonly ranking: Ranking,
    readonly epsilon: number,
  ) {
    if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
    this.name = `epsilon-greedy(${epsilon}, ${ranking.name})`;
  }

  slot(ctx: OpeContext, position: number): SlotDistribution {
    const greedy = this.ranking.top(ctx, ctx.slateSize);
    const { own, otherGreedy, rest } = this.probabilities(ctx.catalogSize, greedy.length);
    const probs = greedy.map((_, q) => (q === position ? own : otherGreedy));
    return { items: greedy, probs, restMass: rest * (ctx.catalogSize - greedy.length), restExcludes: greedy };
  }

  sample(ctx: OpeContext, rng: Rng): number[] {
    const greedy = this.ranking.top(ctx, ctx.slateSize);
    const explore = greedy.map(() => rng.bernoulli(this.epsilon));
    const taken = new Set<number>();
    greedy.forEach((item, p) => {
      if (!explore[p]) taken.add(item);
    });
    return greedy.map((item, p) => {
      if (!explore[p]) return item;
      const drawn = drawNotTaken(ctx.catalogSize, taken, rng);
      taken.add(drawn);
      return drawn;
    });
  }

  /** The three probabilities above for a catalog of n and a slate of L (cached: n changes rarely). */
  private probabilities(n: number, L: number): { own: number; otherGreedy: number; rest: number } {
    const key = `${n}:${L}`;
    let t = this.terms.get(key);
    if (!t) {
      const eps = this.epsilon;
      const e1 = expectedInverse(n - L + 1, L - 1, eps);
      const e2 = L >= 2 ? expectedInverse(n - L + 2, L - 2, eps) : 0;
      t = { own: 1 - eps + eps * e1, otherGreedy: eps * eps * e2, rest: eps * e1 };
      this.terms.set(key, t);
    }
    return t;
  }
}

/** E[1 / (base + B)] for B ~ Binomial(trials, p). */
function expectedInverse(base: number, trials: number, p: number): number {
  let e = 0;
  let pmf = (1 - p) ** trials; // P(B = 0)
  for (let b = 0; b <= trials; b++) {
    e += pmf / (base + b);
    // P(B = b+1) = P(B = b) · (trials-b)/(b+1) · p/(1-p); recomputed directly when p is 1.
    pmf = p === 1 ? (b + 1 === trials ? 1 : 0) : (pmf * (trials - b) * p) / ((b + 1) * (1 - p));
  }
  return e;
}

/** A uniform item of 0..n-1 outside `taken`: rejection while the pool is large, else an explicit pool. */
function drawNotTaken(n: number, taken: ReadonlySet<number>, rng: Rng): number {
  if (taken.size * 2 < n) {
    for (;;) {
      const i = rng.int(n);
      if (!taken.has(i)) return i;
    }
  }
  const pool: number[] = [];
  for (let i = 0; i < n; i++) if (!taken.has(i)) pool.push(i);
  return pool[rng.int(pool.length)];
}

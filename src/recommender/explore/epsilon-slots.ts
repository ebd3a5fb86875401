/**
 * Slot-independent epsilon-greedy over a pool of n items (indices 0..n-1), with exact marginal
 * probabilities. One implementation for the recommender's policy (pool = its candidates or the
 * catalog) and OPE's target policy (pool = the catalog).
 *
 * A slate has L slots; slot p < G has a greedy item g_p (G ≤ L: the greedy list may be shorter
 * than the slate, when the candidates run out), slots p ≥ G have none. Each slot p < G explores
 * independently with probability ε; slots p ≥ G always explore. Slots that do not explore keep
 * their greedy item; the exploring slots are then filled, in slot order, by uniform draws
 * without replacement from the pool minus the kept items. Given that slot p explores, its item
 * is uniform over that remainder, of size n − (number of kept items); hence, with B ~ Bin(m, ε):
 *
 *   slot p < G:   P(g_p at p) = (1−ε) + ε·E₁,   P(g_q at p) = ε²·E₂ (q ≠ p),   P(other at p) = ε·E₁
 *   slot p ≥ G:   P(g_q at p) = ε·E₁,           P(other at p) = E₀
 *
 *   E₀ = E[1/(n−G+B)], B ~ Bin(G, ε)      E₁ = E[1/(n−G+1+B)], B ~ Bin(G−1, ε)
 *   E₂ = E[1/(n−G+2+B)], B ~ Bin(G−2, ε)
 *
 * (E₁ at p < G: the other G−1 greedy slots each keep their item with probability 1−ε; E₂: g_q's
 * slot must explore too, which frees g_q, leaving G−2 slots that may keep theirs.)
 */
import type { Rng } from '../../rng/index.js';

/** The five probabilities above, for one (n, L, G). */
export interface EpsilonSlotProbabilities {
  /** P(g_p at p), p < G. */
  readonly own: number;
  /** P(g_q at p), p < G, q ≠ p. */
  readonly otherGreedy: number;
  /** P(i at p) for a non-greedy item i, p < G. */
  readonly rest: number;
  /** P(g_q at p), p ≥ G. */
  readonly greedyInOpenSlot: number;
  /** P(i at p) for a non-greedy item i, p ≥ G. */
  readonly restInOpenSlot: number;
}

export class EpsilonSlots {
  private last: EpsilonSlotProbabilities | undefined;
  private readonly lastKey = [-1, -1, -1];

  constructor(readonly epsilon: number) {
    if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError(`epsilon must be in [0, 1], got ${epsilon}`);
  }

  /** Pool of n, L slots, G greedy items (G ≤ L ≤ n). Kept for the last (n, L, G): a run asks for the same one many times in a row. */
  probabilities(n: number, slots: number, greedy: number): EpsilonSlotProbabilities {
    const key = this.lastKey;
    if (this.last && key[0] === n && key[1] === slots && key[2] === greedy) return this.last;
    const eps = this.epsilon;
    const e0 = slots > greedy ? expectedInverse(n - greedy, greedy, eps) : 0;
    const e1 = greedy >= 1 ? expectedInverse(n - greedy + 1, greedy - 1, eps) : 0;
    const e2 = greedy >= 2 ? expectedInverse(n - greedy + 2, greedy - 2, eps) : 0;
    this.last = { own: 1 - eps + eps * e1, otherGreedy: eps * eps * e2, rest: eps * e1, greedyInOpenSlot: eps * e1, restInOpenSlot: e0 };
    key[0] = n;
    key[1] = slots;
    key[2] = greedy;
    return this.last;
  }

  /** P(item at `slot`) for the item of greedy rank `rank` (−1: not a greedy item). */
  probability(n: number, slots: number, greedy: number, slot: number, rank: number): number {
    const t = this.probabilities(n, slots, greedy);
    if (slot < greedy) return rank === slot ? t.own : rank >= 0 ? t.otherGreedy : t.rest;
    return rank >= 0 ? t.greedyInOpenSlot : t.restInOpenSlot;
  }

  /**
   * One slate of `slots` pool indices, top first; greedy[p] is slot p's greedy pool index. Draws:
   * one Bernoulli(ε) per greedy slot, in order, then one uniform fill per exploring slot, in order.
   */
  sample(n: number, slots: number, greedy: ArrayLike<number>, rng: Rng): number[] {
    const g = Math.min(greedy.length, slots);
    const explore: boolean[] = [];
    for (let p = 0; p < g; p++) explore.push(rng.bernoulli(this.epsilon));
    const taken: number[] = [];
    for (let p = 0; p < g; p++) if (!explore[p]) taken.push(greedy[p]);
    const slate: number[] = [];
    for (let p = 0; p < slots; p++) {
      if (p < g && !explore[p]) {
        slate.push(greedy[p]);
        continue;
      }
      const drawn = drawNotTaken(n, taken, rng);
      taken.push(drawn);
      slate.push(drawn);
    }
    return slate;
  }
}

/** E[1 / (base + B)] for B ~ Binomial(trials, p). */
export function expectedInverse(base: number, trials: number, p: number): number {
  let e = 0;
  let pmf = (1 - p) ** trials; // P(B = 0)
  for (let b = 0; b <= trials; b++) {
    e += pmf / (base + b);
    // P(B = b+1) = P(B = b) · (trials-b)/(b+1) · p/(1-p); recomputed directly when p is 1.
    pmf = p === 1 ? (b + 1 === trials ? 1 : 0) : (pmf * (trials - b) * p) / ((b + 1) * (1 - p));
  }
  return e;
}

/** A uniform index of 0..n-1 outside `taken` (a few items): rejection while the pool is large, else an explicit pool. */
function drawNotTaken(n: number, taken: readonly number[], rng: Rng): number {
  if (taken.length * 2 < n) {
    for (;;) {
      const i = rng.int(n);
      if (!taken.includes(i)) return i;
    }
  }
  const pool: number[] = [];
  for (let i = 0; i < n; i++) if (!taken.includes(i)) pool.push(i);
  return pool[rng.int(pool.length)];
}

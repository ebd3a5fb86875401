/**
 * Slot-independent epsilon-greedy (epsilon-slots.ts) under a creator cap. The draws are the same
 * as without one, except that an exploring slot's uniform draw is over the pool minus the items
 * placed so far (kept greedy items first, then earlier fills) minus the items whose creator has
 * reached the cap. The greedy list itself must respect the cap.
 *
 * The closed form no longer holds (which items the cap excludes depends on the earlier draws),
 * so each slot's marginal is estimated by Monte Carlo, Rao–Blackwellised: for each of M slates
 * simulated from a stream of their own, add P(item at slot p | that slate's slots before p),
 * which is 1 or 0 on a kept slot and 1/(items still allowed) on an exploring slot where the item
 * is still allowed; the realised slate's own conditional counts as one more sample:
 *
 *     propensity = (Σ_m q_m + q_realised) / (M + 1)
 *
 * Each q_m is an unbiased draw of the marginal, so without the realised term the estimate is
 * unbiased; the realised term keeps it above 0 and adds a bias below 1/(M + 1), as the
 * (W + 1)/(M + 1) estimate of Thompson sampling does. Unlike counting wins, averaging the
 * conditionals resolves marginals far below 1/M (an explored item's ε/n).
 */
import type { Rng } from '../../rng/index.js';
import type { PoolLimit } from './pool-limit.js';

/** One capped slate (pool indices, top first) and which of its greedy slots explored. */
export interface CappedSlate {
  readonly slate: readonly number[];
  readonly explored: readonly boolean[];
}

/** Draws one slate: one Bernoulli(ε) per greedy slot, in order, then one allowed uniform fill per exploring slot, in order. */
export function sampleCapped(epsilon: number, n: number, slots: number, greedy: ArrayLike<number>, limit: PoolLimit, rng: Rng): CappedSlate {
  const g = Math.min(greedy.length, slots);
  const explored: boolean[] = [];
  for (let p = 0; p < g; p++) explored.push(rng.bernoulli(epsilon));
  const slate = walk(n, slots, greedy, explored, limit, (taken) => drawAllowed(n, taken, limit, rng));
  return { slate, explored };
}

/** The Rao–Blackwellised marginal of each slot's item in `realised` (see above), from `draws` simulated slates. */
export function cappedMarginals(epsilon: number, n: number, greedy: ArrayLike<number>, realised: CappedSlate, limit: PoolLimit, draws: number, mcRng: Rng): Float64Array {
  const target = realised.slate;
  const slots = target.length;
  const g = Math.min(greedy.length, slots);
  const sum = new Float64Array(slots);
  const explored: boolean[] = new Array<boolean>(g);
  for (let m = 0; m < draws; m++) {
    for (let p = 0; p < g; p++) explored[p] = mcRng.bernoulli(epsilon);
    walk(n, slots, greedy, explored, limit, (taken) => drawAllowed(n, taken, limit, mcRng), target, sum);
  }
  walk(n, slots, greedy, realised.explored, limit, (_taken, p) => target[p], target, sum);
  return sum.map((s) => s / (draws + 1));
}

/**
 * Fills the slots: kept greedy items first, then each exploring slot from `fill`. With `target`,
 * adds to into[p] the conditional probability of target[p] at slot p given the slots before it.
 */
function walk(
  n: number,
  slots: number,
  greedy: ArrayLike<number>,
  explored: readonly boolean[],
  limit: PoolLimit,
  fill: (taken: readonly number[], slot: number) => number,
  target?: readonly number[],
  into?: Float64Array,
): number[] {
  const g = Math.min(greedy.length, slots);
  const taken: number[] = [];
  limit.reset();
  for (let p = 0; p < g; p++) {
    if (explored[p]) continue;
    taken.push(greedy[p]);
    limit.add(greedy[p]);
  }
  const slate: number[] = [];
  for (let p = 0; p < slots; p++) {
    if (p < g && !explored[p]) {
      slate.push(greedy[p]);
      if (target && into && target[p] === greedy[p]) into[p] += 1;
      continue;
    }
    const open = n - taken.length - limit.blocked;
    if (open <= 0) break;
    if (target && into && !taken.includes(target[p]) && limit.allows(target[p])) into[p] += 1 / open;
    const item = fill(taken, p);
    taken.push(item);
    limit.add(item);
    slate.push(item);
  }
  return slate;
}

/** A uniform pool index outside `taken` that the cap allows: rejection while most of the pool is open, else an explicit list. */
function drawAllowed(n: number, taken: readonly number[], limit: PoolLimit, rng: Rng): number {
  if ((taken.length + limit.blocked) * 2 < n) {
    for (;;) {
      const i = rng.int(n);
      if (!taken.includes(i) && limit.allows(i)) return i;
    }
  }
  const open: number[] = [];
  for (let i = 0; i < n; i++) if (!taken.includes(i) && limit.allows(i)) open.push(i);
  return open[rng.int(open.length)];
}

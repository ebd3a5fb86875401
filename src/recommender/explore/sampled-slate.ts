/**
 * Slates from randomly drawn scores, the shape shared by Thompson sampling and its linear
 * variant (the standard slate Thompson sampling): ONE draw of every pool item's score per
 * request, and the slate is the top L by that draw (ties to the earlier item), skipping items
 * the creator cap excludes. For a slate of one this is ordinary Thompson sampling.
 *
 * The marginal P(item at slot k) has no closed form. It is estimated from M = mcDraws further
 * draws taken from a stream of their own (so the choices never depend on M): W = how many of
 * them put the item at slot k, and
 *
 *     propensity = (W + 1) / (M + 1)
 *
 * the realised draw counted as one more sample, so it is never 0. Why this estimate: with
 * W ~ Bin(M, p), E[1/p̂] = (1 − (1−p)^{M+1}) / p, so an inverse-propensity weight is unbiased up
 * to the (1−p)^{M+1} term (below 3·10⁻⁵ once p ≥ 0.1 at M = 100).
 */
import type { Rng } from '../../rng/index.js';
import type { ScoredCandidate, SlateEntry, SlotDistribution } from '../types.js';
import { entryOf, slotCount } from './entries.js';
import { SlotTally } from './marginals.js';
import { cappedTopInto, type PoolLimit } from './pool-limit.js';

/** Random scores for a fixed pool: fills out[k] with a draw for pool item k. */
export interface ScoreSampler {
  sample(rng: Rng, out: Float64Array): void;
}

export interface SampledSlateOptions {
  readonly slateSize: number;
  /** Draws for the choices. */
  readonly rng: Rng;
  /** The creator cap over the pool, if it binds: every slate, realised or Monte-Carlo, is filled under it. */
  readonly limit?: PoolLimit;
}

/** `draws` Monte-Carlo draws of the pool's scores, draw-major (mc[m·n + k]), from a stream of their own. */
export function monteCarloScores(sampler: ScoreSampler, n: number, draws: number, mcRng: Rng): Float64Array {
  const mc = new Float64Array(draws * n);
  const row = new Float64Array(n);
  for (let m = 0; m < draws; m++) {
    sampler.sample(mcRng, row);
    mc.set(row, m * n);
  }
  return mc;
}

/** The slate from one draw of `sampler`, each slot's marginal estimated from `mc` (see monteCarloScores). */
export function sampledSlate(pool: readonly ScoredCandidate[], sampler: ScoreSampler, mc: Float64Array, options: SampledSlateOptions): SlateEntry[] {
  const n = pool.length;
  const { limit } = options;
  const slots = slotCount(options.slateSize, limit ? limit.capacity : n);
  if (slots === 0) return [];
  const best = topOf(n, limit);
  const row = new Float64Array(n);
  sampler.sample(options.rng, row);
  const chosen = new Int32Array(slots);
  best(row, 0, chosen);
  const draws = mc.length / n;
  const wins = new Float64Array(slots);
  const top = new Int32Array(slots);
  for (let m = 0; m < draws; m++) {
    best(mc, m * n, top);
    for (let k = 0; k < slots; k++) if (top[k] === chosen[k]) wins[k]++;
  }
  return Array.from(chosen, (c, k) => entryOf(pool[c], (wins[k] + 1) / (draws + 1)));
}

/** Every slot's distribution over the pool, as the frequencies of `draws` slates from `sampler` drawn with `rng`. */
export function sampledMarginals(pool: readonly ScoredCandidate[], sampler: ScoreSampler, draws: number, rng: Rng, slateSize: number, limit?: PoolLimit): SlotDistribution[] {
  const n = pool.length;
  const slots = slotCount(slateSize, limit ? limit.capacity : n);
  const best = topOf(n, limit);
  const tally = new SlotTally(pool.map((c) => c.itemId), slots);
  const row = new Float64Array(n);
  const top = new Int32Array(slots);
  for (let m = 0; m < draws; m++) {
    sampler.sample(rng, row);
    best(row, 0, top);
    tally.add(top);
  }
  return tally.distributions();
}

/** The slate of one row of scores: its top, under the creator cap when one binds. */
function topOf(n: number, limit: PoolLimit | undefined): (scores: Float64Array, offset: number, out: Int32Array) => void {
  const taken = new Uint8Array(limit ? n : 0);
  return (scores, offset, out) => (limit ? cappedTopInto(scores, offset, n, out, limit, taken) : topInto(scores, offset, n, out));
}

/**
 * Fills `out` with the indices (relative to `offset`) of the out.length highest of scores[offset..offset+n),
 * best first, ties to the earlier item. Insertion into a short list: O(n) while few items beat the last kept.
 */
export function topInto(scores: Float64Array, offset: number, n: number, out: Int32Array): void {
  const k = out.length;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = scores[offset + i];
    if (size === k && !(v > scores[offset + out[k - 1]])) continue;
    let at = size === k ? k - 1 : size++;
    while (at > 0 && v > scores[offset + out[at - 1]]) {
      out[at] = out[at - 1];
      at--;
    }
    out[at] = i;
  }
}

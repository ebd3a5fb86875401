/**
 * Slates from randomly drawn scores, the shape shared by Thompson sampling and its linear
 * variant. Each slot takes a fresh draw of every pool item's score and places the best item not
 * yet placed, so the probability of a slot given the earlier slots is exactly "the chance this
 * item has the best fresh draw among the remaining ones". That probability has no closed form;
 * it is estimated from `mcDraws` further draws taken from a separate stream (so the choices never
 * depend on the number of draws), with one phantom uniform draw added:
 *
 *     propensity = (wins + 1/remaining) / (mcDraws + 1)
 *
 * which keeps every estimate above zero and the estimates of one slot summing to 1.
 */
import type { Rng } from '../../rng/index.js';
import type { ScoredCandidate, SlateEntry } from '../types.js';
import { entryOf, slotCount } from './entries.js';

/** Random scores for a fixed pool: fills out[k] with a draw for pool item k. */
export interface ScoreSampler {
  sample(rng: Rng, out: Float64Array): void;
}

export interface SampledSlateOptions {
  readonly slateSize: number;
  /** Draws for the choices. */
  readonly rng: Rng;
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

/**
 * The slate, with propensities estimated from `mc` (see monteCarloScores). The same draws serve
 * every slot: each slot's estimate stays unbiased, and none of them shares a draw with the choices.
 */
export function sampledSlate(pool: readonly ScoredCandidate[], sampler: ScoreSampler, mc: Float64Array, options: SampledSlateOptions): SlateEntry[] {
  const n = pool.length;
  const slots = slotCount(options.slateSize, n);
  if (slots === 0) return [];
  const mcDraws = n === 0 ? 0 : mc.length / n;
  const row = new Float64Array(n);
  const placed = new Uint8Array(n);
  const entries: SlateEntry[] = [];
  for (let slot = 0; slot < slots; slot++) {
    sampler.sample(options.rng, row);
    const chosen = bestRemaining(row, 0, n, placed);
    let wins = 0;
    for (let m = 0; m < mcDraws; m++) if (bestRemaining(mc, m * n, n, placed) === chosen) wins++;
    const remaining = n - slot;
    entries.push(entryOf(pool[chosen], (wins + 1 / remaining) / (mcDraws + 1)));
    placed[chosen] = 1;
  }
  return entries;
}

/** Index (relative to `offset`) of the highest score among unplaced items; ties go to the earlier item. */
function bestRemaining(scores: Float64Array, offset: number, n: number, placed: Uint8Array): number {
  let best = -1;
  let bestScore = -Infinity;
  for (let k = 0; k < n; k++) {
    if (placed[k] === 1) continue;
    const s = scores[offset + k];
    if (best < 0 || s > bestScore) {
      best = k;
      bestScore = s;
    }
  }
  return best;
}

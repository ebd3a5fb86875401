/**
 * Boltzmann (softmax) exploration: slot by slot, an item not yet placed is drawn with probability
 * proportional to exp(score / temperature), so a slot's propensity is exactly the softmax over
 * the remaining items. Scores are the ranker's (or the source's) in their own units; an item
 * whose score is not a finite number is drawn only once no finite-scored item is left.
 */
import type { Rng } from '../../rng/index.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry } from '../types.js';
import { entryOf, slotCount } from './entries.js';

export class BoltzmannPolicy implements ExplorationPolicy {
  readonly name = 'boltzmann';

  constructor(private readonly temperature: number) {
    if (!(temperature > 0)) throw new RangeError(`boltzmann: temperature must be above 0 (got ${temperature})`);
  }

  select(_request: RecRequest, ordered: readonly ScoredCandidate[], slateSize: number, rng: Rng): SlateEntry[] {
    const placed = new Uint8Array(ordered.length);
    const entries: SlateEntry[] = [];
    const slots = slotCount(slateSize, ordered.length);
    for (let slot = 0; slot < slots; slot++) {
      const weights = softmaxWeights(ordered, placed, this.temperature);
      let total = 0;
      for (const w of weights) total += w;
      const k = rng.categorical(weights);
      entries.push(entryOf(ordered[k], weights[k] / total));
      placed[k] = 1;
    }
    return entries;
  }
}

/**
 * Softmax weights over the unplaced candidates, exp((s − max) / T) with max over the remaining
 * finite scores (so the best remaining item has weight 1 and nothing overflows or all underflows);
 * 0 for placed items. With no finite score left, every remaining item weighs 1.
 */
export function softmaxWeights(ordered: readonly ScoredCandidate[], placed: Uint8Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < ordered.length; k++) if (placed[k] === 0 && Number.isFinite(ordered[k].score) && ordered[k].score > max) max = ordered[k].score;
  const finite = max > -Infinity;
  return Float64Array.from(ordered, (c, k) => {
    if (placed[k] === 1) return 0;
    if (!finite) return 1;
    return Number.isFinite(c.score) ? Math.exp((c.score - max) / temperature) : 0;
  });
}

/**
 * What a contextual policy scores: a feature vector per (request, item). This is the seam where
 * the ranker's last hidden layer plugs in later; for now the population world uses the public
 * topic tags and the bandit world its public arm features.
 */
import type { PublicCatalog } from '../../world/public.js';
import { tagWeight } from '../sources/tag-weights.js';
import type { RecRequest } from '../types.js';

export interface FeatureMap {
  readonly dim: number;
  /** Writes the features of showing `itemId` for `request` into out (length dim). */
  write(request: RecRequest, itemId: number, out: Float64Array): void;
}

/** A bias plus the item's topic tags hashed into `hashed` slots, each weighted by its position (tag-weights.ts). */
export class TopicFeatures implements FeatureMap {
  readonly dim: number;

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly hashed: number,
  ) {
    this.dim = hashed + 1;
  }

  write(_request: RecRequest, itemId: number, out: Float64Array): void {
    out.fill(0);
    out[0] = 1;
    const { topics } = this.catalog.get(itemId);
    for (let j = 0; j < topics.length; j++) out[1 + (topics[j] % this.hashed)] += tagWeight(j);
  }
}

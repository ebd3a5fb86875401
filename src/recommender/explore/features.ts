/**
 * What a contextual policy scores: a feature vector per (request, item). The population world
 * uses the public topic tags (here) or the ranker's last shared layer (ranker-features.ts); the
 * bandit world its public arm features.
 */
import type { PublicCatalog } from '../../world/public.js';
import { tagWeight } from '../sources/tag-weights.js';
import type { RecRequest } from '../types.js';

export interface FeatureMap {
  readonly dim: number;
  /** Writes the features of showing `itemId` for `request` into out (length dim). */
  write(request: RecRequest, itemId: number, out: Float64Array): void;
  /**
   * True when features exist only for what the pipeline has just scored (the ranker's layer):
   * feedback on a slate the policy did not serve itself (a random start-up slate) is then skipped.
   */
  readonly fromScoring?: boolean;
  /** True while the features are the ranker's (false while they fall back, e.g. before its first training). */
  readonly onRanker?: boolean;
  /**
   * After the recommender's retrain: null when the features are unchanged; otherwise they now
   * live in a new space (`dim` may differ) and the replay is what a posterior can be rebuilt from.
   */
  retrain?(): FeatureReplay | null;
}

/** Logged impressions featurised in a feature map's new space, to rebuild a posterior from. */
export interface FeatureReplay {
  readonly n: number;
  /** n × dim. */
  readonly x: Float64Array;
  /** Each row's index in the log window the recommender retrained on. */
  readonly windowRows: Int32Array;
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

/**
 * How much a user likes an item, in the world's own terms. Affinity is what the user would
 * think of the item's content; click utility is what drives the decision to click (affinity
 * plus thumbnail appeal, which clickbait inflates); true utility is what watching it is worth
 * to the user (affinity plus real quality). Both are lowered by satiation on the item's topics.
 */
import type { WorldWithUsers } from './user-models/user-model-entry.js';
import { APPEAL, QUALITY, TAG_COUNT, TOPIC_IDS, TOPIC_NORM, type TruthRows } from './truth-rows.js';
import type { Tastes } from './tastes.js';

/** Utility weighs satiation as the satisfaction user model's settings say (`world.users.satiation`). */
type SatisfactionWorld = WorldWithUsers<'satisfaction'>;

export class UtilityModel {
  private readonly latentScale: number;

  constructor(private readonly config: SatisfactionWorld) {
    this.latentScale = 1 / Math.sqrt(config.latent_dim);
  }

  /** Topic cosine similarity plus latent dot product; satiation not included. */
  affinity(user: Tastes, items: TruthRows, itemId: number): number {
    const v = items.values;
    const o = itemId * items.width;
    const tags = v[o + TAG_COUNT];
    const weights = o + items.weightsAt;
    let topicDot = 0;
    for (let j = 0; j < tags; j++) topicDot += user.topicPrefs[v[o + TOPIC_IDS + j]] * v[weights + j];
    const cosine = user.topicNorm > 0 ? topicDot / (user.topicNorm * v[o + TOPIC_NORM]) : 0;
    const latent = o + items.latentAt;
    let latentDot = 0;
    for (let d = 0; d < items.dim; d++) latentDot += user.latent[d] * v[latent + d];
    const { topic_weight, latent_weight } = this.config.affinity;
    return topic_weight * cosine + latent_weight * latentDot * this.latentScale;
  }

  /** Boredom with the item's topics (user satiation must be brought up to date first). */
  satiationPenalty(user: Tastes, items: TruthRows, itemId: number): number {
    const v = items.values;
    const o = itemId * items.width;
    const tags = v[o + TAG_COUNT];
    const weights = o + items.weightsAt;
    let s = 0;
    for (let j = 0; j < tags; j++) s += user.satiation[v[o + TOPIC_IDS + j]] * v[weights + j];
    return this.config.users.satiation.weight * s;
  }

  clickUtility(user: Tastes, items: TruthRows, itemId: number): number {
    return this.affinity(user, items, itemId) + items.values[itemId * items.width + APPEAL] - this.satiationPenalty(user, items, itemId);
  }

  trueUtility(user: Tastes, items: TruthRows, itemId: number): number {
    const quality = items.values[itemId * items.width + QUALITY];
    return this.affinity(user, items, itemId) + this.config.affinity.quality_weight * (2 * quality - 1) - this.satiationPenalty(user, items, itemId);
  }
}

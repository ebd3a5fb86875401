/**
 * How much a user likes an item, in the world's own terms. Affinity is what the user would
 * think of the item's content; click utility is what drives the decision to click (affinity
 * plus thumbnail appeal, which clickbait inflates); true utility is what watching it is worth
 * to the user (affinity plus real quality). Both are lowered by satiation on the item's topics.
 */
import type { WorldWithUsers } from './user-models/user-model-entry.js';
import type { ItemTruth } from './items.js';
import type { Tastes } from './tastes.js';

/** Utility weighs satiation as the satisfaction user model's settings say (`world.users.satiation`). */
type SatisfactionWorld = WorldWithUsers<'satisfaction'>;

export class UtilityModel {
  private readonly latentScale: number;

  constructor(private readonly config: SatisfactionWorld) {
    this.latentScale = 1 / Math.sqrt(config.latent_dim);
  }

  /** Topic cosine similarity plus latent dot product; satiation not included. */
  affinity(user: Tastes, item: ItemTruth): number {
    let topicDot = 0;
    for (let j = 0; j < item.topicIds.length; j++) topicDot += user.topicPrefs[item.topicIds[j]] * item.topicWeights[j];
    const cosine = user.topicNorm > 0 ? topicDot / (user.topicNorm * item.topicNorm) : 0;
    let latentDot = 0;
    for (let d = 0; d < item.latent.length; d++) latentDot += user.latent[d] * item.latent[d];
    const { topic_weight, latent_weight } = this.config.affinity;
    return topic_weight * cosine + latent_weight * latentDot * this.latentScale;
  }

  /** Boredom with the item's topics (user satiation must be brought up to date first). */
  satiationPenalty(user: Tastes, item: ItemTruth): number {
    let s = 0;
    for (let j = 0; j < item.topicIds.length; j++) s += user.satiation[item.topicIds[j]] * item.topicWeights[j];
    return this.config.users.satiation.weight * s;
  }

  clickUtility(user: Tastes, item: ItemTruth): number {
    return this.affinity(user, item) + item.appeal - this.satiationPenalty(user, item);
  }

  trueUtility(user: Tastes, item: ItemTruth): number {
    return this.affinity(user, item) + this.config.affinity.quality_weight * (2 * item.quality - 1) - this.satiationPenalty(user, item);
  }
}

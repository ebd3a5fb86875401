/**
 * Content filtering: a user's profile is a non-negative least-squares fit of "consumed (1) or
 * not (0)" on the attributes of the items the model knows, and an item's score is its attributes
 * · the profile. Attributes are public, so it can score items that arrived after its last
 * training; only the step's newest items are interleaved, as for every learned model.
 */
import type { Interactions } from '../interactions.js';
import type { ChaneyWorld } from '../world.js';
import { addOuter, nonNegativeLeastSquares } from './linear-algebra.js';
import type { ChaneyRecommender } from './types.js';

export class ContentRecommender implements ChaneyRecommender {
  readonly interleavesNewItems = true;
  private readonly profiles: Float64Array;

  constructor(
    private readonly world: ChaneyWorld,
    private readonly sweeps: number,
  ) {
    this.profiles = new Float64Array(world.users * world.attributes);
  }

  train(interactions: Interactions, itemsKnown: number): void {
    const { attributes: k, itemAttributes } = this.world;
    const gram = new Float64Array(k * k);
    for (let i = 0; i < itemsKnown; i++) addOuter(gram, itemAttributes, i * k, k, 1);
    const b = new Float64Array(k);
    for (let u = 0; u < this.world.users; u++) {
      b.fill(0);
      for (const item of interactions.itemsOf(u)) {
        if (item >= itemsKnown) continue;
        for (let j = 0; j < k; j++) b[j] += itemAttributes[item * k + j];
      }
      // Each fit starts afresh: the profile depends on the log alone, not on earlier trainings.
      const profile = this.profiles.subarray(u * k, (u + 1) * k);
      profile.fill(0);
      nonNegativeLeastSquares(gram, b, profile, k, this.sweeps);
    }
  }

  score(user: number, items: number, out: Float64Array): void {
    const { attributes: k, itemAttributes } = this.world;
    const p = user * k;
    for (let i = 0; i < items; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += itemAttributes[i * k + j] * this.profiles[p + j];
      out[i] = s;
    }
  }
}

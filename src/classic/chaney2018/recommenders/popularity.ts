/** Popularity: every user sees the items ranked by how many users have consumed them (as of the last training). */
import type { Interactions } from '../interactions.js';
import type { ChaneyRecommender } from './types.js';

export class PopularityRecommender implements ChaneyRecommender {
  readonly interleavesNewItems = true;
  private counts = new Float64Array(0);

  train(interactions: Interactions, itemsKnown: number): void {
    this.counts = Float64Array.from(interactions.itemCounts.subarray(0, itemsKnown));
  }

  score(_user: number, items: number, out: Float64Array): void {
    // Items that arrived after the last training have no count yet: 0, like an item nobody chose.
    for (let i = 0; i < items; i++) out[i] = i < this.counts.length ? this.counts[i] : 0;
  }
}

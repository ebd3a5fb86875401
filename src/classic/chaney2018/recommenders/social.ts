/** Social filtering: a user sees the items ranked by how many of their friends consumed them (as of the last training). */
import type { Interactions } from '../interactions.js';
import type { ChaneyRecommender } from './types.js';

export class SocialRecommender implements ChaneyRecommender {
  readonly interleavesNewItems = true;
  private consumed = new Uint8Array(0);
  private items = 0;
  private itemsKnown = 0;

  constructor(private readonly friends: readonly Int32Array[]) {}

  train(interactions: Interactions, itemsKnown: number): void {
    // A copy: under single training the model must keep seeing the log as it was then.
    this.consumed = interactions.consumed.slice();
    this.items = interactions.items;
    this.itemsKnown = itemsKnown;
  }

  score(user: number, items: number, out: Float64Array): void {
    out.fill(0, 0, items);
    const known = Math.min(items, this.itemsKnown);
    for (const friend of this.friends[user]) {
      const row = friend * this.items;
      for (let i = 0; i < known; i++) out[i] += this.consumed[row + i];
    }
  }
}

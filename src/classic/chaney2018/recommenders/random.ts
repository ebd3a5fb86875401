/** Random: every item scores the same, so the simulation's random tie order is the ranking. */
import type { ChaneyRecommender } from './types.js';

export class RandomRecommender implements ChaneyRecommender {
  // A random ranking already places new items at random; interleaving them again changes nothing.
  readonly interleavesNewItems = false;

  train(): void {}

  score(_user: number, items: number, out: Float64Array): void {
    out.fill(0, 0, items);
  }
}

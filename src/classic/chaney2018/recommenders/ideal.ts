/**
 * The ideal recommender, an ORACLE baseline: it ranks by the true utility, which no real system
 * can see. Every result of the study is measured relative to it.
 */
import type { ChaneyWorld } from '../world.js';
import type { ChaneyRecommender } from './types.js';

export class IdealOracleRecommender implements ChaneyRecommender {
  // It knows the true utility of new items too, so it ranks them like any other.
  readonly interleavesNewItems = false;

  constructor(private readonly world: ChaneyWorld) {}

  train(): void {}

  score(user: number, items: number, out: Float64Array): void {
    const row = user * this.world.items;
    for (let i = 0; i < items; i++) out[i] = this.world.trueUtility[row + i];
  }
}

/** Uniformly random slates. Every slot's propensity is 1 / catalog size, exactly. */
import type { Rng } from '../rng/index.js';
import type { TrainingLog } from '../training/training-log.js';
import type { PublicCatalog } from '../world/public.js';
import { RandomSource } from './sources/random.js';
import type { Recommender, RecRequest, Slate } from './types.js';

export class RandomRecommender implements Recommender {
  private readonly source: RandomSource;

  constructor(
    private readonly catalog: PublicCatalog,
    slateSize: number,
    rng: Rng,
    /** Also the source logged with each impression. */
    readonly name = 'random',
  ) {
    this.source = new RandomSource(catalog, slateSize, rng);
  }

  serve(requests: readonly RecRequest[]): Slate[] {
    const propensity = 1 / this.catalog.size;
    return this.source.generate(requests).map((candidates, r) => ({
      slateId: requests[r].slateId,
      entries: candidates.map((c) => ({ itemId: c.itemId, source: this.name, propensity })),
    }));
  }

  retrain(_log: TrainingLog, _now: number): void {}
}

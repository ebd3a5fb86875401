/** Uniformly random slates in random order: every item is equally likely at every slot, so each slot's marginal propensity is 1 / catalog size, exactly. */
import type { KeyedStream } from '../rng/index.js';
import type { TrainingLog } from '../training/training-log.js';
import type { PublicCatalog } from '../world/public.js';
import type { Recommender, RecRequest, Slate } from './types.js';
import { requestDraws } from './request-draws.js';

export class RandomRecommender implements Recommender {
  constructor(
    private readonly catalog: PublicCatalog,
    private readonly slateSize: number,
    /** Keyed by request (slate id). */
    private readonly draws: KeyedStream,
    /** Also the source logged with each impression. */
    readonly name = 'random',
  ) {}

  serve(requests: readonly RecRequest[]): Slate[] {
    const n = this.catalog.size;
    const propensity = 1 / n;
    // Distinct items in a uniformly random order: every (item, slot) has probability 1/n.
    return requests.map((request) => ({
      slateId: request.slateId,
      entries: requestDraws(this.draws, request).orderedSample(n, Math.min(this.slateSize, n)).map((itemId) => ({ itemId, source: this.name, propensity })),
    }));
  }

  retrain(_log: TrainingLog, _now: number): void {}
}

/** Uniformly random items from the catalog: the no-knowledge baseline, and a way for any item to be seen. */
import type { KeyedStream } from '../../rng/index.js';
import { positiveCount } from '../../settings/fields.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest } from '../types.js';
import { candidateSource } from './component.js';
import { requestDraws } from '../request-draws.js';

export class RandomSource implements CandidateSource {
  readonly name = 'random';
  /** One list shared by every candidate: sources are read, never changed. */
  private readonly sources = [this.name];

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly k: number,
    /** Keyed by request (slate id). */
    private readonly draws: KeyedStream,
  ) {}

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const n = this.catalog.size;
    const k = Math.min(this.k, n);
    // In a uniformly random order, so every (item, slot) is equally likely.
    return requests.map((request) => requestDraws(this.draws, request).orderedSample(n, k).map((itemId, rank) => ({ itemId, sources: this.sources, sourceScore: -rank })));
  }
}

export const RANDOM_SOURCE = candidateSource({
  name: 'random',
  settings: { k: positiveCount.default(10) },
  build: (config, ctx) => new RandomSource(ctx.recommender.catalog, config.k, ctx.recommender.streams.keyed(`sources/${ctx.index}/random`)),
});

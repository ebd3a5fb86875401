/** Uniformly random items from the catalog: the no-knowledge baseline, and a way for any item to be seen. */
import type { Rng } from '../../rng/index.js';
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest } from '../types.js';

export class RandomSource implements CandidateSource {
  readonly name = 'random';

  constructor(
    private readonly catalog: PublicCatalog,
    private readonly k: number,
    private readonly rng: Rng,
  ) {}

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const n = this.catalog.size;
    const k = Math.min(this.k, n);
    // sampleIndices returns ids in ascending order; shuffling makes every (item, slot) equally likely.
    return requests.map(() => this.rng.shuffle(this.rng.sampleIndices(n, k)).map((itemId, rank) => ({ itemId, sources: [this.name], sourceScore: -rank })));
  }
}

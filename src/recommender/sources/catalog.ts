/** Every item in the catalog as a candidate: only for rankers cheap enough to score them all (the oracle). */
import type { PublicCatalog } from '../../world/public.js';
import type { Candidate, CandidateSource, RecRequest } from '../types.js';

export class WholeCatalogSource implements CandidateSource {
  readonly name = 'catalog';

  constructor(private readonly catalog: PublicCatalog) {}

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const all: Candidate[] = this.catalog.all().map((item) => ({ itemId: item.id, sources: [this.name], sourceScore: 0 }));
    return requests.map(() => all);
  }
}

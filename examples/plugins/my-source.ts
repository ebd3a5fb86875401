/**
 * A candidate source of your own: items an editor promotes, proposed to every request in the
 * order listed (ids the catalog does not hold yet are skipped). Used from a scenario as
 *   recommender.candidates: [..., { source: module, path: ./my-source.ts, items: [3, 14, 15] }]
 * Outside this repository, import from 'recloop/plugins' instead of the relative path.
 */
import { candidateSource, z, type Candidate, type CandidateSource, type RecRequest } from '../../src/plugins/api.js';

class PromotedSource implements CandidateSource {
  readonly name = 'promoted';

  constructor(
    private readonly items: readonly number[],
    private readonly catalogSize: () => number,
  ) {}

  generate(requests: readonly RecRequest[]): Candidate[][] {
    const size = this.catalogSize();
    // Listed first scores highest; the ranker decides where each lands in the slate.
    const candidates = this.items.filter((id) => id < size).map((itemId, rank) => ({ itemId, sources: [this.name], sourceScore: -rank }));
    return requests.map(() => candidates);
  }
}

export default candidateSource({
  name: 'promoted',
  settings: {
    /** Item ids to promote, best first. */
    items: z.array(z.number().int().nonnegative()).min(1, 'expected at least one item id'),
  },
  // ctx.recommender is what every built-in source gets: the public catalog and users, the slate size, random streams.
  build: (config, ctx) => new PromotedSource(config.items, () => ctx.recommender.catalog.size),
});

/**
 * ORACLE ranker: scores candidates by their true expected utility for the user right now.
 * It reads world ground truth, which no real system has; it exists as an upper reference.
 */
import type { TruthOracle } from '../../world/world.js';
import type { Candidate, Ranker, RecRequest } from '../types.js';

export class OracleRanker implements Ranker {
  readonly name = 'oracle';

  constructor(private readonly truth: TruthOracle) {}

  score(requests: readonly RecRequest[], candidates: readonly (readonly Candidate[])[]): Float64Array[] {
    return requests.map((request, r) =>
      Float64Array.from(candidates[r], (c) => this.truth.trueUtility(request.userId, c.itemId, request.time)),
    );
  }
}

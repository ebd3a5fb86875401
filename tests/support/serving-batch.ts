/** A seeded batch of serving requests, each with random catalog candidates: what a ranker test scores. */
import type { Candidate, RecRequest } from '../../src/recommender/types.js';
import { Rng } from '../../src/rng/index.js';
import type { PublicCatalog, PublicUsers } from '../../src/world/public.js';

export interface ServingBatchOptions {
  readonly seed: string;
  readonly users: PublicUsers;
  readonly catalog: PublicCatalog;
  readonly requests: number;
  readonly candidatesPerRequest: number;
  /** Simulated time of every request (days). */
  readonly time: number;
  readonly pastSessions: number;
}

export function servingBatch(options: ServingBatchOptions): { requests: RecRequest[]; candidates: Candidate[][] } {
  const { users, catalog, time, pastSessions } = options;
  const rng = new Rng(options.seed);
  const requests: RecRequest[] = [];
  const candidates: Candidate[][] = [];
  for (let r = 0; r < options.requests; r++) {
    const userId = rng.int(users.size);
    requests.push({ slateId: 1e8 + r, userId, time, hourOfDay: 2, device: users.get(userId).device, requestInSession: 0, pastSessions });
    candidates.push(rng.sampleIndices(catalog.size, options.candidatesPerRequest).map((itemId) => ({ itemId, sources: ['test'], sourceScore: 0 })));
  }
  return { requests, candidates };
}

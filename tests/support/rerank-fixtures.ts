/** A hand-made public catalog and scored candidates for the re-ranker's tests. */
import type { DiversityOptions } from '../../src/recommender/rerank/diversity.js';
import type { RecRequest, ScoredCandidate } from '../../src/recommender/types.js';
import { PublicRegistry, type PublicCatalog, type PublicItem } from '../../src/world/public.js';

export type ItemSpec = Pick<PublicItem, 'creatorId' | 'topics'> & { uploadTime?: number };

/** Items 0..n-1 from their creator and topics (five minutes long, uploaded at day −5 unless given). */
export function catalogOf(specs: readonly ItemSpec[]): PublicCatalog {
  const catalog: PublicCatalog = new PublicRegistry<PublicItem>();
  specs.forEach((spec, id) => catalog.add({ id, lengthMinutes: 5, uploadTime: -5, ...spec }));
  return catalog;
}

/** Candidates for every item of the catalog with the given scores (best first when the scores are). */
export function candidates(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, itemId) => ({ itemId, sources: ['test'], sourceScore: score, score }));
}

export const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 10, hourOfDay: 0, device: 'tv', requestInSession: 0, pastSessions: 3 };

/** Every re-ranking option off. */
export const ZERO: DiversityOptions = { mmrLambda: 0, creatorCap: 0, freshBoost: 0, freshAge: 2 };

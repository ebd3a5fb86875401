/** Chooses exact or HNSW search for a catalog, as the scenario's `ann` block says. */
import type { CandidateSourceConfig } from '../../scenario/recommender-schema.js';
import type { Retriever } from '../types.js';
import { ExactRetriever } from './exact.js';
import { HnswRetriever } from './hnsw.js';

/** The `ann` block of a `two_tower` candidate source. */
export type AnnConfig = Extract<CandidateSourceConfig, { source: 'two_tower' }>['ann'];

/**
 * `kind: auto` searches exactly when the catalog has fewer than `exact_below` items (exact is
 * cheap there and has perfect recall) and builds HNSW otherwise; the returned Retriever's
 * `exact` flag says which one ran.
 */
export function buildRetriever(ids: Int32Array, vectors: Float32Array, dim: number, config: AnnConfig, seed?: number): Retriever {
  const exact = config.kind === 'exact' || (config.kind === 'auto' && ids.length < config.exact_below);
  if (exact) return new ExactRetriever(ids, vectors, dim);
  return new HnswRetriever(ids, vectors, dim, { m: config.m, efConstruction: config.ef_construction, efSearch: config.ef_search, seed });
}

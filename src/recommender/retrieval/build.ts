/** Chooses exact or HNSW search for a catalog, as the scenario's `ann` block says. */
import { z } from 'zod';
import { count, positiveCount } from '../../settings/fields.js';
import type { Retriever } from '../types.js';
import { ExactRetriever } from './exact.js';
import { buildHnswOffThread } from './hnsw-builder.js';

/** The `ann` block of a `two_tower` candidate source. */
export const annSettings = z
  .strictObject({
    /** auto: exact search below `exact_below` items, HNSW above. */
    kind: z.enum(['auto', 'hnsw', 'exact'], { error: 'expected auto, hnsw or exact' }).default('auto'),
    exact_below: count.default(20_000),
    m: positiveCount.default(16),
    ef_construction: positiveCount.default(100),
    ef_search: positiveCount.default(200),
  })
  .prefault({});
export type AnnConfig = z.output<typeof annSettings>;

/**
 * `kind: auto` searches exactly when the catalog has fewer than `exact_below` items (exact is
 * cheap there and has perfect recall) and builds HNSW otherwise, on a thread of its own
 * (hnsw-builder.ts); the returned Retriever's `exact` flag says which one ran.
 */
export async function buildRetriever(ids: Int32Array, vectors: Float32Array, dim: number, config: AnnConfig, seed?: number): Promise<Retriever> {
  const exact = config.kind === 'exact' || (config.kind === 'auto' && ids.length < config.exact_below);
  if (exact) return new ExactRetriever(ids, vectors, dim);
  return buildHnswOffThread(ids, vectors, dim, { m: config.m, efConstruction: config.ef_construction, efSearch: config.ef_search, seed });
}

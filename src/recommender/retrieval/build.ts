/** Chooses exact, HNSW or IVF search for a catalog, as the scenario's `ann` block says. */
import { z } from 'zod';
import { count, positiveCount } from '../../settings/fields.js';
import type { Retriever } from '../types.js';
import { ExactRetriever } from './exact.js';
import { buildHnswOffThread } from './hnsw-builder.js';
import { defaultLists, IvfRetriever } from './ivf.js';

/** The `ann` block of a `two_tower` candidate source. */
export const annSettings = z
  .strictObject({
    /** auto: exact search below `exact_below` items, an inverted file above. */
    kind: z.enum(['auto', 'hnsw', 'ivf', 'exact'], { error: 'expected auto, hnsw, ivf or exact' }).default('auto'),
    exact_below: count.default(20_000),
    // HNSW's graph.
    m: positiveCount.default(16),
    ef_construction: positiveCount.default(100),
    ef_search: positiveCount.default(200),
    // The inverted file's lists (about √items when left out) and the lists a query scans.
    lists: positiveCount.optional(),
    probes: positiveCount.default(32),
  })
  .prefault({});
export type AnnConfig = z.output<typeof annSettings>;

/**
 * `kind: auto` searches exactly when the catalog has fewer than `exact_below` items (exact is
 * cheap there and has perfect recall) and builds an inverted file otherwise (ivf.ts, in place:
 * every thread of a run builds the same one), which keeps more of the exact top k on a user
 * tower's queries than an HNSW graph built on the items, for a tenth of the build
 * (docs/PERFORMANCE.md); `kind: hnsw` builds the graph on a thread of its own (hnsw-builder.ts).
 * The returned Retriever's `exact` flag says whether it searched exactly.
 */
export async function buildRetriever(ids: Int32Array, vectors: Float32Array, dim: number, config: AnnConfig, seed?: number): Promise<Retriever> {
  const exact = config.kind === 'exact' || (config.kind === 'auto' && ids.length < config.exact_below);
  if (exact) return new ExactRetriever(ids, vectors, dim);
  if (config.kind !== 'hnsw') return new IvfRetriever(ids, vectors, dim, { lists: config.lists ?? defaultLists(ids.length), probes: config.probes, seed: seed ?? 0 });
  return buildHnswOffThread(ids, vectors, dim, { m: config.m, efConstruction: config.ef_construction, efSearch: config.ef_search, seed });
}

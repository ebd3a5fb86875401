/**
 * How much of the exact top k an approximate index finds, on queries like the ones it serves.
 * HNSW finds nearly all of an item's neighbours among items, but a two-tower's user vectors lie
 * apart from the item vectors its graph is built on, and there it can miss a fifth of the true
 * top k (docs/PERFORMANCE.md, "ANN recall on the two-tower's own queries"): a loss the model's
 * recall includes but cannot name, so the source reports it on its own.
 */
import type { Retriever } from '../types.js';
import { ExactRetriever } from './exact.js';

/** Queries probed per retrain: a recall to about ±0.01 at k = 100, at ~0.1–0.2 s of exact search per 50k items. */
export const ANN_PROBE_QUERIES = 256;

/**
 * Share of the exact top k (by inner product over `vectors`, the rows of `ids`) that `index`
 * returns in its own top k, over the `dim`-wide rows of `queries`; 1 for an exact index, and
 * for no queries. The exact top k comes from the index where it offers it (`searchExactly`:
 * an inverted file probing every list, with its own float32 sums, so the recall counts only
 * what probing misses), else from an exact scan built here.
 */
export function annRecall(index: Retriever, ids: Int32Array, vectors: Float32Array, dim: number, queries: Float32Array, k: number): number {
  const n = queries.length / dim;
  if (index.exact || n === 0 || ids.length === 0) return 1;
  const rows = Array.from({ length: n }, (_, q) => queries.subarray(q * dim, (q + 1) * dim));
  const exact = index.searchExactly?.(rows, k) ?? new ExactRetriever(ids, vectors, dim).search(rows, k);
  const found = index.search(rows, k);
  let hits = 0;
  let wanted = 0;
  exact.forEach((truth, q) => {
    const got = new Set(found[q].ids);
    wanted += truth.ids.length;
    for (const id of truth.ids) if (got.has(id)) hits++;
  });
  return wanted > 0 ? hits / wanted : 1;
}

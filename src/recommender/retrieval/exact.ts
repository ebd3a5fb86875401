/**
 * Exact maximum-inner-product search: a brute-force scan of every item vector. Queries are
 * scanned in blocks so each item vector is read once per block rather than once per query.
 */
import type { Retriever } from '../types.js';
import { TopK } from './top-k.js';

/** Queries scored together per pass over the items. */
const QUERY_BLOCK = 16;

export class ExactRetriever implements Retriever {
  readonly exact = true;
  private readonly count: number;

  /** `vectors` is row-major, one row of `dim` per entry of `ids`; both are kept, not copied. */
  constructor(
    private readonly ids: Int32Array,
    private readonly vectors: Float32Array,
    readonly dim: number,
  ) {
    if (vectors.length !== ids.length * dim) throw new RangeError(`ExactRetriever: ${vectors.length} values for ${ids.length} ids of dim ${dim}`);
    this.count = ids.length;
  }

  get size(): number {
    return this.count;
  }

  search(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
    const { dim, vectors, count } = this;
    const take = Math.max(0, Math.min(k, count));
    const out: { ids: Int32Array; scores: Float32Array }[] = [];
    const packed = new Float32Array(QUERY_BLOCK * dim);
    const thresholds = new Float64Array(QUERY_BLOCK);
    for (let start = 0; start < queries.length; start += QUERY_BLOCK) {
      const size = Math.min(QUERY_BLOCK, queries.length - start);
      for (let b = 0; b < size; b++) {
        const q = queries[start + b];
        if (q.length !== dim) throw new RangeError(`ExactRetriever: query of length ${q.length}, expected ${dim}`);
        packed.set(q, b * dim);
      }
      const heaps = Array.from({ length: size }, () => new TopK(take));
      thresholds.fill(-Infinity);
      for (let i = 0; i < count; i++) {
        const base = i * dim;
        for (let b = 0; b < size; b++) {
          const qb = b * dim;
          let s = 0;
          for (let d = 0; d < dim; d++) s += packed[qb + d] * vectors[base + d];
          // Most items fall below the current k-th best: one comparison, no heap work.
          if (s >= thresholds[b]) {
            heaps[b].push(s, i);
            thresholds[b] = heaps[b].threshold;
          }
        }
      }
      for (const heap of heaps) {
        const { indices, scores } = heap.drain();
        out.push({ ids: indices.map((i) => this.ids[i]), scores });
      }
    }
    return out;
  }
}

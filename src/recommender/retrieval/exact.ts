/**
 * Exact maximum-inner-product search: a brute-force scan of every item vector. Queries are
 * scanned four at a time against two items at a time, so each value read from memory feeds
 * several products; vectors are widened to float64 once (exactly), and every score is summed in
 * float64 over d = 0..dim−1 in order, so scores do not depend on the blocking.
 */
import type { Retriever } from '../types.js';
import { TopK } from './top-k.js';

/** Queries scored together per pass over the items. */
const QUERY_BLOCK = 4;

export class ExactRetriever implements Retriever {
  readonly exact = true;
  private readonly count: number;
  /** `vectors` widened to float64 (exact), read by the scan. */
  private readonly wide: Float64Array;

  /** `vectors` is row-major, one row of `dim` per entry of `ids`; `ids` is kept, not copied. */
  constructor(
    private readonly ids: Int32Array,
    vectors: Float32Array,
    readonly dim: number,
  ) {
    if (vectors.length !== ids.length * dim) throw new RangeError(`ExactRetriever: ${vectors.length} values for ${ids.length} ids of dim ${dim}`);
    this.count = ids.length;
    this.wide = Float64Array.from(vectors);
  }

  get size(): number {
    return this.count;
  }

  search(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
    const { dim } = this;
    const take = Math.max(0, Math.min(k, this.count));
    const out: { ids: Int32Array; scores: Float32Array }[] = [];
    // Unused rows of a short last block stay zero; their scores are computed and dropped.
    const packed = new Float64Array(QUERY_BLOCK * dim);
    for (let start = 0; start < queries.length; start += QUERY_BLOCK) {
      const size = Math.min(QUERY_BLOCK, queries.length - start);
      packed.fill(0);
      for (let b = 0; b < size; b++) {
        const q = queries[start + b];
        if (q.length !== dim) throw new RangeError(`ExactRetriever: query of length ${q.length}, expected ${dim}`);
        packed.set(q, b * dim);
      }
      const heaps = Array.from({ length: size }, () => new TopK(take));
      this.scan(packed, heaps);
      for (const heap of heaps) {
        const { indices, scores } = heap.drain();
        out.push({ ids: indices.map((i) => this.ids[i]), scores });
      }
    }
    return out;
  }

  /** Offers every item's score against each packed query to that query's heap. */
  private scan(packed: Float64Array, heaps: readonly TopK[]): void {
    const { dim, wide, count } = this;
    const size = heaps.length;
    const q1 = dim;
    const q2 = 2 * dim;
    const q3 = 3 * dim;
    // Most items fall below a query's current k-th best: one comparison, no heap work.
    const thresholds = new Float64Array(QUERY_BLOCK).fill(-Infinity);
    const offer = (b: number, s: number, i: number): void => {
      if (b < size && s >= thresholds[b]) {
        heaps[b].push(s, i);
        thresholds[b] = heaps[b].threshold;
      }
    };
    let i = 0;
    for (; i + 1 < count; i += 2) {
      const x = i * dim;
      const y = x + dim;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0; // prettier-ignore
      for (let d = 0; d < dim; d++) {
        const v = wide[x + d];
        const w = wide[y + d];
        const p0 = packed[d];
        const p1 = packed[q1 + d];
        const p2 = packed[q2 + d];
        const p3 = packed[q3 + d];
        a0 += p0 * v;
        a1 += p1 * v;
        a2 += p2 * v;
        a3 += p3 * v;
        b0 += p0 * w;
        b1 += p1 * w;
        b2 += p2 * w;
        b3 += p3 * w;
      }
      offer(0, a0, i);
      offer(1, a1, i);
      offer(2, a2, i);
      offer(3, a3, i);
      offer(0, b0, i + 1);
      offer(1, b1, i + 1);
      offer(2, b2, i + 1);
      offer(3, b3, i + 1);
    }
    if (i < count) {
      const x = i * dim;
      for (let b = 0; b < size; b++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += packed[b * dim + d] * wide[x + d];
        offer(b, s, i);
      }
    }
  }
}

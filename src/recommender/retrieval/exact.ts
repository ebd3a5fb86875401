/**
 * Exact maximum-inner-product search: a brute-force scan of every item vector. Queries are
 * scored four at a time in one pass over the items (inner-products.ts); every score is summed
 * in float64 over d = 0..dim−1 in order, so results do not depend on the blocking or kernel.
 */
import type { Retriever } from '../types.js';
import { innerProducts, QUERY_BLOCK, type InnerProducts } from './inner-products.js';
import { TopSelect } from './top-select.js';

export class ExactRetriever implements Retriever {
  readonly exact = true;
  private readonly count: number;
  private readonly kernel: InnerProducts;
  private readonly top = new TopSelect();

  /**
   * `vectors` is row-major, one row of `dim` per entry of `ids`; `ids` is kept, not copied.
   * `kernel` replaces the scoring kernel (tests compare the kernels).
   */
  constructor(
    private readonly ids: Int32Array,
    vectors: Float32Array,
    readonly dim: number,
    kernel?: (vectors: Float32Array, count: number, dim: number) => InnerProducts,
  ) {
    if (vectors.length !== ids.length * dim) throw new RangeError(`ExactRetriever: ${vectors.length} values for ${ids.length} ids of dim ${dim}`);
    this.count = ids.length;
    this.kernel = (kernel ?? innerProducts)(vectors, this.count, dim);
  }

  get size(): number {
    return this.count;
  }

  search(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
    const { dim, count } = this;
    const take = Math.max(0, Math.min(k, count));
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
      const { scores, stride } = this.kernel.score(packed);
      for (let b = 0; b < size; b++) {
        const { indices, scores: best } = this.top.select(scores, b * stride, count, take, this.kernel);
        out.push({ ids: indices.map((i) => this.ids[i]), scores: best });
      }
    }
    return out;
  }
}

/**
 * Approximate maximum-inner-product search with an inverted file (IVF): spherical k-means splits
 * the items into lists around unit centroids (spherical-kmeans.ts); a query scans only the items
 * of the `probes` lists whose centroids score highest with it. A build costs a few passes of the
 * exact kernel over a sample instead of a graph's insertions, and a query's cost is set by how
 * many items it scans, not by how far the user tower's vectors lie from the item vectors (where
 * a graph built on items loses recall: docs/PERFORMANCE.md).
 *
 * A query's result depends on its own vector only, never on the batch it came in: every score is
 * the range kernel's float32 sum, and its scanned items are ordered by list, then by position.
 */
import type { Retriever } from '../types.js';
import { ExactRetriever } from './exact.js';
import { QUERY_BLOCK, RANGE_ROOM, RANGE_STEP, rangeInnerProducts, type RangeInnerProducts } from './inner-products.js';
import { fitCentroids, nearestCentroids } from './spherical-kmeans.js';
import { TopSelect } from './top-select.js';

export interface IvfParams {
  /** Lists the items are split into (at most the item count). */
  readonly lists: number;
  /** Lists a query scans. */
  readonly probes: number;
  /** Seeds the sample the centroids are fitted to: the same vectors and seed give the same index. */
  readonly seed: number;
}

/** The lists for a catalog of `count` items when the scenario names none: about √count, lists of about √count items. */
export function defaultLists(count: number): number {
  return Math.max(1, Math.round(Math.sqrt(count)));
}

export class IvfRetriever implements Retriever {
  readonly exact = false;
  readonly lists: number;
  readonly probes: number;
  /** Exact search over the centroids, ids the list numbers: which lists a query scans. */
  private readonly centroids: ExactRetriever;
  private readonly itemKernel: RangeInnerProducts;
  /** List l's items are the kernel's rows listFirst[l] .. listFirst[l] + listSize[l], then zero rows to the kernel's step. */
  private readonly listFirst: Int32Array;
  private readonly listSize: Int32Array;
  /** The item id of each kernel row (-1 for a padding row). */
  private readonly rowId: Int32Array;
  private readonly top = new TopSelect();

  /** Builds the index of `vectors` (one unit row of `dim` per entry of `ids`, kept, not copied). */
  constructor(
    private readonly ids: Int32Array,
    vectors: Float32Array,
    readonly dim: number,
    params: IvfParams,
  ) {
    const count = ids.length;
    if (vectors.length !== count * dim) throw new RangeError(`IvfRetriever: ${vectors.length} values for ${count} ids of dim ${dim}`);
    if (!(Number.isInteger(params.lists) && params.lists >= 1)) throw new RangeError(`IvfRetriever: lists must be a positive integer, got ${params.lists}`);
    if (!(Number.isInteger(params.probes) && params.probes >= 1)) throw new RangeError(`IvfRetriever: probes must be a positive integer, got ${params.probes}`);
    this.lists = Math.max(1, Math.min(params.lists, count));
    this.probes = Math.min(params.probes, this.lists);
    const centroids = count > 0 ? fitCentroids(vectors, count, dim, this.lists, params.seed) : new Float32Array(dim);
    const list = count > 0 ? nearestCentroids(vectors, count, dim, centroids, this.lists) : new Int32Array(0);
    this.listSize = new Int32Array(this.lists);
    for (const l of list) this.listSize[l]++;
    this.listFirst = new Int32Array(this.lists);
    let rows = 0;
    for (let l = 0; l < this.lists; l++) {
      this.listFirst[l] = rows;
      rows += padded(this.listSize[l]);
    }
    this.rowId = new Int32Array(rows).fill(-1);
    const rowVectors = new Float32Array(rows * dim);
    const next = this.listFirst.slice();
    for (let i = 0; i < count; i++) {
      const row = next[list[i]]++;
      this.rowId[row] = ids[i];
      rowVectors.set(vectors.subarray(i * dim, (i + 1) * dim), row * dim);
    }
    this.centroids = new ExactRetriever(Int32Array.from({ length: this.lists }, (_, l) => l), centroids, dim);
    this.itemKernel = rangeInnerProducts(rowVectors, rows, dim);
  }

  search(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
    return this.searchLists(queries, k, this.probes);
  }

  /** Exact search through the same lists, every one probed: what ExactRetriever over the items finds, without building it. */
  searchExactly(queries: readonly Float32Array[], k: number): { ids: Int32Array; scores: Float32Array }[] {
    return this.searchLists(queries, k, this.lists);
  }

  /** Each query's k best among the items of its `probes` closest lists. */
  private searchLists(queries: readonly Float32Array[], k: number, probes: number): { ids: Int32Array; scores: Float32Array }[] {
    const { dim } = this;
    for (const q of queries) if (q.length !== dim) throw new RangeError(`IvfRetriever: query of length ${q.length}, expected ${dim}`);
    const take = Math.max(0, Math.min(k, this.ids.length));
    if (take === 0) return queries.map(() => ({ ids: new Int32Array(0), scores: new Float32Array(0) }));
    const probed = this.probe(queries, probes);
    const results: { ids: Int32Array; scores: Float32Array }[] = [];
    // The kernel keeps a query's scores side by side in its own memory, which holds RANGE_ROOM
    // times the rows: as many queries at a time as fit there.
    const room = RANGE_ROOM * this.rowId.length;
    const at = new Int32Array(queries.length * probes);
    for (let first = 0; first < queries.length; ) {
      let last = first;
      let end = 0;
      while (last < queries.length) {
        let next = end;
        for (let j = 0; j < probes; j++) {
          at[last * probes + j] = next;
          next += padded(this.listSize[probed[last * probes + j]]);
        }
        if (next > room && last > first) break;
        end = next;
        last++;
      }
      results.push(...this.scan(queries, first, last, probed, probes, at, take));
      first = last;
    }
    return results;
  }

  /**
   * Queries `first` .. `last`, their probed lists scored into the kernel's memory at `at` list by
   * list (the queries that probe a list read it four at a time, and from cache after the first
   * four), then each one's best.
   */
  private scan(queries: readonly Float32Array[], first: number, last: number, probed: Int32Array, probes: number, at: Int32Array, take: number): { ids: Int32Array; scores: Float32Array }[] {
    const entries = probed.subarray(first * probes, last * probes);
    const byList = invert(entries, this.lists);
    let scores = new Float64Array(0);
    const block: Float32Array[] = new Array<Float32Array>(QUERY_BLOCK);
    const blockAt = new Int32Array(QUERY_BLOCK);
    for (let l = 0; l < this.lists; l++) {
      const size = this.listSize[l];
      const from = this.listFirst[l];
      const end = byList.start[l + 1];
      let e = byList.start[l];
      // The list's queries four at a time (each row read once for four), then one by one.
      for (; e + QUERY_BLOCK <= end; e += QUERY_BLOCK) {
        for (let b = 0; b < QUERY_BLOCK; b++) {
          const entry = first * probes + byList.entry[e + b];
          block[b] = queries[Math.floor(entry / probes)];
          blockAt[b] = at[entry];
        }
        scores = this.itemKernel.scoreRanges(block, from, padded(size), blockAt);
      }
      for (; e < end; e++) {
        const entry = first * probes + byList.entry[e];
        scores = this.itemKernel.scoreRange(queries[Math.floor(entry / probes)], from, padded(size), at[entry]);
      }
      // Zero rows must never be picked.
      for (e = byList.start[l]; e < end; e++) {
        const to = at[first * probes + byList.entry[e]];
        scores.fill(-Infinity, to + size, to + padded(size));
      }
    }
    const out: { ids: Int32Array; scores: Float32Array }[] = [];
    for (let q = first; q < last; q++) {
      const from = at[q * probes];
      let scanned = 0;
      for (let j = 0; j < probes; j++) scanned += this.listSize[probed[q * probes + j]];
      const end = at[q * probes + probes - 1] + padded(this.listSize[probed[q * probes + probes - 1]]);
      const { indices, scores: best } = this.top.select(scores, from, end - from, Math.min(take, scanned), this.itemKernel);
      const lists = probed.subarray(q * probes, (q + 1) * probes);
      const starts = at.subarray(q * probes, (q + 1) * probes);
      out.push({ ids: indices.map((i) => this.idAt(from + i, lists, starts)), scores: best });
    }
    return out;
  }

  /**
   * The id of the item whose score sits at `index` of the kernel's scores, in the part of a query
   * whose lists `probed` start at `at`: in the last list that starts at or before it (an empty
   * list starts where the next one does).
   */
  private idAt(index: number, probed: Int32Array, at: Int32Array): number {
    let lo = 0;
    let hi = probed.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.rowId[this.listFirst[probed[lo]] + index - at[lo]];
  }

  /** Each query's `probes` lists of highest centroid score, in ascending list order (every list, when probes is all of them). */
  private probe(queries: readonly Float32Array[], probes: number): Int32Array {
    const probed = new Int32Array(queries.length * probes);
    if (probes === this.lists) for (let i = 0; i < probed.length; i++) probed[i] = i % probes;
    else this.centroids.search(queries, probes).forEach(({ ids }, q) => probed.set(ids.sort(), q * probes));
    return probed;
  }
}

/** For each list, the entries of `probed` (query q's j-th list at q · probes + j) that scan it, in entry order. */
function invert(probed: Int32Array, lists: number): { start: Int32Array; entry: Int32Array } {
  const start = new Int32Array(lists + 1);
  for (const l of probed) start[l + 1]++;
  for (let l = 0; l < lists; l++) start[l + 1] += start[l];
  const next = start.slice(0, lists);
  const entry = new Int32Array(probed.length);
  for (let e = 0; e < probed.length; e++) entry[next[probed[e]]++] = e;
  return { start, entry };
}

/** Rows a list of `size` items takes in the kernel: whole steps. */
function padded(size: number): number {
  return Math.ceil(size / RANGE_STEP) * RANGE_STEP;
}

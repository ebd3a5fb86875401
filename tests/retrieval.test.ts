/** Exact and HNSW retrieval over item vectors, and the auto choice of an index. */
import { describe, expect, it } from 'vitest';
import { annRecall } from '../src/recommender/retrieval/ann-recall.js';
import { buildRetriever, type AnnConfig } from '../src/recommender/retrieval/build.js';
import type { Retriever } from '../src/recommender/types.js';
import { ExactRetriever } from '../src/recommender/retrieval/exact.js';
import { HnswRetriever } from '../src/recommender/retrieval/hnsw.js';
import { IvfRetriever } from '../src/recommender/retrieval/ivf.js';
import { JsInnerProducts, rangeInnerProducts, SIMD_AVAILABLE } from '../src/recommender/retrieval/inner-products.js';
import { TopK } from '../src/recommender/retrieval/top-k.js';
import { TopSelect } from '../src/recommender/retrieval/top-select.js';
import { Rng } from '../src/rng/index.js';
import { clustered, DIM, dot, rows } from './support/unit-vectors.js';

const ANN: AnnConfig = { kind: 'auto', exact_below: 1000, m: 16, ef_construction: 100, ef_search: 200, probes: 32 };

describe('TopK', () => {
  it('keeps the k best, best first, ties to the lower index', () => {
    const rng = new Rng('topk');
    const scores = Array.from({ length: 500 }, () => Math.round(rng.uniform(0, 50)));
    const heap = new TopK(20);
    scores.forEach((s, i) => heap.push(s, i));
    const expected = scores
      .map((s, i) => ({ s, i }))
      .sort((a, b) => b.s - a.s || a.i - b.i)
      .slice(0, 20);
    const { indices, scores: got } = heap.drain();
    expect(Array.from(indices)).toEqual(expected.map((e) => e.i));
    expect(Array.from(got)).toEqual(expected.map((e) => e.s));
  });
});

describe('TopSelect', () => {
  /** What a TopK fed the whole row gives (NaN left out, as the exact scan does). */
  const heapTop = (row: Float64Array, k: number): { indices: Int32Array; scores: Float32Array } => {
    const heap = new TopK(k);
    row.forEach((s, i) => {
      if (!Number.isNaN(s)) heap.push(s, i);
    });
    return heap.drain();
  };

  it('selects what the heap selects, in its order, on rows with ties, NaN, infinities and runs of −∞, with and without a kernel’s pass', () => {
    const rng = new Rng('top-select');
    const select = new TopSelect();
    // A kernel whose score memory holds the rows, to make the full pass there (CutScan).
    const kernel = rangeInnerProducts(new Float32Array(40_016 * DIM), 40_016, DIM);
    const memory = kernel.scoreRange(new Float64Array(DIM), 0, 8, 0);
    for (let trial = 0; trial < 200; trial++) {
      // Some rows long enough that the sample takes fewer than every eighth score.
      const count = trial % 25 === 0 ? 16_000 + rng.int(24_000) : 1 + rng.int(3000);
      const k = rng.int(200);
      // Coarse values give many exact ties, some at the cut between kept and dropped buckets.
      const coarse = trial % 3 === 0;
      const row = Float64Array.from({ length: count }, () => (coarse ? Math.round(rng.normal() * 4) : rng.normal()));
      if (trial % 5 === 1) for (let j = 0; j < 10; j++) row[rng.int(count)] = Number.NaN;
      if (trial % 7 === 2) row[rng.int(count)] = Infinity;
      // Runs of −∞, as an inverted file's padding rows score.
      if (trial % 4 === 1) for (let at = rng.int(8); at < count; at += 40) row.fill(-Infinity, at, at + 1 + rng.int(7));
      if (trial % 11 === 3) row.fill(0.5);
      // The row sits inside a longer array, as a query's row of the kernel's scores does.
      const padded = new Float64Array(count + 10).fill(99);
      padded.set(row, 5);
      const got = select.select(padded, 5, count, k);
      const want = heapTop(row, k);
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
      memory.set(padded, 3);
      const scanned = select.select(memory, 8, count, k, kernel);
      expect(Array.from(scanned.indices)).toEqual(Array.from(want.indices));
      expect(Array.from(scanned.scores)).toEqual(Array.from(want.scores));
    }
  });

  it('finds the k best when the sampled scores suggest too high a cut (every eighth item high, the rest low)', () => {
    const rng = new Rng('top-select-skewed');
    const row = Float64Array.from({ length: 1000 }, (_, i) => (i % 8 === 0 ? rng.uniform(0, 1) : rng.uniform(-1, 0)));
    const got = new TopSelect().select(row, 0, row.length, 200);
    const want = heapTop(row, 200);
    expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
    expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
  });

  it('keeps a bucket whole when ties in it straddle k, lower index first', () => {
    // 3 of 10 wanted; the best four items share one value, so the three lowest indices of them win.
    const row = Float64Array.of(0, 5, 1, 5, 2, 5, 3, 5, 4, 0.5, ...new Array<number>(40).fill(-1));
    const got = new TopSelect().select(row, 0, row.length, 3);
    expect(Array.from(got.indices)).toEqual([1, 3, 5]);
  });
});

// Both scoring kernels, the WebAssembly one (where the runtime has SIMD) and the JavaScript
// fallback, must give the same ids and scores: float64 sums in dimension order.
const KERNELS = [
  ['default kernel', undefined],
  ['JavaScript kernel', (v: Float32Array, count: number, dim: number) => new JsInnerProducts(v, count, dim)],
] as const;

it('has WebAssembly SIMD on the supported Node versions, so the default kernel is the WebAssembly one', () => {
  expect(SIMD_AVAILABLE).toBe(true);
});

describe.each(KERNELS)('ExactRetriever, %s', (_, kernel) => {
  const rng = new Rng('exact');
  // Odd counts of items and queries: the scan's blocks of two items and four queries have remainders.
  const n = 2999;
  const vectors = clustered(n, 20, rng);
  // Ids are not positions: shuffled and offset, to prove they are mapped back.
  const ids = Int32Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => 10_000 + i)));
  const exact = new ExactRetriever(ids, vectors, DIM, kernel);
  const queries = rows(clustered(39, 20, rng), 39);

  it('returns exactly the k largest inner products, with their scores and ids', () => {
    const results = exact.search(queries, 25);
    expect(results).toHaveLength(39);
    queries.forEach((q, r) => {
      const expected = Array.from({ length: n }, (_, i) => ({ i, s: dot(q, vectors, i) }))
        .sort((a, b) => b.s - a.s || a.i - b.i)
        .slice(0, 25);
      expect(Array.from(results[r].ids)).toEqual(expected.map((e) => ids[e.i]));
      // Summed in float64 in dimension order, like dot(): the same value, rounded once to float32.
      results[r].scores.forEach((s, j) => expect(s).toBe(Math.fround(expected[j].s)));
    });
  });

  it('returns the whole catalog, ordered, when k exceeds it; nothing for k = 0', () => {
    const small = new ExactRetriever(ids.subarray(0, 7), vectors.subarray(0, 7 * DIM), DIM, kernel);
    const [all] = small.search([queries[0]], 100);
    expect(all.ids).toHaveLength(7);
    expect(new Set(all.ids)).toEqual(new Set(ids.subarray(0, 7)));
    for (let j = 1; j < 7; j++) expect(all.scores[j]).toBeLessThanOrEqual(all.scores[j - 1]);
    expect(small.search([queries[0]], 0)[0].ids).toHaveLength(0);
  });

  it('scores a lone item, and finds nothing in an empty catalog', () => {
    const [one] = new ExactRetriever(Int32Array.of(42), vectors.subarray(0, DIM), DIM, kernel).search([queries[1]], 3);
    expect(Array.from(one.ids)).toEqual([42]);
    expect(one.scores[0]).toBe(Math.fround(dot(queries[1], vectors, 0)));
    const none = new ExactRetriever(new Int32Array(0), new Float32Array(0), DIM, kernel).search([queries[0], queries[1]], 5);
    expect(none.map((r) => r.ids.length)).toEqual([0, 0]);
  });
});

describe('HnswRetriever', () => {
  it('recalls at least 95% of the exact top 10 on clustered vectors (5,000 items, dim 32)', () => {
    const rng = new Rng('hnsw');
    const n = 5000;
    const vectors = clustered(n, 50, rng);
    const ids = Int32Array.from({ length: n }, (_, i) => 7 * i + 3);
    const exact = new ExactRetriever(ids, vectors, DIM);
    const hnsw = new HnswRetriever(ids, vectors, DIM, { m: 16, efConstruction: 100, efSearch: 100 });
    expect(hnsw.exact).toBe(false);
    const queries = rows(clustered(300, 50, rng), 300);
    const truth = exact.search(queries, 10);
    const found = hnsw.search(queries, 10);
    let hits = 0;
    queries.forEach((q, r) => {
      const want = new Set(truth[r].ids);
      for (const id of found[r].ids) if (want.has(id)) hits++;
      // Ids map back to the right vectors: each score is the inner product with that id's vector.
      found[r].ids.forEach((id, j) => expect(found[r].scores[j]).toBeCloseTo(dot(q, vectors, (id - 3) / 7), 4));
    });
    const recall = hits / (10 * queries.length);
    console.log(`hnsw recall@10 vs exact, 5,000 clustered vectors, ef_search 100: ${recall.toFixed(4)}`);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  });

  it('returns every item when k exceeds the catalog', () => {
    const rng = new Rng('hnsw-small');
    const vectors = clustered(12, 3, rng);
    const ids = Int32Array.from({ length: 12 }, (_, i) => 100 + i);
    const hnsw = new HnswRetriever(ids, vectors, DIM, { m: 8, efConstruction: 50, efSearch: 50 });
    const [result] = hnsw.search(rows(vectors, 1), 500);
    expect(new Set(result.ids)).toEqual(new Set(ids));
    expect(result.ids[0]).toBe(100); // the query is item 100's own vector
  });
});

describe('annRecall', () => {
  const rng = new Rng('ann-recall');
  const n = 3000;
  const vectors = clustered(n, 40, rng);
  const ids = Int32Array.from({ length: n }, (_, i) => 2 * i + 1);
  const queries = clustered(60, 40, rng);

  it('is 1 for an exact index and for no queries, without searching', () => {
    const exact = new ExactRetriever(ids, vectors, DIM);
    expect(annRecall(exact, ids, vectors, DIM, queries, 20)).toBe(1);
    const hnsw = new HnswRetriever(ids, vectors, DIM, { m: 4, efConstruction: 8, efSearch: 20 });
    expect(annRecall(hnsw, ids, vectors, DIM, new Float32Array(0), 20)).toBe(1);
  });

  it('counts the share of each query’s exact top k the index returns', () => {
    // An index that returns the exact top k with its second half replaced by items outside it.
    const exact = new ExactRetriever(ids, vectors, DIM);
    const halfWrong: Retriever = {
      exact: false,
      search: (qs, k) =>
        exact.search(qs, 2 * k).map(({ ids: found, scores }) => ({ ids: Int32Array.from(found.subarray(0, k), (id, j) => (j < k / 2 ? id : found[k + j])), scores: scores.subarray(0, k) })),
    };
    expect(annRecall(halfWrong, ids, vectors, DIM, queries, 20)).toBe(0.5);
    // A sparse graph searched narrowly misses some; its recall is what a direct count gives.
    const hnsw = new HnswRetriever(ids, vectors, DIM, { m: 4, efConstruction: 8, efSearch: 20 });
    const qs = rows(queries, 60);
    const truth = exact.search(qs, 20);
    const found = hnsw.search(qs, 20);
    const hits = truth.reduce((sum, t, q) => sum + Array.from(t.ids).filter((id) => found[q].ids.includes(id)).length, 0);
    const recall = annRecall(hnsw, ids, vectors, DIM, queries, 20);
    expect(recall).toBe(hits / (20 * 60));
    expect(recall).toBeLessThan(1);
    expect(recall).toBeGreaterThan(0.1); // 0.295 here: a poor graph, not a broken count
  });
});

describe('buildRetriever', () => {
  const rng = new Rng('build');
  const vectors = clustered(1500, 10, rng);
  const ids = Int32Array.from({ length: 1500 }, (_, i) => i);

  it('auto searches exactly below exact_below and builds an inverted file at or above it', async () => {
    expect(await buildRetriever(ids.subarray(0, 999), vectors.subarray(0, 999 * DIM), DIM, ANN)).toBeInstanceOf(ExactRetriever);
    expect(await buildRetriever(ids, vectors, DIM, ANN)).toBeInstanceOf(IvfRetriever);
  });

  it('honours an explicit kind whatever the size', async () => {
    expect((await buildRetriever(ids, vectors, DIM, { ...ANN, kind: 'exact' })).exact).toBe(true);
    expect(await buildRetriever(ids.subarray(0, 50), vectors.subarray(0, 50 * DIM), DIM, { ...ANN, kind: 'hnsw' })).toBeInstanceOf(HnswRetriever);
    expect(await buildRetriever(ids.subarray(0, 50), vectors.subarray(0, 50 * DIM), DIM, { ...ANN, kind: 'ivf' })).toBeInstanceOf(IvfRetriever);
  });

  it('builds the HNSW graph on its own thread, the same graph an in-thread build gives', async () => {
    const params = { m: 4, efConstruction: 10, efSearch: 25, seed: 7 };
    const inThread = new HnswRetriever(ids, vectors, DIM, params);
    const offThread = await buildRetriever(ids, vectors, DIM, { ...ANN, kind: 'hnsw', m: 4, ef_construction: 10, ef_search: 25 }, 7);
    const queries = Array.from({ length: 40 }, (_, q) => vectors.subarray(q * 37 * DIM, (q * 37 + 1) * DIM));
    expect(offThread.search(queries, 25)).toEqual(inThread.search(queries, 25));
    // Another seed gives another graph (so the seed did travel to the thread).
    const reseeded = await buildRetriever(ids, vectors, DIM, { ...ANN, kind: 'hnsw', m: 4, ef_construction: 10, ef_search: 25 }, 8);
    const searchesOf = (r: { search: typeof inThread.search }) => r.search(queries, 25).map((x) => Array.from(x.ids));
    expect(searchesOf(reseeded)).not.toEqual(searchesOf(inThread));
  });
});

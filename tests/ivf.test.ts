/** The inverted-file index: its range kernel, its spherical k-means, and its search against exact search. */
import { describe, expect, it } from 'vitest';
import { annRecall } from '../src/recommender/retrieval/ann-recall.js';
import { annSettings, buildRetriever } from '../src/recommender/retrieval/build.js';
import { ExactRetriever } from '../src/recommender/retrieval/exact.js';
import { JsRangeInnerProducts, RANGE_ROOM, RANGE_STEP, rangeInnerProducts, type RangeInnerProducts } from '../src/recommender/retrieval/inner-products.js';
import { defaultLists, IvfRetriever } from '../src/recommender/retrieval/ivf.js';
import { fitCentroids, nearestCentroids } from '../src/recommender/retrieval/spherical-kmeans.js';
import { aboveCut } from '../src/recommender/retrieval/top-select.js';
import { Rng } from '../src/rng/index.js';
import { clustered, DIM, dot, dotFloat32, rows, topByFloat32 } from './support/unit-vectors.js';

describe.each([
  ['default kernel', rangeInnerProducts],
  ['JavaScript kernel', (v: Float32Array, count: number, dim: number): RangeInnerProducts => new JsRangeInnerProducts(v, count, dim)],
] as const)('range inner products, %s', (_, make) => {
  const rng = new Rng('range');
  const n = 48;
  const vectors = clustered(n, 4, rng);
  const kernel = make(vectors, n, DIM);
  const query = Float64Array.from(clustered(1, 4, rng));

  it('scores a range where it is asked to, with the float32 sums in dimension order, and leaves the rest alone', () => {
    kernel.scoreRange(query, 0, 8, 0);
    const scores = kernel.scoreRange(query, 16, 24, 8);
    for (let i = 0; i < 8; i++) expect(scores[i]).toBe(dotFloat32(query, vectors, i));
    for (let i = 0; i < 24; i++) expect(scores[8 + i]).toBe(dotFloat32(query, vectors, 16 + i));
    // Not the float64 sums: the two differ in the last bits on most rows.
    expect(Array.from({ length: 24 }, (_, i) => scores[8 + i] !== dot(Float32Array.from(query), vectors, 16 + i)).filter(Boolean).length).toBeGreaterThan(12);
  });

  it('scores four queries over one range at once, each with the sums it gets alone', () => {
    const block = Array.from({ length: 4 }, () => Float64Array.from(clustered(1, 4, rng)));
    const at = [40, 0, 64, 16];
    const scores = kernel.scoreRanges(block, 24, 16, at).slice();
    block.forEach((q, b) => {
      for (let i = 0; i < 16; i++) expect(scores[at[b] + i]).toBe(dotFloat32(q, vectors, 24 + i));
    });
    // Nothing else moved: what a single query wrote right after the last block's range is still there.
    const alone = Float64Array.from(kernel.scoreRange(query, 0, 8, 80).subarray(80, 88));
    expect(kernel.scoreRanges(block, 0, 8, [0, 8, 16, 72]).subarray(80, 88)).toEqual(alone);
  });

  it("finds its scores at or above a cut as the selection's own pass does: ascending, NaN failing, from several offsets", () => {
    const scores = kernel.scoreRange(query, 0, n, 0);
    scores.set(Float64Array.from({ length: RANGE_ROOM * n }, (_, i) => Math.round(rng.normal() * 3)));
    // (s − 0) · 1 lands exactly on the cut for s = 2: kept, as ≥ keeps it.
    scores.set([Number.NaN, Infinity, -Infinity, 2, 2, Number.NaN, 1.5, -3], 37);
    const want = new Int32Array(RANGE_ROOM * n);
    for (const [lo, scale, cut] of [[0, 1, 2], [-1.5, 0.3, 1], [0.25, 7, 40], [0, 1, Infinity]]) {
      for (const from of [0, 1, 7, 30, 37]) {
        for (const count of [0, 1, 7, 8, 9, 23, 40, 48]) {
          const found = aboveCut(scores, from, count, lo, scale, cut, want);
          expect(Array.from(kernel.above(from, count, lo, scale, cut))).toEqual(Array.from(want.subarray(0, found)));
        }
      }
    }
    expect(Array.from(kernel.above(37, 8, 0, 1, 2))).toEqual([1, 3, 4]);
    // A step of eight whose one score lands exactly on the cut.
    scores.set([0, 0, 0, 2, 0, 0, 0, 0, 0], 47);
    expect(Array.from(kernel.above(47, 9, 0, 1, 2))).toEqual([3]);
    expect(() => kernel.above(RANGE_ROOM * n - 4, 8, 0, 1, 0)).toThrow(/scores 380 \.\. 388 of 384/);
    expect(() => kernel.above(0, n + 8, 0, 1, 0)).toThrow(/at most 48 at once/);
  });

  it('refuses ranges that are not whole steps, leave the items, or write past its scores', () => {
    const block = [query, query, query, query];
    expect(() => kernel.scoreRanges(block.slice(0, 3), 0, 8, [0, 8, 16])).toThrow(/a block of 3 queries, expected 4/);
    expect(() => kernel.scoreRanges(block, 0, 8, [0, 8, 16, RANGE_ROOM * n - 4])).toThrow(/within 384/);
    expect(() => kernel.scoreRanges(block, 4, 8, [0, 8, 16, 24])).toThrow(/whole steps of 8/);
    expect(() => kernel.scoreRange(query, 4, 8, 0)).toThrow(/whole steps of 8/);
    expect(() => kernel.scoreRange(query, 0, 12, 0)).toThrow(/whole steps/);
    expect(() => kernel.scoreRange(query, 40, 16, 0)).toThrow(/items 40 \.\. 56 of 48/);
    expect(() => kernel.scoreRange(query, 0, 16, RANGE_ROOM * n - 8)).toThrow(/within 384/);
  });
});

it('a range kernel needs a whole number of steps', () => {
  expect(() => rangeInnerProducts(new Float32Array(12 * DIM), 12, DIM)).toThrow(`12 items, not a multiple of ${RANGE_STEP}`);
});

describe('spherical k-means', () => {
  const rng = new Rng('kmeans');
  // Tight, well-separated clusters: the fitted lists should recover them.
  const n = 4000;
  const vectors = clustered(n, 8, rng, 0.1);

  it('fits unit centroids, the same for the same seed, that keep each planted cluster together', () => {
    const centroids = fitCentroids(vectors, n, DIM, 8, 1);
    for (let c = 0; c < 8; c++) {
      const norm = Math.hypot(...centroids.subarray(c * DIM, (c + 1) * DIM));
      expect(norm).toBeCloseTo(1, 5);
    }
    expect(fitCentroids(vectors, n, DIM, 8, 1)).toEqual(centroids);
    const nearest = nearestCentroids(vectors, n, DIM, centroids, 8);
    // Rows of one planted cluster lie close together: a row's nearest row (same cluster) should
    // share its list almost always.
    let same = 0;
    for (let i = 0; i < 400; i++) {
      let best = -1;
      let bestScore = -Infinity;
      for (let j = 0; j < n; j++) {
        const s = j === i ? -Infinity : dot(vectors.subarray(i * DIM, (i + 1) * DIM), vectors, j);
        if (s > bestScore) [best, bestScore] = [j, s];
      }
      if (nearest[best] === nearest[i]) same++;
    }
    expect(same / 400).toBeGreaterThan(0.95);
  });

  it('moves each centroid to the mean direction of its rows', () => {
    // Looser clusters, whose rows lie well apart from their centre: centroids left at the rows
    // they started from are 0.55–0.98 in cosine from the mean of their rows, fitted ones 0.995–0.9996.
    const loose = clustered(n, 8, new Rng('kmeans-loose'), 0.35);
    const centroids = fitCentroids(loose, n, DIM, 8, 4);
    const nearest = nearestCentroids(loose, n, DIM, centroids, 8);
    for (let c = 0; c < 8; c++) {
      const mean = new Float64Array(DIM);
      nearest.forEach((l, i) => {
        if (l === c) for (let d = 0; d < DIM; d++) mean[d] += loose[i * DIM + d];
      });
      const cosine = mean.reduce((sum, v, d) => sum + v * centroids[c * DIM + d], 0) / Math.hypot(...mean);
      expect(cosine).toBeGreaterThan(0.99);
    }
  });

  it('assigns each row to the centroid of highest inner product', () => {
    const centroids = fitCentroids(vectors, n, DIM, 5, 2);
    const nearest = nearestCentroids(vectors, 50, DIM, centroids, 5);
    for (let i = 0; i < 50; i++) {
      const scores = Array.from({ length: 5 }, (_, c) => dot(vectors.subarray(i * DIM, (i + 1) * DIM), centroids, c));
      expect(nearest[i]).toBe(scores.indexOf(Math.max(...scores)));
    }
  });
});

describe('IvfRetriever', () => {
  const rng = new Rng('ivf');
  const n = 3001;
  const vectors = clustered(n, 30, rng);
  const ids = Int32Array.from(rng.shuffle(Array.from({ length: n }, (_, i) => 5_000 + i)));
  const exact = new ExactRetriever(ids, vectors, DIM);
  // Queries further from the centres than the items: like a user tower's vectors.
  const queries = rows(clustered(80, 30, rng, 0.8), 80);

  it('probing every list finds the top k by its float32 sums, and what exact search finds but for rounding', () => {
    const all = new IvfRetriever(ids, vectors, DIM, { lists: 20, probes: 20, seed: 3 });
    expect(all.exact).toBe(false);
    const byFloat32 = topByFloat32(queries, ids, vectors, 30);
    expect(all.search(queries, 30)).toEqual(byFloat32);
    // searchExactly probes every list of an index built to probe few.
    const few = new IvfRetriever(ids, vectors, DIM, { lists: 20, probes: 2, seed: 3 });
    expect(few.searchExactly(queries, 30)).toEqual(byFloat32);
    expect(few.search(queries, 30)).not.toEqual(byFloat32);
    // Exact search's float64 sums, rounded to float32 at the end: the same items but where two lie within rounding.
    const exactly = exact.search(queries, 30);
    let same = 0;
    exactly.forEach((truth, q) => {
      const got = new Set(byFloat32[q].ids);
      for (const id of truth.ids) if (got.has(id)) same++;
      truth.scores.forEach((score, j) => expect(Math.abs(score - byFloat32[q].scores[j])).toBeLessThan(1e-6));
    });
    expect(same / (30 * queries.length)).toBeGreaterThan(0.995);
  });

  it('gives a query the same result whatever batch it comes in, also when a batch is scanned in parts', () => {
    const ivf = new IvfRetriever(ids, vectors, DIM, { lists: 12, probes: 5, seed: 3 });
    const together = ivf.search(queries, 25);
    const alone = queries.map((q) => ivf.search([q], 25)[0]);
    expect(together).toEqual(alone);
    expect(ivf.search([queries[7], queries[3]], 25)).toEqual([together[7], together[3]]);
    // Every list probed: each query fills an eighth of the kernel's score memory, so nine queries are scanned in two parts.
    const wide = new IvfRetriever(ids, vectors, DIM, { lists: 12, probes: 12, seed: 3 });
    expect(wide.search(queries.slice(0, 9), 25)).toEqual(topByFloat32(queries.slice(0, 9), ids, vectors, 25));
  });

  it('recalls most of the exact top 100 at the default lists and 16 probes, on queries away from the items', () => {
    const big = 20_000;
    const items = clustered(big, 200, rng);
    const itemIds = Int32Array.from({ length: big }, (_, i) => i);
    const far = clustered(256, 200, rng, 0.8);
    const recall = (probes: number): number => annRecall(new IvfRetriever(itemIds, items, DIM, { lists: defaultLists(big), probes, seed: 1 }), itemIds, items, DIM, far, 100);
    const [four, sixteen] = [recall(4), recall(16)];
    console.log(`IVF recall@100 on 256 queries away from 20,000 items (${defaultLists(big)} lists): ${four.toFixed(3)} probing 4, ${sixteen.toFixed(3)} probing 16`);
    expect(sixteen).toBeGreaterThan(0.9); // 0.932 here
    expect(four).toBeLessThan(sixteen - 0.05);
  });

  it('the same vectors and seed give the same index; fewer probes scan less and find less', () => {
    const a = new IvfRetriever(ids, vectors, DIM, { lists: 40, probes: 4, seed: 9 });
    const b = new IvfRetriever(ids, vectors, DIM, { lists: 40, probes: 4, seed: 9 });
    expect(a.search(queries, 20)).toEqual(b.search(queries, 20));
    const flat = Float32Array.from(queries.flatMap((q) => Array.from(q)));
    const narrow = annRecall(new IvfRetriever(ids, vectors, DIM, { lists: 40, probes: 1, seed: 9 }), ids, vectors, DIM, flat, 20);
    const wide = annRecall(a, ids, vectors, DIM, flat, 20);
    expect(narrow).toBeLessThan(wide);
    // The recall against its own exact search is the recall against a new ExactRetriever's.
    const searchOnly = { exact: false, search: (q: readonly Float32Array[], k: number) => a.search(q, k) };
    expect(annRecall(searchOnly, ids, vectors, DIM, flat, 20)).toBe(wide);
  });

  it('returns what its probed lists hold when k exceeds them, nothing for k = 0 or an empty catalog', () => {
    const ivf = new IvfRetriever(ids.subarray(0, 40), vectors.subarray(0, 40 * DIM), DIM, { lists: 4, probes: 1, seed: 1 });
    const [few] = ivf.search([queries[0]], 500);
    expect(few.ids.length).toBeGreaterThan(0);
    expect(few.ids.length).toBeLessThan(40);
    for (const id of few.ids) expect(ids.subarray(0, 40)).toContain(id); // never a padding row
    for (let j = 1; j < few.ids.length; j++) expect(few.scores[j]).toBeLessThanOrEqual(few.scores[j - 1]);
    expect(ivf.search([queries[0]], 0)[0].ids).toHaveLength(0);
    expect(new IvfRetriever(new Int32Array(0), new Float32Array(0), DIM, { lists: 4, probes: 2, seed: 1 }).search([queries[0]], 5)[0].ids).toHaveLength(0);
    expect(() => ivf.search([new Float32Array(3)], 5)).toThrow(/query of length 3, expected 32/);
  });
});

describe('the ann block', () => {
  it('builds an inverted file for kind ivf, about √items lists unless the scenario names them', async () => {
    const rng = new Rng('ann-ivf');
    const vectors = clustered(900, 10, rng);
    const ids = Int32Array.from({ length: 900 }, (_, i) => i);
    const config = annSettings.parse({ kind: 'ivf', probes: 4 });
    const ivf = await buildRetriever(ids, vectors, DIM, config, 5);
    expect(ivf).toBeInstanceOf(IvfRetriever);
    expect((ivf as IvfRetriever).lists).toBe(30);
    expect((ivf as IvfRetriever).probes).toBe(4);
    const named = await buildRetriever(ids, vectors, DIM, annSettings.parse({ kind: 'ivf', lists: 12 }), 5);
    expect((named as IvfRetriever).lists).toBe(12);
    expect(() => annSettings.parse({ kind: 'ivf', lists: 0 })).toThrow();
    expect(() => annSettings.parse({ kind: 'ivfpq' })).toThrow(/expected auto, hnsw, ivf or exact/);
  });
});

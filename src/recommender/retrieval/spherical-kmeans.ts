/**
 * Spherical k-means: unit-length centroids for rows of unit vectors, each row going to the
 * centroid of highest inner product (its nearest in cosine). It partitions an IVF index's items
 * into lists (ivf.ts). Scores come from the exact-search kernel (float64 sums in a fixed order),
 * so the same rows and seed give the same centroids on every thread.
 */
import { Rng } from '../../rng/index.js';
import { innerProducts, QUERY_BLOCK } from './inner-products.js';

/** Rows sampled per centroid to fit the centroids (FAISS's default for IVF training is 39–256). */
const SAMPLE_PER_CENTROID = 64;
const ITERATIONS = 10;

/**
 * `lists` unit centroids fitted to a seeded sample of the `count` rows of `vectors` (row-major,
 * `dim` wide): the first `lists` sampled rows to start, then `ITERATIONS` rounds of assigning
 * and averaging. A centroid left without rows keeps its place.
 */
export function fitCentroids(vectors: Float32Array, count: number, dim: number, lists: number, seed: number): Float32Array {
  if (!(Number.isInteger(lists) && lists >= 1 && lists <= count)) throw new RangeError(`spherical k-means: ${lists} centroids for ${count} rows`);
  const rng = new Rng(`ivf-${seed}`);
  // A random order, so the first `lists` rows are a uniform pick to start from.
  const sample = Int32Array.from(rng.shuffle(rng.sampleIndices(count, Math.min(count, lists * SAMPLE_PER_CENTROID))));
  const rows = new Float32Array(sample.length * dim);
  sample.forEach((row, s) => rows.set(vectors.subarray(row * dim, (row + 1) * dim), s * dim));
  const centroids = new Float32Array(lists * dim);
  for (let c = 0; c < lists; c++) centroids.set(normalised(rows.subarray(c * dim, (c + 1) * dim)), c * dim);
  const sums = new Float64Array(lists * dim);
  for (let round = 0; round < ITERATIONS; round++) {
    const nearest = nearestCentroids(rows, sample.length, dim, centroids, lists);
    sums.fill(0);
    for (let s = 0; s < sample.length; s++) {
      const c = nearest[s];
      for (let d = 0; d < dim; d++) sums[c * dim + d] += rows[s * dim + d];
    }
    for (let c = 0; c < lists; c++) {
      const sum = sums.subarray(c * dim, (c + 1) * dim);
      if (sum.some((v) => v !== 0)) centroids.set(normalised(sum), c * dim);
    }
  }
  return centroids;
}

/** For each of the `count` rows, the centroid of highest inner product (ties to the lower index). */
export function nearestCentroids(vectors: Float32Array, count: number, dim: number, centroids: Float32Array, lists: number): Int32Array {
  const kernel = innerProducts(centroids, lists, dim);
  const packed = new Float64Array(QUERY_BLOCK * dim);
  const nearest = new Int32Array(count);
  for (let start = 0; start < count; start += QUERY_BLOCK) {
    const size = Math.min(QUERY_BLOCK, count - start);
    packed.fill(0);
    packed.set(vectors.subarray(start * dim, (start + size) * dim));
    const { scores, stride } = kernel.score(packed);
    for (let b = 0; b < size; b++) {
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < lists; c++) {
        const s = scores[b * stride + c];
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      nearest[start + b] = best;
    }
  }
  return nearest;
}

/** `v` scaled to unit length (a zero vector stays zero). */
function normalised(v: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let d = 0; d < v.length; d++) norm += v[d] * v[d];
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  return Float32Array.from(v, (x) => x * scale);
}

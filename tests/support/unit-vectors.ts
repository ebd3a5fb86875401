/** Unit vectors around random centres, like a two-tower's learned item embeddings, for retrieval tests. */
import { Rng } from '../../src/rng/index.js';

export const DIM = 32;

/** `n` unit vectors of DIM around `clusters` random centres; a larger `spread` puts them further from their centre. */
export function clustered(n: number, clusters: number, rng: Rng, spread = 0.35): Float32Array {
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: DIM }, () => rng.normal()));
  const out = new Float32Array(n * DIM);
  for (let i = 0; i < n; i++) {
    const c = centres[rng.int(clusters)];
    let norm = 0;
    for (let d = 0; d < DIM; d++) {
      const v = c[d] / Math.sqrt(DIM) + spread * rng.normal() / Math.sqrt(DIM);
      out[i * DIM + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < DIM; d++) out[i * DIM + d] /= Math.sqrt(norm);
  }
  return out;
}

/** The first `count` rows of `vectors`, as views. */
export function rows(vectors: Float32Array, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, r) => vectors.subarray(r * DIM, (r + 1) * DIM));
}

/** Row `index` of `vectors` times `a`, summed in float64 in dimension order (the kernels' sum). */
export function dot(a: Float32Array, vectors: Float32Array, index: number): number {
  let s = 0;
  for (let d = 0; d < DIM; d++) s += a[d] * vectors[index * DIM + d];
  return s;
}

/** Row `index` of `vectors` times `a` in float32, as the inverted file's kernels add: each product and each sum rounded, in dimension order. */
export function dotFloat32(a: ArrayLike<number>, vectors: Float32Array, index: number): number {
  let s = 0;
  for (let d = 0; d < DIM; d++) s = Math.fround(s + Math.fround(Math.fround(a[d]) * vectors[index * DIM + d]));
  return s;
}

/** Each query's k best rows of `vectors` by dotFloat32, best first: what an inverted file probing every list returns. */
export function topByFloat32(queries: readonly Float32Array[], ids: Int32Array, vectors: Float32Array, k: number): { ids: Int32Array; scores: Float32Array }[] {
  return queries.map((q) => {
    const scored = Array.from(ids, (id, i) => ({ id, score: dotFloat32(q, vectors, i) })).sort((x, y) => y.score - x.score);
    const best = scored.slice(0, k);
    return { ids: Int32Array.from(best, (b) => b.id), scores: Float32Array.from(best, (b) => b.score) };
  });
}

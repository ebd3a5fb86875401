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

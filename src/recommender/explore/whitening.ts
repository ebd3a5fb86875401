/**
 * PCA whitening of a learned representation, so a Bayesian linear model's prior and noise keep
 * their meaning whatever the layer's width and scale: x = Λ^(-1/2) Vᵀ (z − μ) / √k over the k
 * leading principal components. Each kept feature then has variance 1/k over the rows it was
 * fitted on, so ‖x‖² averages 1 (like the bias, or a one-tag item's topic features) and a
 * N(0, I/λ) prior puts a variance of about 1/λ on x·w at any k.
 */
import { symmetricEigen } from './symmetric-eigen.js';

/** Components with less variance than this share of the largest are noise (or constant), not signal. */
const RELATIVE_FLOOR = 1e-6;

export class Whitening {
  private constructor(
    readonly inputDim: number,
    readonly components: number,
    /** k × inputDim, scaling folded in. */
    private readonly projection: Float64Array,
    private readonly center: Float64Array,
  ) {}

  /** Fits on n rows of `x` (n × dim); null when fewer than two rows or no direction varies. */
  static fit(x: ArrayLike<number>, n: number, dim: number, maxComponents: number): Whitening | null {
    if (n < 2 || dim < 1) return null;
    const center = new Float64Array(dim);
    for (let r = 0; r < n; r++) for (let i = 0; i < dim; i++) center[i] += x[r * dim + i] / n;
    const cov = new Float64Array(dim * dim);
    const row = new Float64Array(dim);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < dim; i++) row[i] = x[r * dim + i] - center[i];
      for (let i = 0; i < dim; i++) {
        const ri = row[i] / (n - 1);
        if (ri === 0) continue;
        for (let j = i; j < dim; j++) cov[i * dim + j] += ri * row[j];
      }
    }
    for (let i = 0; i < dim; i++) for (let j = 0; j < i; j++) cov[i * dim + j] = cov[j * dim + i];
    const { values, vectors } = symmetricEigen(cov, dim);
    const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b);
    const floor = Math.max(values[order[0]] * RELATIVE_FLOOR, Number.MIN_VALUE);
    const kept = order.filter((j) => values[j] > floor).slice(0, Math.min(maxComponents, n - 1));
    if (kept.length === 0) return null;
    const k = kept.length;
    const projection = new Float64Array(k * dim);
    kept.forEach((j, c) => {
      const scale = 1 / Math.sqrt(values[j] * k);
      for (let i = 0; i < dim; i++) projection[c * dim + i] = vectors[i * dim + j] * scale;
    });
    return new Whitening(dim, k, projection, center);
  }

  /** Writes the k whitened features of z into out[offset..offset+k). */
  apply(z: ArrayLike<number>, out: Float64Array, offset: number): void {
    const d = this.inputDim;
    for (let c = 0; c < this.components; c++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += this.projection[c * d + i] * (z[i] - this.center[i]);
      out[offset + c] = s;
    }
  }
}

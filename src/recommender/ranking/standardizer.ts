/**
 * Per-feature standardization, (x − mean) / sd. Fitted once, on the first training set, and then
 * frozen: warm-started weights keep meaning the same thing across retrains only if their inputs
 * are scaled the same way. Features constant in that first set (sd ≈ 0) are only centred.
 */
export class Standardizer {
  constructor(
    readonly mean: Float32Array,
    readonly inverseSd: Float32Array,
  ) {}

  /** Fits on the given rows of an n × dim row-major matrix. */
  static fit(x: Float32Array, dim: number, rows: ArrayLike<number>): Standardizer {
    const mean = new Float64Array(dim);
    const square = new Float64Array(dim);
    const n = rows.length;
    for (let k = 0; k < n; k++) {
      const o = rows[k] * dim;
      for (let j = 0; j < dim; j++) {
        const v = x[o + j];
        mean[j] += v;
        square[j] += v * v;
      }
    }
    const m = new Float32Array(dim);
    const inv = new Float32Array(dim);
    for (let j = 0; j < dim; j++) {
      const mu = n > 0 ? mean[j] / n : 0;
      const variance = n > 0 ? Math.max(0, square[j] / n - mu * mu) : 0;
      const sd = Math.sqrt(variance);
      m[j] = mu;
      inv[j] = sd > 1e-6 ? 1 / sd : 1;
    }
    return new Standardizer(m, inv);
  }

  /** Standardizes the first n rows in place. */
  apply(x: Float32Array, n: number): void {
    const dim = this.mean.length;
    for (let i = 0; i < n; i++) {
      const o = i * dim;
      for (let j = 0; j < dim; j++) x[o + j] = (x[o + j] - this.mean[j]) * this.inverseSd[j];
    }
  }
}

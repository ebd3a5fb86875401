/** The small dense helpers the content and matrix-factorisation models need, on row-major Float64Arrays (their solves: ml/cholesky.ts). */

/**
 * Non-negative least squares by projected coordinate descent on the normal equations: the x ≥ 0
 * minimising ½xᵀGx − bᵀx, i.e. ‖Ax − y‖² with G = AᵀA and b = Aᵀy. Starts from x as given.
 */
export function nonNegativeLeastSquares(gram: Float64Array, b: Float64Array, x: Float64Array, n: number, sweeps: number): void {
  for (let sweep = 0; sweep < sweeps; sweep++) {
    for (let j = 0; j < n; j++) {
      const gjj = gram[j * n + j];
      if (!(gjj > 0)) continue; // an attribute no known item has: leave it at its start
      let gradient = -b[j];
      for (let k = 0; k < n; k++) gradient += gram[j * n + k] * x[k];
      const next = x[j] - gradient / gjj;
      x[j] = next > 0 ? next : 0;
    }
  }
}

/** gram += v vᵀ · weight for a vector v of length n starting at v[offset]. */
export function addOuter(gram: Float64Array, v: Float64Array, offset: number, n: number, weight: number): void {
  for (let i = 0; i < n; i++) {
    const vi = v[offset + i] * weight;
    if (vi === 0) continue;
    for (let j = 0; j < n; j++) gram[i * n + j] += vi * v[offset + j];
  }
}

/** The small dense solvers the content and matrix-factorisation models need, on row-major Float64Arrays. */

/**
 * Solves A x = b for a symmetric positive-definite n × n matrix A by Cholesky, in place: A is
 * overwritten by its factor and b by x.
 */
export function solveSpd(a: Float64Array, b: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
    if (!(d > 0)) throw new RangeError(`solveSpd: the matrix is not positive definite (pivot ${j} is ${d})`);
    const l = Math.sqrt(d);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = s / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[i * n + k] * b[k];
    b[i] = s / a[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= a[k * n + i] * b[k];
    b[i] = s / a[i * n + i];
  }
}

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

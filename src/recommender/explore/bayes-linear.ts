/**
 * Bayesian linear regression with a Gaussian prior N(0, I/λ) on the weights and Gaussian reward
 * noise of standard deviation σ: the posterior is N(μ, A⁻¹) with precision A = λI + XᵀX/σ² and
 * μ = A⁻¹Xᵀy/σ². Updates are rank-one; the Cholesky factor of A is recomputed lazily (O(d³)),
 * which is cheap at the few dozen features a policy's last layer has.
 */
import type { Rng } from '../../rng/index.js';

export class BayesianLinearModel {
  private readonly precision: Float64Array;
  private readonly weighted: Float64Array;
  private readonly factor: Float64Array;
  private readonly meanVector: Float64Array;
  private readonly scratch: Float64Array;
  private stale = true;
  private observations = 0;

  constructor(
    readonly dim: number,
    priorPrecision: number,
    private readonly noise: number,
  ) {
    if (!(priorPrecision > 0) || !(noise > 0)) throw new RangeError('BayesianLinearModel: prior precision and noise must be above 0');
    this.precision = new Float64Array(dim * dim);
    for (let i = 0; i < dim; i++) this.precision[i * dim + i] = priorPrecision;
    this.weighted = new Float64Array(dim);
    this.factor = new Float64Array(dim * dim);
    this.meanVector = new Float64Array(dim);
    this.scratch = new Float64Array(dim);
  }

  get count(): number {
    return this.observations;
  }

  /** Adds one observation (features x, reward y). */
  update(x: Float64Array, y: number): void {
    accumulate(this.precision, this.weighted, x, y, this.noise);
    this.observations++;
    this.stale = true;
  }

  /** Adds observations gathered for later (a policy that learns only at retrain), as update() would have. */
  absorb(pending: PendingObservations): void {
    if (pending.dim !== this.dim || pending.noise !== this.noise) throw new RangeError(`BayesianLinearModel: observations of dim ${pending.dim}, noise ${pending.noise} for a model of dim ${this.dim}, noise ${this.noise}`);
    for (let i = 0; i < this.precision.length; i++) this.precision[i] += pending.precision[i];
    for (let i = 0; i < this.dim; i++) this.weighted[i] += pending.weighted[i];
    this.observations += pending.count;
    this.stale = true;
  }

  mean(): Float64Array {
    this.refresh();
    return this.meanVector;
  }

  /** Writes one posterior draw of the weights into out. */
  sample(rng: Rng, out: Float64Array): void {
    this.refresh();
    const d = this.dim;
    for (let i = 0; i < d; i++) this.scratch[i] = rng.normal();
    // Solve Lᵀ v = z: v ~ N(0, (LLᵀ)⁻¹) = N(0, A⁻¹).
    for (let i = d - 1; i >= 0; i--) {
      let s = this.scratch[i];
      for (let k = i + 1; k < d; k++) s -= this.factor[k * d + i] * out[k];
      out[i] = s / this.factor[i * d + i];
    }
    for (let i = 0; i < d; i++) out[i] += this.meanVector[i];
  }

  private refresh(): void {
    if (!this.stale) return;
    const d = this.dim;
    const a = this.precision;
    const l = this.factor;
    l.fill(0);
    for (let j = 0; j < d; j++) {
      let diag = a[j * d + j];
      for (let k = 0; k < j; k++) diag -= l[j * d + k] * l[j * d + k];
      const ljj = Math.sqrt(diag);
      l[j * d + j] = ljj;
      for (let i = j + 1; i < d; i++) {
        let s = a[i * d + j];
        for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
        l[i * d + j] = s / ljj;
      }
    }
    // μ = A⁻¹ b: forward (L u = b), then back (Lᵀ μ = u).
    const u = this.scratch;
    for (let i = 0; i < d; i++) {
      let s = this.weighted[i];
      for (let k = 0; k < i; k++) s -= l[i * d + k] * u[k];
      u[i] = s / l[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = u[i];
      for (let k = i + 1; k < d; k++) s -= l[k * d + i] * this.meanVector[k];
      this.meanVector[i] = s / l[i * d + i];
    }
    this.stale = false;
  }
}

/** Observations kept aside as the sums an update adds (XᵀX/σ² and Xᵀy/σ²), for BayesianLinearModel.absorb. */
export class PendingObservations {
  readonly precision: Float64Array;
  readonly weighted: Float64Array;
  count = 0;

  constructor(
    readonly dim: number,
    readonly noise: number,
  ) {
    this.precision = new Float64Array(dim * dim);
    this.weighted = new Float64Array(dim);
  }

  add(x: Float64Array, y: number): void {
    accumulate(this.precision, this.weighted, x, y, this.noise);
    this.count++;
  }
}

/** precision += x·xᵀ/σ², weighted += x·y/σ². */
function accumulate(precision: Float64Array, weighted: Float64Array, x: Float64Array, y: number, noise: number): void {
  const d = weighted.length;
  const w = 1 / (noise * noise);
  for (let i = 0; i < d; i++) {
    const xi = x[i] * w;
    if (xi === 0) continue;
    for (let j = 0; j < d; j++) precision[i * d + j] += xi * x[j];
    weighted[i] += xi * y;
  }
}

/**
 * Adam over parameters kept in Float32Arrays, for networks differentiated by hand. The update is
 * tfjs's (tf.train.adam), with its defaults, so a model trained here follows the same path as
 * under tfjs's optimizer up to float rounding; epsilon is added to the bias-corrected root:
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
 *   p ← p − lr · (m / (1 − β1^t)) / (√(v / (1 − β2^t)) + ε)
 * The moments and the step count live as long as the optimizer, so a warm-started retrain
 * carries them on, as it did with tfjs's optimizer.
 */

/** Updates parameters in place from their gradients (same order, same lengths). */
export interface ParameterOptimizer {
  step(parameters: readonly Float32Array[], gradients: readonly Float32Array[]): void;
}

export interface AdamOptions {
  readonly beta1?: number;
  readonly beta2?: number;
  /** tfjs's default on float32 backends. */
  readonly epsilon?: number;
}

export class Adam implements ParameterOptimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  /** Moments by parameter index, allocated on first use. */
  private readonly firstMoments: Float32Array[] = [];
  private readonly secondMoments: Float32Array[] = [];
  private steps = 0;

  constructor(
    readonly learningRate: number,
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
  }

  /** Steps taken so far (t of the bias correction of the last one). */
  get iterations(): number {
    return this.steps;
  }

  step(parameters: readonly Float32Array[], gradients: readonly Float32Array[]): void {
    if (parameters.length !== gradients.length) throw new RangeError(`adam: ${parameters.length} parameters, ${gradients.length} gradients`);
    const { beta1: b1, beta2: b2, epsilon, learningRate: lr } = this;
    this.steps++;
    const c1 = 1 - Math.pow(b1, this.steps);
    const c2 = 1 - Math.pow(b2, this.steps);
    for (let k = 0; k < parameters.length; k++) {
      const p = parameters[k];
      const g = gradients[k];
      if (g.length !== p.length) throw new RangeError(`adam: parameter ${k} has ${p.length} values, its gradient ${g.length}`);
      const m = (this.firstMoments[k] ??= new Float32Array(p.length));
      const v = (this.secondMoments[k] ??= new Float32Array(p.length));
      if (m.length !== p.length) throw new RangeError(`adam: parameter ${k} changed size (${m.length} → ${p.length})`);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
      }
    }
  }
}

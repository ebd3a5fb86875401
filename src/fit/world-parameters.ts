/**
 * The fitted world's click probabilities from the model's own parameters (position-model.ts),
 * in the units the world file reports: θ_k relative to the first slot; q_i the item's click
 * rate at the first slot averaged over the traffic; m_s the segment's multiplier, its
 * traffic-weighted mean 1. That rescaling is c = Σ_s share_s m_s: q_i·c and m_s/c give the same
 * probabilities. Standard errors by the delta method on the log scale.
 */
export interface WorldParameters {
  readonly theta: Float64Array;
  readonly q: Float64Array;
  readonly m: Float64Array;
}

export interface ModelShape {
  readonly slots: number;
  readonly items: number;
  /** Each segment's share of the traffic. */
  readonly shares: readonly number[];
}

export function worldParameters(eta: ArrayLike<number>, shape: ModelShape): WorldParameters {
  const { slots: K, items: I } = shape;
  const S = shape.shares.length;
  const rawM = Float64Array.from({ length: S }, (_, s) => Math.exp(eta[K - 1 + I + s]));
  const c = scale(rawM, shape.shares);
  return {
    theta: Float64Array.from({ length: K }, (_, k) => (k === 0 ? 1 : Math.exp(eta[k - 1]))),
    q: Float64Array.from({ length: I }, (_, i) => Math.exp(eta[K - 1 + i]) * c),
    m: rawM.map((m) => m / c),
  };
}

/** Each reported parameter's standard error, from the covariance of η (row-major, P × P). */
export function worldStandardErrors(eta: ArrayLike<number>, covariance: ArrayLike<number>, shape: ModelShape): WorldParameters {
  const { slots: K, items: I } = shape;
  const S = shape.shares.length;
  const P = eta.length;
  const values = worldParameters(eta, shape);
  const rawM = Array.from({ length: S }, (_, s) => Math.exp(eta[K - 1 + I + s]));
  const c = scale(rawM, shape.shares);
  // ∂ log c / ∂ log m_s
  const dScale = rawM.map((m, s) => (shape.shares[s] * m) / c);
  const sdOf = (gradient: Map<number, number>): number => {
    let v = 0;
    for (const [a, ga] of gradient) for (const [b, gb] of gradient) v += ga * gb * covariance[a * P + b];
    return Math.sqrt(Math.max(v, 0));
  };
  const mGradient = (extra: number, sign: number): Map<number, number> => {
    const g = new Map<number, number>();
    dScale.forEach((d, s) => g.set(K - 1 + I + s, sign * d));
    if (extra >= 0) g.set(extra, (g.get(extra) ?? 0) + 1);
    return g;
  };
  return {
    theta: values.theta.map((t, k) => (k === 0 ? 0 : t * sdOf(new Map([[k - 1, 1]])))),
    q: values.q.map((q, i) => q * sdOf(mGradient(K - 1 + i, 1))),
    m: values.m.map((m, s) => m * sdOf(mGradient(K - 1 + I + s, -1))),
  };
}

function scale(m: ArrayLike<number>, shares: readonly number[]): number {
  let c = 0;
  for (let s = 0; s < shares.length; s++) c += shares[s] * m[s];
  return c;
}

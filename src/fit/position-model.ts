/**
 * The position-based click model fitted to a log: P(click | slot k, item i, segment s) =
 * θ_k · q_i · m_s, each factor on the log scale, by penalised maximum likelihood (Fisher
 * scoring on the Bernoulli likelihood, halving the step while it does not improve).
 *
 * Identification: θ of the first slot is 1, so θ_k is slot k's click rate relative to it. The
 * item propensities are shrunk toward their common mean on the log scale (a normal prior of
 * `itemSd`, its mean a free parameter): a log of a few dozen clicks leaves many items with none,
 * whose maximum-likelihood q would be 0. The segment multipliers are shrunk toward 1 (normal
 * prior of `segmentSd` on log m), which also fixes the scale q and m would otherwise trade.
 * Standard errors come from the inverse of the penalised information (the Laplace approximation
 * of the posterior), so an item with no clicks gets the prior's width, not zero.
 */
import { cholesky, choleskyInverse, choleskySolve } from '../ml/cholesky.js';

export interface ClickRows {
  readonly slots: number;
  readonly items: number;
  readonly segments: number;
  readonly slot: Int32Array;
  readonly item: Int32Array;
  readonly segment: Int32Array;
  readonly clicked: Float64Array;
}

export interface ShrinkagePriors {
  /** Prior sd of log q_i around the items' common log-mean. */
  readonly itemSd: number;
  /** Prior sd of log m_s around 0. */
  readonly segmentSd: number;
}

/** The fit in its own parameters: η = (log θ_2..θ_K, log q_1..q_I, log m_1..m_S, the items' log-mean). */
export interface PositionModelFit {
  readonly names: readonly string[];
  readonly estimate: Float64Array;
  /** Row-major, names × names: the inverse penalised information at the estimate. */
  readonly covariance: Float64Array;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
}

const MAX_ITERATIONS = 200;
const TOLERANCE = 1e-10;

export function parameterNames(slots: number, items: number, segments: number): string[] {
  return [
    ...Array.from({ length: slots - 1 }, (_, k) => `log_theta[${k + 2}]`),
    ...Array.from({ length: items }, (_, i) => `log_q[${i}]`),
    ...Array.from({ length: segments }, (_, s) => `log_m[${s}]`),
    'log_q_mean',
  ];
}

export function fitPositionModel(rows: ClickRows, priors: ShrinkagePriors): PositionModelFit {
  const { slots: K, items: I, segments: S } = rows;
  const P = K - 1 + I + S + 1;
  const mean = P - 1;
  const cells = aggregate(rows);
  // Each cell's parameters: its slot's θ (none for the first slot), its item's q, its segment's m.
  const at = (c: number): [number, number, number] => {
    const k = Math.floor(c / (I * S));
    const i = Math.floor(c / S) % I;
    const s = c % S;
    return [k === 0 ? -1 : k - 1, K - 1 + i, K - 1 + I + s];
  };
  const logP = (eta: Float64Array, c: number): number => {
    const [t, q, m] = at(c);
    return (t < 0 ? 0 : eta[t]) + eta[q] + eta[m];
  };
  const objective = (eta: Float64Array): number => {
    let f = 0;
    for (let c = 0; c < cells.n.length; c++) {
      if (cells.n[c] === 0) continue;
      const lp = logP(eta, c);
      if (!(lp < 0)) return Number.NEGATIVE_INFINITY;
      f += cells.y[c] * lp + (cells.n[c] - cells.y[c]) * Math.log1p(-Math.exp(lp));
    }
    return f - penalty(eta);
  };
  const penalty = (eta: Float64Array): number => {
    let sum = 0;
    for (let i = 0; i < I; i++) sum += (eta[K - 1 + i] - eta[mean]) ** 2 / (2 * priors.itemSd ** 2);
    for (let s = 0; s < S; s++) sum += eta[K - 1 + I + s] ** 2 / (2 * priors.segmentSd ** 2);
    return sum;
  };
  const scoring = (eta: Float64Array): { gradient: Float64Array; information: Float64Array } => {
    const gradient = new Float64Array(P);
    const information = new Float64Array(P * P);
    for (let c = 0; c < cells.n.length; c++) {
      const n = cells.n[c];
      if (n === 0) continue;
      const p = Math.exp(logP(eta, c));
      const g = (cells.y[c] - n * p) / (1 - p);
      const w = (n * p) / (1 - p);
      const idx = at(c).filter((a) => a >= 0);
      for (const a of idx) {
        gradient[a] += g;
        for (const b of idx) information[a * P + b] += w;
      }
    }
    const vq = 1 / priors.itemSd ** 2;
    for (let i = 0; i < I; i++) {
      const a = K - 1 + i;
      const d = (eta[a] - eta[mean]) * vq;
      gradient[a] -= d;
      gradient[mean] += d;
      information[a * P + a] += vq;
      information[mean * P + mean] += vq;
      information[a * P + mean] -= vq;
      information[mean * P + a] -= vq;
    }
    const vm = 1 / priors.segmentSd ** 2;
    for (let s = 0; s < S; s++) {
      const a = K - 1 + I + s;
      gradient[a] -= eta[a] * vm;
      information[a * P + a] += vm;
    }
    return { gradient, information };
  };

  const total = cells.n.reduce((a, b) => a + b, 0);
  const clicks = cells.y.reduce((a, b) => a + b, 0);
  let eta = new Float64Array(P);
  // Start at the overall click rate (every θ and m at 1), half a click if there are none.
  const start = Math.log(Math.max(clicks, 0.5) / total);
  for (let i = 0; i < I; i++) eta[K - 1 + i] = start;
  eta[mean] = start;
  let f = objective(eta);
  let iterations = 0;
  let converged = false;
  while (iterations < MAX_ITERATIONS && !converged) {
    iterations++;
    const { gradient, information } = scoring(eta);
    const step = choleskySolve(cholesky(information, P), P, gradient);
    let t = 1;
    let next = eta;
    let fNext = Number.NEGATIVE_INFINITY;
    for (let halvings = 0; halvings < 40; halvings++, t /= 2) {
      next = eta.map((x, a) => x + t * step[a]);
      fNext = objective(next);
      if (fNext >= f - 1e-12 * Math.abs(f)) break;
    }
    const moved = Math.max(...step.map((x) => Math.abs(t * x)));
    converged = moved < TOLERANCE || Math.abs(fNext - f) < TOLERANCE * Math.max(1, Math.abs(f));
    eta = next;
    f = fNext;
  }
  const { information } = scoring(eta);
  const covariance = choleskyInverse(cholesky(information, P), P);
  return { names: parameterNames(K, I, S), estimate: eta, covariance, logLikelihood: f + penalty(eta), iterations, converged };
}

/** Impressions and clicks per (slot, item, segment) cell, at index (k · items + i) · segments + s. */
function aggregate(rows: ClickRows): { n: Float64Array; y: Float64Array } {
  const n = new Float64Array(rows.slots * rows.items * rows.segments);
  const y = new Float64Array(n.length);
  for (let r = 0; r < rows.slot.length; r++) {
    const c = (rows.slot[r] * rows.items + rows.item[r]) * rows.segments + rows.segment[r];
    n[c]++;
    y[c] += rows.clicked[r];
  }
  return { n, y };
}

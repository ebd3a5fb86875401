/**
 * Statistics over replicas: the mean with its Student-t confidence interval, and the
 * difference between two arms, either paired by replica seed (twin worlds: both arms ran the
 * same world, so their per-seed difference cancels the world's noise) or unpaired with Welch's
 * unequal-variance t interval (user split: different users in each arm).
 */

export interface Interval {
  /** The mean, or the mean difference. */
  readonly estimate: number;
  /** Bounds of the confidence interval; null with fewer than two replicas. */
  readonly low: number | null;
  readonly high: number | null;
  /** Standard error of the estimate; null with fewer than two replicas. */
  readonly se: number | null;
  /** Degrees of freedom of the t distribution used (Welch's may be fractional). */
  readonly df: number | null;
  /** Replicas behind the estimate (pairs, for a paired difference). */
  readonly n: number;
}

export const CONFIDENCE = 0.95;

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Sample variance (n − 1 in the denominator); 0 for a single value. */
export function variance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (n - 1);
}

/** Mean with its t interval: mean ± t(1 − α/2, n − 1) · s / √n. */
export function meanInterval(values: readonly number[], confidence = CONFIDENCE): Interval {
  const n = values.length;
  const estimate = mean(values);
  if (n < 2) return { estimate, low: null, high: null, se: null, df: null, n };
  const se = Math.sqrt(variance(values) / n);
  return interval(estimate, se, n - 1, n, confidence);
}

/** Mean of the per-replica differences treatment − control, with its t interval. */
export function pairedDifference(treatment: readonly number[], control: readonly number[], confidence = CONFIDENCE): Interval {
  if (treatment.length !== control.length) throw new RangeError(`paired difference needs equal replicas (${treatment.length} vs ${control.length})`);
  return meanInterval(
    treatment.map((t, i) => t - control[i]),
    confidence,
  );
}

/**
 * mean(treatment) − mean(control) with Welch's interval: se = √(s₁²/n₁ + s₂²/n₂), and
 * Welch–Satterthwaite degrees of freedom (s₁²/n₁ + s₂²/n₂)² / Σ (sᵢ²/nᵢ)² / (nᵢ − 1).
 */
export function welchDifference(treatment: readonly number[], control: readonly number[], confidence = CONFIDENCE): Interval {
  const n1 = treatment.length;
  const n2 = control.length;
  const estimate = mean(treatment) - mean(control);
  if (n1 < 2 || n2 < 2) return { estimate, low: null, high: null, se: null, df: null, n: Math.min(n1, n2) };
  const a = variance(treatment) / n1;
  const b = variance(control) / n2;
  const se = Math.sqrt(a + b);
  // With no spread at all the interval is the point; report the pooled df.
  const df = a + b === 0 ? n1 + n2 - 2 : (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1));
  return interval(estimate, se, df, Math.min(n1, n2), confidence);
}

function interval(estimate: number, se: number, df: number, n: number, confidence: number): Interval {
  const half = tQuantile(1 - (1 - confidence) / 2, df) * se;
  return { estimate, low: estimate - half, high: estimate + half, se, df, n };
}

/** The p-quantile of Student's t with `df` degrees of freedom (df > 0, fractional allowed). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tQuantile: p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`tQuantile: df must be above 0, got ${df}`);
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (p === 0.5) return 0;
  let high = 1;
  while (tCdf(high, df) < p) high *= 2;
  let low = 0;
  // Bisection: the CDF is monotone, and 200 halvings pin the root to double precision.
  for (let i = 0; i < 200 && high - low > 1e-15 * high; i++) {
    const mid = (low + high) / 2;
    if (tCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** P(T ≤ t) for Student's t: 1 − ½·I_{df/(df+t²)}(df/2, ½) for t ≥ 0. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The regularized incomplete beta function I_x(a, b), by its continued fraction (Lentz's method). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a + 1) / (a + b + 2); otherwise use the symmetry.
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaFraction(1 - x, b, a)) / b;
  return (front * betaFraction(x, a, b)) / a;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

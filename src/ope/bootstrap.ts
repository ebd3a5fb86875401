/** The nonparametric bootstrap over slates: resample counts, percentile intervals. */
import type { Rng } from '../rng/index.js';

/** How often each of n units is drawn when n units are drawn with replacement. */
export function resampleCounts(n: number, rng: Rng, out = new Int32Array(n)): Int32Array {
  out.fill(0);
  for (let k = 0; k < n; k++) out[rng.int(n)]++;
  return out;
}

/** The q-quantile of ascending `sorted` with linear interpolation (type 7, as R's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Percentile interval and standard deviation of bootstrap replicates. */
export function percentileInterval(replicates: Float64Array, confidence: number): { lo: number; hi: number; sd: number } {
  const sorted = Float64Array.from(replicates).sort();
  const alpha = 1 - confidence;
  let mean = 0;
  for (const x of sorted) mean += x;
  mean /= sorted.length;
  let ss = 0;
  for (const x of sorted) ss += (x - mean) ** 2;
  return {
    lo: quantileSorted(sorted, alpha / 2),
    hi: quantileSorted(sorted, 1 - alpha / 2),
    sd: sorted.length > 1 ? Math.sqrt(ss / (sorted.length - 1)) : Number.NaN,
  };
}

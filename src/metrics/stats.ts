/** Pure statistics used by the metrics; each is NaN-free on empty or all-zero input. */

/**
 * Shannon entropy in bits (log2) of the distribution proportional to `weights[from..to)`
 * (non-negative; normalised here). 0 when the total weight is 0.
 */
export function entropyBits(weights: ArrayLike<number>, from = 0, to = weights.length): number {
  let total = 0;
  for (let i = from; i < to; i++) total += weights[i];
  if (!(total > 0)) return 0;
  let h = 0;
  for (let i = from; i < to; i++) {
    const w = weights[i];
    if (w > 0) {
      const p = w / total;
      h -= p * Math.log2(p);
    }
  }
  // Rounding can leave a one-topic distribution at -0 or a hair below 0.
  return h > 0 ? h : 0;
}

/**
 * Gini coefficient of non-negative values, with the standard formula on values sorted
 * ascending, x_1 <= ... <= x_n (i is 1-based):
 *
 *   G = Σ_i (2i − n − 1) · x_i / (n · Σ_i x_i)
 *
 * 0 when n = 0 or all values are 0. `scratch` (length >= n) is reused for the sorted copy.
 */
export function gini(values: ArrayLike<number>, n = values.length, scratch?: Float64Array): number {
  if (n === 0) return 0;
  const sorted = scratch !== undefined && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sorted[i] = values[i];
    total += values[i];
  }
  if (!(total > 0)) return 0;
  sorted.sort();
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * sorted[i];
  return acc / (n * total);
}

/** Median (mean of the two middle values for even counts); sorts `values` in place. 0 when empty. */
export function median(values: number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  values.sort((a, b) => a - b);
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/** The q-quantile by linear interpolation between order statistics; 0 when empty. Sorts in place. */
export function quantile(values: number[], q: number): number {
  const n = values.length;
  if (n === 0) return 0;
  values.sort((a, b) => a - b);
  const at = q * (n - 1);
  const low = Math.floor(at);
  const high = Math.min(n - 1, low + 1);
  return values[low] + (at - low) * (values[high] - values[low]);
}

/** |A ∩ B| / |A ∪ B|; 0 when both sets are empty. */
export function jaccard(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (large.size === 0) return 0;
  let common = 0;
  for (const x of small) if (large.has(x)) common++;
  return common / (a.size + b.size - common);
}

/** Cosine similarity; 0 when either vector has zero norm. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  for (let i = n; i < a.length; i++) na += a[i] * a[i];
  for (let i = n; i < b.length; i++) nb += b[i] * b[i];
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Ranks from 1, tied values sharing the mean of their ranks. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let stop = start + 1;
    while (stop < n && values[order[stop]] === values[order[start]]) stop++;
    const rank = (start + stop + 1) / 2; // mean of ranks start+1 .. stop
    for (let k = start; k < stop; k++) ranks[order[k]] = rank;
    start = stop;
  }
  return ranks;
}

/** Spearman's rank correlation of paired values (Pearson's over average ranks); 0 when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: ${a.length} values against ${b.length}`);
  const n = a.length;
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const mean = (n + 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : 0;
}

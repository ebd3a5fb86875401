/**
 * Per-head calibration of the ranker's raw logits into probabilities, and the expected
 * calibration error (ECE) that says how far predicted probabilities are from observed rates.
 * Pure TypeScript: calibrators are fitted on a few thousand held-out rows, far too small a job
 * to be worth a tensor backend.
 *
 * Labels may be soft (in [0, 1]; the watch head's label is a watch fraction): every fit and
 * every error measure below works on means of labels, so a soft label counts as a fractional
 * positive.
 *
 * Each calibrator is declared beside its class; calibrators.ts lists them, fits one by name and
 * cross-fits it.
 */
import { ascendingOrder } from '../../core/typed-arrays.js';
import { calibrator } from './calibrator-component.js';

/** Maps a raw logit to a calibrated probability. */
export interface Calibrator {
  /** The `ranker.calibration` value that fits it (calibrators.ts lists them). */
  readonly kind: string;
  apply(logit: number): number;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** No calibration: the model's own sigmoid. */
export class IdentityCalibrator implements Calibrator {
  readonly kind = 'none';
  apply(logit: number): number {
    return sigmoid(logit);
  }
}

/** `ranker.calibration: none`. */
export const NO_CALIBRATION = calibrator({ name: 'none', fit: () => new IdentityCalibrator() });

/**
 * Platt scaling: p = sigmoid(a·z + b), with a and b the logistic-regression fit of the labels
 * on the logit z (Newton's method on the log loss, which is convex in (a, b)).
 */
export class PlattCalibrator implements Calibrator {
  readonly kind = 'platt';

  constructor(
    readonly a: number,
    readonly b: number,
  ) {}

  static fit(logits: ArrayLike<number>, labels: ArrayLike<number>, iterations = 100): PlattCalibrator {
    const n = logits.length;
    checkPairs(logits, labels);
    if (n === 0) return new PlattCalibrator(1, 0);
    // A tiny ridge towards (1, 0) keeps the fit finite when the labels are separable (all 0, all 1).
    const ridge = 1e-6 * n;
    const loss = (a: number, b: number): number => {
      let total = 0.5 * ridge * ((a - 1) * (a - 1) + b * b);
      for (let i = 0; i < n; i++) {
        const s = a * logits[i] + b;
        // log(1 + e^s) − y·s, computed without overflow.
        total += (s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s))) - labels[i] * s;
      }
      return total;
    };
    let a = 1;
    let b = 0;
    let current = loss(a, b);
    for (let it = 0; it < iterations; it++) {
      let ga = ridge * (a - 1);
      let gb = ridge * b;
      let haa = ridge;
      let hab = 0;
      let hbb = ridge;
      for (let i = 0; i < n; i++) {
        const z = logits[i];
        const p = sigmoid(a * z + b);
        const r = p - labels[i];
        const w = p * (1 - p);
        ga += r * z;
        gb += r;
        haa += w * z * z;
        hab += w * z;
        hbb += w;
      }
      const det = haa * hbb - hab * hab;
      if (!(det > 0)) break;
      const da = (hbb * ga - hab * gb) / det;
      const db = (haa * gb - hab * ga) / det;
      // Newton with backtracking: from a saturated start the full step can overshoot.
      let step = 1;
      let next = loss(a - da, b - db);
      while (!(next <= current) && step > 1e-6) {
        step /= 2;
        next = loss(a - step * da, b - step * db);
      }
      if (!(next <= current)) break;
      a -= step * da;
      b -= step * db;
      const improvement = current - next;
      current = next;
      if (improvement < 1e-10 * n) break;
    }
    return new PlattCalibrator(a, b);
  }

  apply(logit: number): number {
    return sigmoid(this.a * logit + this.b);
  }
}

/** `ranker.calibration: platt`. */
export const PLATT_CALIBRATION = calibrator({ name: 'platt', fit: (logits, labels) => PlattCalibrator.fit(logits, labels) });

/**
 * Isotonic regression by pool-adjacent-violators: the best non-decreasing step function of
 * the logit in squared error. Each pooled block is kept as (mean logit, mean label); between
 * block centres the output is interpolated linearly, beyond the first and last it is flat, so
 * the map is continuous and monotone and unseen logits between blocks get graded values.
 */
export class IsotonicCalibrator implements Calibrator {
  readonly kind = 'isotonic';
  /** The last block centre at or below each of GRID_CELLS equal cells' left edges, from x[0] to x[last]: apply's starting guess. */
  private readonly grid: Int32Array;
  private readonly cellsPerUnit: number;

  constructor(
    /** Block centres (mean logit), strictly increasing. */
    readonly x: Float64Array,
    /** Block values (mean label), non-decreasing. */
    readonly y: Float64Array,
    /** Rows pooled in each block. */
    readonly rows: readonly number[] = [],
  ) {
    if (x.length !== y.length) throw new RangeError('isotonic: x and y must have the same length');
    const span = x[x.length - 1] - x[0];
    this.cellsPerUnit = span > 0 ? GRID_CELLS / span : 0;
    this.grid = new Int32Array(GRID_CELLS);
    for (let c = 0, lo = 0; c < GRID_CELLS; c++) {
      const edge = x[0] + c / this.cellsPerUnit;
      while (lo + 1 < x.length - 1 && x[lo + 1] <= edge) lo++;
      this.grid[c] = lo;
    }
  }

  /**
   * `minBlock`: fewest rows per block (default 1% of the rows, and at least 20). Plain PAV puts a
   * block wherever the labels wiggle, so on a few thousand rows it fits noise, most of all in the
   * sparse tails; pooling small blocks with their neighbours trades a little resolution for much
   * less variance. On fewer than 40 rows that leaves one block: the mean label.
   */
  static fit(logits: ArrayLike<number>, labels: ArrayLike<number>, minBlock = Math.max(Math.floor(logits.length / 100), Math.min(20, logits.length))): IsotonicCalibrator {
    checkPairs(logits, labels);
    const n = logits.length;
    if (n === 0) return new IsotonicCalibrator(Float64Array.of(0), Float64Array.of(0.5));
    const order = ascendingOrder(logits);
    // Blocks as a stack: weight, sum of logits, sum of labels.
    const w: number[] = [];
    const sx: number[] = [];
    const sy: number[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const z = logits[i];
      // Equal logits must map to one value, so they start in one block.
      if (k > 0 && logits[order[k - 1]] === z) {
        const top = w.length - 1;
        w[top] += 1;
        sx[top] += z;
        sy[top] += labels[i];
      } else {
        w.push(1);
        sx.push(z);
        sy.push(labels[i]);
      }
      // Pool while the last two blocks violate monotonicity (merging equal means too keeps blocks
      // few) or the one before the last is still too small.
      while (w.length > 1 && (sy[w.length - 2] / w[w.length - 2] >= sy[w.length - 1] / w[w.length - 1] || w[w.length - 2] < minBlock)) {
        pool(w, sx, sy);
      }
    }
    // Merging neighbours of a monotone sequence keeps it monotone.
    if (w.length > 1 && w[w.length - 1] < minBlock) pool(w, sx, sy);
    const x = Float64Array.from(w, (wk, k) => sx[k] / wk);
    const y = Float64Array.from(w, (wk, k) => sy[k] / wk);
    return new IsotonicCalibrator(x, y, w);
  }

  apply(logit: number): number {
    const { x, y } = this;
    const last = x.length - 1;
    if (!(logit > x[0])) return y[0];
    if (logit >= x[last]) return y[last];
    // The block centres either side: from the grid's guess, stepped to the last centre at or below
    // the logit (whatever the guess's rounding; the centres are strictly increasing).
    const cell = Math.min(GRID_CELLS - 1, ((logit - x[0]) * this.cellsPerUnit) | 0);
    let lo = this.grid[cell];
    while (x[lo] > logit) lo--;
    while (x[lo + 1] <= logit) lo++;
    const hi = lo + 1;
    const t = (logit - x[lo]) / (x[hi] - x[lo]);
    return y[lo] + t * (y[hi] - y[lo]);
  }
}

/** Cells of an isotonic calibrator's lookup grid: a few block centres per cell at most, for the usual ≤ 100 blocks. */
const GRID_CELLS = 256;

/** `ranker.calibration: isotonic` (the default). */
export const ISOTONIC_CALIBRATION = calibrator({ name: 'isotonic', fit: (logits, labels) => IsotonicCalibrator.fit(logits, labels) });

/** Merges the last two blocks. */
function pool(w: number[], sx: number[], sy: number[]): void {
  const top = w.length - 1;
  w[top - 1] += w[top];
  sx[top - 1] += sx[top];
  sy[top - 1] += sy[top];
  w.pop();
  sx.pop();
  sy.pop();
}

/** Number of equal-width probability bins of the ECE. */
export const ECE_BINS = 10;

/**
 * Expected calibration error with equal-width bins over [0, 1]:
 * ECE = Σ_b (n_b / n) · |mean label in b − mean prediction in b|. A prediction of exactly 1
 * falls in the last bin. 0 for an empty sample.
 */
export function expectedCalibrationError(predictions: ArrayLike<number>, labels: ArrayLike<number>, bins = ECE_BINS): number {
  checkPairs(predictions, labels);
  const n = predictions.length;
  if (n === 0) return 0;
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = predictions[i];
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    count[b] += 1;
    sumP[b] += p;
    sumY[b] += labels[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(sumY[b] - sumP[b]) / n;
  return ece;
}

/** One row of a reliability table: rows whose prediction fell in [lower, upper). */
export interface ReliabilityBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean prediction in the bin. */
  readonly predicted: number;
  /** Mean label in the bin. */
  readonly observed: number;
}

/** The reliability table behind the ECE: the same equal-width bins, empty ones left out. */
export function reliabilityBins(predictions: ArrayLike<number>, labels: ArrayLike<number>, bins = ECE_BINS): ReliabilityBin[] {
  checkPairs(predictions, labels);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < predictions.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(predictions[i] * bins)));
    count[b] += 1;
    sumP[b] += predictions[i];
    sumY[b] += labels[i];
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({ lower: b / bins, upper: (b + 1) / bins, count: count[b], predicted: sumP[b] / count[b], observed: sumY[b] / count[b] });
  }
  return out;
}

/** Throws when scores and labels are not pairs. */
export function checkPairs(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`scores and labels differ in length (${a.length} vs ${b.length})`);
}

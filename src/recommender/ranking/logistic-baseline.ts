/**
 * A multi-output logistic regression on the ranker's own inputs (features plus the position
 * one-hot), trained with the same masked, weighted cross-entropy: the baseline the neural ranker
 * has to beat. Plain TypeScript (mini-batch Adam): a linear model is too small for tensors to pay.
 * Each head's gradient is a weighted mean: its batch sum divided by one constant per head for the
 * whole fit (that head's mean label weight per training row times the batch size), never by the
 * batch's own weight sum, whose fixed point is not the weighted optimum (see trainer.ts).
 */
import type { Rng } from '../../rng/index.js';
import { sigmoid } from './calibration.js';
import { MAX_POSITIONS } from './model.js';
import type { TrainingData } from './trainer.js';

export interface LogisticOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** L2 penalty per example. */
  readonly l2: number;
}

const DEFAULTS: LogisticOptions = { epochs: 10, batchSize: 256, learningRate: 0.01, l2: 1e-5 };

export class LogisticBaseline {
  /** (dim + MAX_POSITIONS + 1) × heads, row-major: features, positions, then the bias row. */
  readonly weights: Float64Array;
  private readonly inputs: number;

  constructor(
    readonly dim: number,
    readonly heads: number,
  ) {
    this.inputs = dim + MAX_POSITIONS + 1;
    this.weights = new Float64Array(this.inputs * heads);
  }

  fit(data: TrainingData, rows: Int32Array, rng: Rng, options: Partial<LogisticOptions> = {}): void {
    const { epochs, batchSize, learningRate, l2 } = { ...DEFAULTS, ...options };
    const { dim, heads: H } = data;
    const w = this.weights;
    const m = new Float64Array(w.length);
    const v = new Float64Array(w.length);
    const grad = new Float64Array(w.length);
    const order = Int32Array.from(rows);
    const z = new Float64Array(H);
    const beta1 = 0.9;
    const beta2 = 0.999;
    const norms = headNormalizers(data, order, batchSize);
    let t = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      for (let start = 0; start < order.length; start += batchSize) {
        grad.fill(0);
        const end = Math.min(order.length, start + batchSize);
        for (let k = start; k < end; k++) {
          const i = order[k];
          this.logits(data.x, i, data.positions[i], z);
          const position = dim + Math.min(MAX_POSITIONS - 1, data.positions[i]);
          for (let h = 0; h < H; h++) {
            const mw = data.mask[i * H + h] * data.weights[i];
            if (mw === 0) continue;
            // d CE / d z = sigmoid(z) − y, weighted, over the head's normalizer.
            const g = ((sigmoid(z[h]) - data.labels[i * H + h]) * mw) / norms[h];
            const xo = i * dim;
            for (let j = 0; j < dim; j++) grad[j * H + h] += g * data.x[xo + j];
            grad[position * H + h] += g;
            grad[(this.inputs - 1) * H + h] += g;
          }
        }
        t++;
        const lr = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
        for (let k = 0; k < w.length; k++) {
          const g = grad[k] + l2 * w[k];
          m[k] = beta1 * m[k] + (1 - beta1) * g;
          v[k] = beta2 * v[k] + (1 - beta2) * g * g;
          w[k] -= (lr * m[k]) / (Math.sqrt(v[k]) + 1e-8);
        }
      }
    }
  }

  /** Logits of row i of an n × dim matrix at the given position, into out (length heads). */
  logits(x: Float32Array, i: number, position: number, out: Float64Array): Float64Array {
    const { dim, heads: H, weights: w } = this;
    const bias = (this.inputs - 1) * H;
    const p = (dim + Math.min(MAX_POSITIONS - 1, position)) * H;
    for (let h = 0; h < H; h++) out[h] = w[bias + h] + w[p + h];
    const xo = i * dim;
    for (let j = 0; j < dim; j++) {
      const xj = x[xo + j];
      if (xj === 0) continue;
      const wo = j * H;
      for (let h = 0; h < H; h++) out[h] += xj * w[wo + h];
    }
    return out;
  }
}

/** Per head: its label weight Σ mask·w over the training rows, per row, times the batch size (1 when unlabelled). */
function headNormalizers(data: TrainingData, rows: Int32Array, batchSize: number): Float64Array {
  const H = data.heads;
  const sums = new Float64Array(H);
  for (const i of rows) for (let h = 0; h < H; h++) sums[h] += data.mask[i * H + h] * data.weights[i];
  return sums.map((sum) => (sum > 0 ? (sum / rows.length) * batchSize : 1));
}

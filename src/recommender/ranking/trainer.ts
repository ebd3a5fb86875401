/**
 * Mini-batch training of the ranker: one forward and one backward pass per batch for all heads,
 * with a masked multi-task loss: the sigmoid cross-entropy of every (row, head) that has a
 * training label, times the row's weight, summed and divided by the batch's total row weight.
 * A head labelled on few rows (survey: answered surveys only) thus weighs in proportion to its
 * labels and cannot drag the shared layers around with a few noisy rows per batch (measured: a
 * per-head mean, which weighs every head equally, did slightly worse on the sparse heads).
 * Soft labels (watch fraction) use the same cross-entropy, whose minimum is at the label's mean.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng/index.js';
import { MAX_POSITIONS, positionOneHot, type RankerModel } from './model.js';

export interface TrainingData {
  readonly dim: number;
  readonly heads: number;
  /** Standardized features, n × dim. */
  readonly x: Float32Array;
  readonly positions: Int32Array;
  readonly labels: Float32Array;
  /** n × heads, 1 where the row trains that head. */
  readonly mask: Float32Array;
  readonly weights: Float32Array;
}

export interface TrainingRun {
  readonly examples: number;
  readonly steps: number;
  readonly seconds: number;
  /** Mean loss over the last epoch. */
  readonly lastLoss: number;
}

/** Rows that train at least one head. */
export function trainingRows(data: TrainingData): Int32Array {
  const rows: number[] = [];
  const n = data.positions.length;
  for (let i = 0; i < n; i++) {
    for (let h = 0; h < data.heads; h++) {
      if (data.mask[i * data.heads + h] > 0) {
        rows.push(i);
        break;
      }
    }
  }
  return Int32Array.from(rows);
}

/** Sets each head's output bias to the logit of its weighted mean training label (a good first guess). */
export function initHeadBias(model: RankerModel, data: TrainingData, rows: Int32Array): void {
  const H = data.heads;
  const sum = new Float64Array(H);
  const weight = new Float64Array(H);
  for (const i of rows) {
    for (let h = 0; h < H; h++) {
      const w = data.mask[i * H + h] * data.weights[i];
      sum[h] += w * data.labels[i * H + h];
      weight[h] += w;
    }
  }
  const bias = Float32Array.from(sum, (s, h) => {
    const p = Math.min(1 - 1e-4, Math.max(1e-4, weight[h] > 0 ? s / weight[h] : 0.5));
    return Math.log(p / (1 - p));
  });
  model.network.setOutputBias(bias);
}

export function train(
  model: RankerModel,
  optimizer: tf.Optimizer,
  data: TrainingData,
  rows: Int32Array,
  epochs: number,
  batchSize: number,
  rng: Rng,
): TrainingRun {
  const { dim, heads: H } = data;
  const started = performance.now();
  const order = Int32Array.from(rows);
  const xb = new Float32Array(batchSize * dim);
  const pb = new Float32Array(batchSize * MAX_POSITIONS);
  const positions = new Int32Array(batchSize);
  const yb = new Float32Array(batchSize * H);
  const mb = new Float32Array(batchSize * H);
  const variables = model.variables;
  let steps = 0;
  let lastLoss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, rng);
    let lossSum = 0;
    let lossSteps = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const b = Math.min(batchSize, order.length - start);
      let batchWeight = 0;
      for (let k = 0; k < b; k++) {
        const i = order[start + k];
        xb.set(data.x.subarray(i * dim, (i + 1) * dim), k * dim);
        positions[k] = data.positions[i];
        batchWeight += data.weights[i];
        for (let h = 0; h < H; h++) {
          yb[k * H + h] = data.labels[i * H + h];
          mb[k * H + h] = data.mask[i * H + h] * data.weights[i];
        }
      }
      positionOneHot(positions.subarray(0, b), pb);
      for (let k = 0; k < b * H; k++) mb[k] /= batchWeight;
      const x = tf.tensor2d(xb.subarray(0, b * dim), [b, dim]);
      const p = tf.tensor2d(pb.subarray(0, b * MAX_POSITIONS), [b, MAX_POSITIONS]);
      const y = tf.tensor2d(yb.subarray(0, b * H), [b, H]);
      const m = tf.tensor2d(mb.subarray(0, b * H), [b, H]);
      const loss = optimizer.minimize(() => maskedLoss(model.forward(x, p), y, m), true, variables);
      tf.dispose([x, p, y, m]);
      if (loss) {
        lossSum += loss.dataSync()[0];
        loss.dispose();
      }
      lossSteps++;
      steps++;
    }
    lastLoss = lossSteps > 0 ? lossSum / lossSteps : 0;
  }
  return { examples: order.length * epochs, steps, seconds: (performance.now() - started) / 1000, lastLoss };
}

/**
 * Σ_ih m_ih · CE(z_ih, y_ih), with CE(z, y) = max(z, 0) − z·y + log(1 + e^−|z|) and m (mask ×
 * row weight) already divided by the batch's total row weight: one full sum, no per-axis reductions.
 */
function maskedLoss(z: tf.Tensor2D, y: tf.Tensor2D, m: tf.Tensor2D): tf.Scalar {
  const ce = tf.sub(tf.add(tf.relu(z), tf.softplus(tf.neg(tf.abs(z)))), tf.mul(z, y));
  return tf.sum(tf.mul(ce, m));
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

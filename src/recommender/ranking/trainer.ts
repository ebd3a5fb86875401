/**
 * Mini-batch training of the ranker: one forward and one backward pass per batch for all heads,
 * with a masked multi-task loss: the sigmoid cross-entropy of every (row, head) that has a
 * training label, times the row's weight, summed and divided by one constant for the whole run:
 * the mean row weight over the training rows times the batch size. A batch thus contributes
 * its rows' weighted loss as it is, and an epoch's gradients add up to the gradient of the
 * weighted loss over all rows, whose minimum is the weighted optimum. (Dividing by each batch's
 * own weight would not: its fixed point is a mean of per-batch weighted means, biased when
 * weights and labels are correlated, as watch-time or IPS weights are.) The constant keeps a
 * batch's loss on the scale of a weighted mean, so the learning rate keeps its meaning; a
 * partial last batch is divided by the same constant, so each of its rows counts as much as a row of a full batch.
 * A head labelled on few rows (survey: answered surveys only) weighs in proportion to its
 * labels and cannot drag the shared layers around with a few noisy rows per batch (measured: a
 * per-head mean, which weighs every head equally, did slightly worse on the sparse heads).
 * Soft labels (watch fraction) use the same cross-entropy, whose minimum is at the label's mean.
 *
 * The step is differentiated by hand in typed arrays (the network's `trainable()` pass and
 * Adam in src/ml/adam.ts, tfjs's update): the trainer copies the weights out of the model's
 * tfjs variables, trains the copies and writes them back at the end, so held-out prediction
 * (tfjs) and serving (ONNX Runtime, rebuilt on weightsChanged) read the trained weights.
 */
import type { ParameterOptimizer } from '../../ml/adam.js';
import type { Rng } from '../../rng/index.js';
import { MAX_POSITIONS, type RankerModel } from './model.js';
import { clipPositions } from './typed-layers.js';

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
  /** Weighted mean loss per row over the last epoch: Σ w·(CE summed over the row's heads) / Σ w. */
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
  model.setOutputBias(bias);
}

export function train(
  model: RankerModel,
  optimizer: ParameterOptimizer,
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
  const shown = new Int32Array(batchSize);
  const positions = new Int32Array(batchSize);
  const yb = new Float32Array(batchSize * H);
  const mb = new Float32Array(batchSize * H);
  const dz = new Float32Array(batchSize * H);
  const network = model.network.trainable();
  const norm = lossNormalizer(data.weights, order, batchSize);
  let steps = 0;
  let lastLoss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, rng);
    let lossSum = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const b = Math.min(batchSize, order.length - start);
      for (let k = 0; k < b; k++) {
        const i = order[start + k];
        xb.set(data.x.subarray(i * dim, (i + 1) * dim), k * dim);
        shown[k] = data.positions[i];
        for (let h = 0; h < H; h++) {
          yb[k * H + h] = data.labels[i * H + h];
          mb[k * H + h] = (data.mask[i * H + h] * data.weights[i]) / norm;
        }
      }
      clipPositions(shown.subarray(0, b), MAX_POSITIONS, positions);
      const z = network.forward(xb.subarray(0, b * dim), positions.subarray(0, b), b);
      lossSum += maskedLoss(z, yb, mb, b * H, dz);
      network.backward(dz.subarray(0, b * H));
      optimizer.step(network.parameters, network.gradients);
      steps++;
    }
    // Σ over the epoch's batches of Σ w·CE / norm, back to a per-row weighted mean.
    lastLoss = order.length > 0 ? (lossSum * batchSize) / order.length : 0;
  }
  model.assignWeights(network.parameters);
  return { examples: order.length * epochs, steps, seconds: (performance.now() - started) / 1000, lastLoss };
}

/**
 * The divisor of every batch's weighted loss sum: the mean weight of the training rows times the
 * batch size. One constant for the run (never a batch's own weight sum: see the file's header).
 */
export function lossNormalizer(weights: Float32Array, rows: Int32Array, batchSize: number): number {
  let total = 0;
  for (const i of rows) total += weights[i];
  const mean = rows.length > 0 ? total / rows.length : 1;
  return mean > 0 ? mean * batchSize : batchSize;
}

/**
 * Σ_ih m_ih · CE(z_ih, y_ih) over the first `count` entries, with CE(z, y) = max(z, 0) − z·y +
 * log(1 + e^−|z|) and m (mask × row weight) already divided by the run's normalizer: one full
 * sum, no per-axis reductions. Writes d loss / d z = m · (σ(z) − y) into `dz`.
 */
export function maskedLoss(z: Float32Array, y: Float32Array, m: Float32Array, count: number, dz: Float32Array): number {
  let loss = 0;
  for (let k = 0; k < count; k++) {
    const zk = z[k];
    const e = Math.exp(-Math.abs(zk));
    loss += m[k] * (Math.max(zk, 0) - zk * y[k] + Math.log1p(e));
    // σ(z) from e^−|z|, stable at either sign.
    const sigmoid = zk >= 0 ? 1 / (1 + e) : e / (1 + e);
    dz[k] = m[k] * (sigmoid - y[k]);
  }
  return loss;
}

function shuffle(a: Int32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

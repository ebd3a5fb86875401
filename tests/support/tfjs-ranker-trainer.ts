/**
 * The ranker's trainer as it was written on tfjs's tape (tf.Optimizer.minimize over the model's
 * variables), kept as the reference the typed-array trainer is tested against: the same batches,
 * the same normaliser, the same masked loss, tfjs's own gradients and optimizer.
 */
import * as tf from '@tensorflow/tfjs';
import { MAX_POSITIONS, positionOneHot, type RankerModel } from '../../src/recommender/ranking/model.js';
import { lossNormalizer, type TrainingData } from '../../src/recommender/ranking/trainer.js';
import type { Rng } from '../../src/rng/index.js';

/** Σ_ih m_ih · CE(z_ih, y_ih), CE(z, y) = max(z, 0) − z·y + log(1 + e^−|z|), as tfjs ops. */
export function tfjsMaskedLoss(z: tf.Tensor2D, y: tf.Tensor2D, m: tf.Tensor2D): tf.Scalar {
  const ce = tf.sub(tf.add(tf.relu(z), tf.softplus(tf.neg(tf.abs(z)))), tf.mul(z, y));
  return tf.sum(tf.mul(ce, m));
}

/** The former `train`: returns the last epoch's weighted mean loss per row. */
export function tfjsTrain(model: RankerModel, optimizer: tf.Optimizer, data: TrainingData, rows: Int32Array, epochs: number, batchSize: number, rng: Rng): number {
  const { dim, heads: H } = data;
  const order = Int32Array.from(rows);
  const xb = new Float32Array(batchSize * dim);
  const pb = new Float32Array(batchSize * MAX_POSITIONS);
  const positions = new Int32Array(batchSize);
  const yb = new Float32Array(batchSize * H);
  const mb = new Float32Array(batchSize * H);
  const norm = lossNormalizer(data.weights, order, batchSize);
  let lastLoss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const b = Math.min(batchSize, order.length - start);
      for (let k = 0; k < b; k++) {
        const i = order[start + k];
        xb.set(data.x.subarray(i * dim, (i + 1) * dim), k * dim);
        positions[k] = data.positions[i];
        for (let h = 0; h < H; h++) {
          yb[k * H + h] = data.labels[i * H + h];
          mb[k * H + h] = (data.mask[i * H + h] * data.weights[i]) / norm;
        }
      }
      positionOneHot(positions.subarray(0, b), pb);
      const x = tf.tensor2d(xb.subarray(0, b * dim), [b, dim]);
      const p = tf.tensor2d(pb.subarray(0, b * MAX_POSITIONS), [b, MAX_POSITIONS]);
      const y = tf.tensor2d(yb.subarray(0, b * H), [b, H]);
      const m = tf.tensor2d(mb.subarray(0, b * H), [b, H]);
      const loss = optimizer.minimize(() => tfjsMaskedLoss(model.forward(x, p), y, m), true, model.variables);
      tf.dispose([x, p, y, m]);
      if (loss) {
        lossSum += loss.dataSync()[0];
        loss.dispose();
      }
    }
    lastLoss = order.length > 0 ? (lossSum * batchSize) / order.length : 0;
  }
  model.weightsChanged();
  return lastLoss;
}

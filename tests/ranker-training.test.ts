/**
 * The ranker's hand-differentiated training step against tfjs's tape, on both networks with and
 * without a deep tower, DCN-V2's cross network at full and low rank, with one, two and three
 * expert layers:
 * - the logits, loss and every weight's gradient of one batch against tfjs's gradient of the
 *   same masked, weighted loss (same weights, same batch). A wrong transpose, a ReLU or softmax
 *   gradient, experts mixed up between rows, a position bias added at the wrong row or a head's
 *   mask left out (masked entries carry labels here) each move some gradient far outside 1e-5;
 * - a few epochs of `train` with Adam against the former tfjs trainer with tf.train.adam, then a
 *   second warm-started call with the same optimizers: the weights written back to the model
 *   agree. A wrong normaliser, shuffle or Adam bias correction, Adam state forgotten between
 *   calls or weights not written back each part them by far more than rounding.
 * Adam alone is checked against tfjs's on gradients down to 1e-6, where epsilon's place shows.
 * Each on both engines: DCN-V2's pass as ONNX Runtime graphs, and in typed arrays on tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../src/ml/adam.js';
import { initBackend } from '../src/ml/backend.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { DcnV2OnnxTrainable } from '../src/recommender/ranking/dcn-onnx-training.js';
import { DcnV2Trainable } from '../src/recommender/ranking/dcn-training.js';
import { MAX_POSITIONS, positionOneHot, RankerModel } from '../src/recommender/ranking/model.js';
import { initHeadBias, lossNormalizer, maskedLoss, train, trainingRows, type TrainingData } from '../src/recommender/ranking/trainer.js';
import { clipPositions } from '../src/recommender/ranking/typed-layers.js';
import { Rng } from '../src/rng/index.js';
import { tfjsMaskedLoss, tfjsTrain } from './support/tfjs-ranker-trainer.js';
import { onEachEngine } from './support/engines.js';

const DIM = 6;
const HEADS = 3;

const BASE: RankerConfig = {
  model: 'dcn_v2',
  heads: ['click', 'watch', 'survey'],
  cross_layers: 2,
  hidden: [5, 4],
  experts: 3,
  cross_rank: 'full',
  epochs: 1,
  batch_size: 8,
  learning_rate: 0.01,
  max_examples: 1000,
  ips: { enabled: true, clip: 10 },
  calibration: 'none',
  holdout: 0, on_divergence: 'stop',
};

const NETWORKS: { name: string; config: RankerConfig }[] = [
  { name: 'dcn_v2, cross and deep tower', config: BASE },
  // Three cross layers: the passes' loops over the layers after the first run more than once.
  { name: 'dcn_v2, three cross layers only', config: { ...BASE, cross_layers: 3, hidden: [] } },
  { name: 'dcn_v2, one cross layer, one deep layer', config: { ...BASE, cross_layers: 1, hidden: [5] } },
  // Low rank: each cross layer's W is U (6 × 2) then V (2 × 6), the first U beside the deep layer's W.
  { name: 'dcn_v2 at rank 2, cross and deep tower', config: { ...BASE, cross_rank: 2 } },
  { name: 'dcn_v2 at rank 4, three cross layers only', config: { ...BASE, cross_layers: 3, hidden: [], cross_rank: 4 } },
  { name: 'mmoe, one expert layer', config: { ...BASE, model: 'mmoe', hidden: [5] } },
  { name: 'mmoe, two expert layers', config: { ...BASE, model: 'mmoe', hidden: [5, 4] } },
  { name: 'mmoe, three expert layers, three cross layers', config: { ...BASE, model: 'mmoe', cross_layers: 3, hidden: [4, 5, 3] } },
  { name: 'mmoe at rank 2, two cross layers', config: { ...BASE, model: 'mmoe', hidden: [5], cross_rank: 2 } },
];

beforeAll(async () => {
  await initBackend();
});

/**
 * Rows of normal features; positions 0 to 40 (past MAX_POSITIONS, clipped); hard and soft
 * labels; a mask with holes where labels are set all the same (so a missing mask shows); IPS-like
 * weights; a row that trains no head.
 */
function batchData(n: number, seed: string): TrainingData {
  const rng = new Rng(seed);
  const labels = Float32Array.from({ length: n * HEADS }, (_, k) => (k % HEADS === 1 ? rng.uniform(0, 1) : rng.bernoulli(0.4) ? 1 : 0));
  const mask = Float32Array.from({ length: n * HEADS }, (_, k) => (k % HEADS === 2 ? (rng.bernoulli(0.3) ? 1 : 0) : rng.bernoulli(0.85) ? 1 : 0));
  mask.fill(0, 0, HEADS);
  return {
    dim: DIM,
    heads: HEADS,
    x: Float32Array.from({ length: n * DIM }, () => rng.normal()),
    positions: Int32Array.from({ length: n }, () => rng.int(41)),
    labels,
    mask,
    weights: Float32Array.from({ length: n }, () => Math.min(10, 1 / rng.uniform(0.05, 1))),
  };
}

/** Every variable set to seeded uniform values in ±0.6 (a fresh network's zero heads would hide the layers below). */
function randomise(model: RankerModel, seed: string): void {
  const rng = new Rng(seed);
  for (const v of model.variables) {
    const values = Float32Array.from({ length: v.size }, () => rng.uniform(-0.6, 0.6));
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
  }
}

/** Largest absolute difference, within `tolerance` of the largest expected magnitude; that magnitude is not 0. */
function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let k = 0; k < expected.length; k++) {
    scale = Math.max(scale, Math.abs(expected[k]));
    worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
  }
  expect(scale, `${what}: all zero`).toBeGreaterThan(0);
  expect(worst / scale, what).toBeLessThan(tolerance);
}

onEachEngine('ranker training', (engine) => {

  describe.each(NETWORKS)('the training pass of $name', ({ config }) => {
    it('gives tfjs’s logits, loss and gradient of every weight for the masked, weighted loss', () => {
      const n = 13;
      const data = batchData(n, `grad/${config.model}/${config.hidden.join()}`);
      const model = new RankerModel(config, DIM, HEADS, new Rng('grad/init'));
      randomise(model, 'grad/weights');
      const norm = lossNormalizer(data.weights, trainingRows(data), 16);
      const m = Float32Array.from(data.mask, (mask, k) => (mask * data.weights[Math.floor(k / HEADS)]) / norm);

      const network = model.network.trainable();
      const positions = new Int32Array(n);
      clipPositions(data.positions, MAX_POSITIONS, positions);
      const z = network.forward(data.x, positions, n);
      const dz = new Float32Array(n * HEADS);
      const loss = maskedLoss(z, data.labels, m, n * HEADS, dz);
      network.backward(dz);

      tf.tidy(() => {
        const x = tf.tensor2d(data.x, [n, DIM]);
        const p = tf.tensor2d(positionOneHot(data.positions), [n, MAX_POSITIONS]);
        const y = tf.tensor2d(data.labels, [n, HEADS]);
        const mt = tf.tensor2d(m, [n, HEADS]);
        expectNear(z, model.forward(x, p).dataSync(), 1e-5, 'logits');
        const { value, grads } = tf.variableGrads(() => tfjsMaskedLoss(model.forward(x, p), y, mt), model.variables);
        expect(loss).toBeCloseTo(value.dataSync()[0], 6);
        model.variables.forEach((v, k) => expectNear(network.gradients[k], grads[v.name].dataSync(), 1e-5, `gradient of variable ${k} [${v.shape}]`));
      });
      model.dispose();
    });

    it('trains to the weights of the tfjs trainer with tf.train.adam, across a warm-started second call', () => {
      const data = batchData(29, `steps/${config.model}/${config.hidden.join()}`);
      const rows = trainingRows(data);
      // Not a multiple of the batch: every epoch ends with a partial batch.
      expect(rows.length % 8).not.toBe(0);
      const typed = new RankerModel(config, DIM, HEADS, new Rng('steps/init'));
      const reference = new RankerModel(config, DIM, HEADS, new Rng('steps/init'));
      const initial = typed.variables.map((v) => Float32Array.from(v.dataSync()));
      initHeadBias(typed, data, rows);
      initHeadBias(reference, data, rows);
      const adam = new Adam(0.01);
      const tfAdam = tf.train.adam(0.01);
      const typedOrder = new Rng('steps/order');
      const referenceOrder = new Rng('steps/order');
      for (const epochs of [3, 2]) {
        const run = train(typed, adam, data, rows, epochs, 8, typedOrder);
        const referenceLoss = tfjsTrain(reference, tfAdam, data, rows, epochs, 8, referenceOrder);
        expect(run.lastLoss).toBeCloseTo(referenceLoss, 5);
      }
      typed.variables.forEach((v, k) => {
        const trained = v.dataSync();
        expectNear(trained, reference.variables[k].dataSync(), 2e-5, `variable ${k} [${v.shape}]`);
        // The steps moved every variable: the comparison is not between untouched copies.
        expect(Array.from(trained), `variable ${k} moved`).not.toEqual(Array.from(initial[k]));
      });
      tfAdam.dispose();
      typed.dispose();
      reference.dispose();
    });
  });
});

describe('Adam', () => {
  it('takes tfjs’s Adam steps, with gradients from 1 down to 1e-6 where epsilon counts', () => {
    const rng = new Rng('adam');
    const scales = [1, 1e-2, 1e-4, 1e-6];
    const values = scales.map(() => Float32Array.from({ length: 5 }, () => rng.uniform(-1, 1)));
    const parameters = values.map((v) => Float32Array.from(v));
    const variables = values.map((v, k) => tf.variable(tf.tensor1d(v), true, `adam-test-${k}`));
    const adam = new Adam(0.05);
    const reference = tf.train.adam(0.05);
    for (let step = 0; step < 6; step++) {
      const gradients = scales.map((scale) => Float32Array.from({ length: 5 }, () => scale * rng.normal()));
      adam.step(parameters, gradients);
      tf.tidy(() => reference.applyGradients(variables.map((v, k) => ({ name: v.name, tensor: tf.tensor1d(gradients[k]) }))));
    }
    expect(adam.iterations).toBe(6);
    parameters.forEach((p, k) => {
      const expected = variables[k].dataSync();
      for (let i = 0; i < p.length; i++) expect(Math.abs(p[i] - expected[i]), `scale ${scales[k]}, [${i}]`).toBeLessThan(1e-5);
      // Steps of about the learning rate each, at every scale: the values moved.
      expect(Math.max(...p.map((value, i) => Math.abs(value - values[k][i])))).toBeGreaterThan(0.02);
    });
    reference.dispose();
    variables.forEach((v) => v.dispose());
  });
});

/**
 * The ranker's small parts on hand-sized inputs, against values worked out in plain JS: seeded
 * weight initialisation, the networks' base-rate bias, readouts and multiply-add counts, the
 * position one-hot, chunked prediction, and the trainer's row selection, base-rate start, loss
 * normalizer, reported loss and one gradient step. Milliseconds each.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { DcnV2Network } from '../src/recommender/ranking/dcn.js';
import { CrossNetwork, glorot, glorotValues, variableFrom, zeros } from '../src/recommender/ranking/layers.js';
import { MmoeNetwork } from '../src/recommender/ranking/mmoe.js';
import { MAX_POSITIONS, positionOneHot, RankerModel } from '../src/recommender/ranking/model.js';
import type { ParameterOptimizer } from '../src/ml/adam.js';
import { initHeadBias, lossNormalizer, train, trainingRows, type TrainingData } from '../src/recommender/ranking/trainer.js';
import { Rng } from '../src/rng/index.js';

type Matrix = number[][];

const rows = (values: ArrayLike<number>, cols: number): Matrix => Array.from({ length: values.length / cols }, (_, i) => Array.from(values).slice(i * cols, (i + 1) * cols));
const matMul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const addRow = (a: Matrix, bias: ArrayLike<number>): Matrix => a.map((row) => row.map((v, j) => v + bias[j]));
const relu = (a: Matrix): Matrix => a.map((row) => row.map((v) => Math.max(0, v)));
const crossLayer = (x0: Matrix, x: Matrix, w: Matrix, b: ArrayLike<number>): Matrix => addRow(matMul(x, w), b).map((row, i) => row.map((v, j) => x0[i][j] * v + x[i][j]));
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const crossEntropy = (z: number, y: number) => Math.max(z, 0) - z * y + Math.log(1 + Math.exp(-Math.abs(z)));
const logit = (p: number) => Math.log(p / (1 - p));

/** Plain gradient descent: p ← p − lr · g. */
function sgd(learningRate: number): ParameterOptimizer {
  return {
    step: (parameters, gradients) =>
      parameters.forEach((p, k) => {
        for (let i = 0; i < p.length; i++) p[i] -= learningRate * gradients[k][i];
      }),
  };
}

/** Sets every variable to seeded uniform values in ±1 and returns them by index. */
function setWeights(variables: tf.Variable[], rng: Rng): Float32Array[] {
  return variables.map((v) => {
    const values = Float32Array.from({ length: v.size }, () => rng.uniform(-1, 1));
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    return values;
  });
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 4): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i], `[${i}]`).toBeCloseTo(expected[i], digits);
}

const X: Matrix = [
  [0.5, -1.5, 2.0],
  [-0.7, 0.3, 1.2],
];
const ONE_HOT: Matrix = [
  [1, 0, 0],
  [0, 0, 1],
];

const CONFIG: RankerConfig = {
  model: 'dcn_v2',
  heads: ['click', 'watch'],
  cross_layers: 1,
  hidden: [],
  experts: 2,
  cross_rank: 'full',
  epochs: 1,
  batch_size: 4,
  learning_rate: 0.01,
  max_examples: 100,
  ips: { enabled: false, clip: 10 },
  calibration: 'none',
  holdout: 0, on_divergence: 'stop',
};

beforeAll(async () => {
  await initBackend();
});

describe('weight initialisation', () => {
  it('draws Glorot-uniform values in ±√(6 / (fanIn + fanOut)) from the seeded stream, fanIn × fanOut of them unless told', () => {
    const limit = Math.sqrt(6 / (2 + 3));
    const reference = new Rng('glorot');
    const expected = Array.from({ length: 6 }, () => Math.fround(reference.uniform(-limit, limit)));
    expect(Array.from(glorotValues(new Rng('glorot'), 2, 3))).toEqual(expected);
    expect(Array.from(glorotValues(new Rng('glorot'), 2, 3, 4))).toEqual(expected.slice(0, 4));
    const batched = glorot(new Rng('glorot'), [1, 2, 3], 2, 3);
    expect(batched.shape).toEqual([1, 2, 3]);
    expect(Array.from(batched.dataSync())).toEqual(expected);
    expect(batched.trainable).toBe(true);
  });

  it('makes trainable variables holding the given values, or zeros', () => {
    const v = variableFrom(Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(v.shape).toEqual([3, 2]);
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(v.trainable).toBe(true);
    const z = zeros([2, 1, 2]);
    expect(z.shape).toEqual([2, 1, 2]);
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0, 0]);
    expect(z.trainable).toBe(true);
  });

  it('lays out DCN-V2 weights as Glorot blocks from one stream: cross beside deep, then later layers, with zero biases and heads', () => {
    const net = new DcnV2Network(3, 2, [4, 2], 2, 3, new Rng('dcn-layout'));
    // Drawn here one by one (not with glorotValues): an extra draw there would shift every later block.
    const reference = new Rng('dcn-layout');
    const draws = (fanIn: number, fanOut: number) => Array.from({ length: fanIn * fanOut }, () => Math.fround(reference.uniform(-Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)))));
    const cross = rows(draws(3, 3), 3);
    const deep = rows(draws(3, 4), 4);
    const cross2 = draws(3, 3);
    const deep2 = draws(4, 2);
    const [first, firstBias, w2, b2, deepW2, deepB2, head] = net.variables;
    expect(net.variables.map((v) => v.shape)).toEqual([[3, 7], [7], [3, 3], [3], [4, 2], [2], [5 + 3, 2]]);
    expect(rows(first.dataSync(), 7)).toEqual(cross.map((row, i) => [...row, ...deep[i]]));
    expect(Array.from(w2.dataSync())).toEqual(Array.from(cross2));
    expect(Array.from(deepW2.dataSync())).toEqual(Array.from(deep2));
    for (const zero of [firstBias, b2, deepB2, head]) expect(Array.from(zero.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('lays out MMoE weights: cross bottom, experts, gates from one stream; zero biases, towers and position tower', () => {
    const net = new MmoeNetwork(3, 1, [3, 2], 2, 2, 3, new Rng('mmoe-layout'));
    const reference = new Rng('mmoe-layout');
    const crossW = glorotValues(reference, 3, 3);
    const w0 = glorotValues(reference, 3, 3, 3 * 2 * 3);
    const w1 = glorotValues(reference, 3, 2, 2 * 3 * 2);
    const gate = glorotValues(reference, 3, 2, 3 * 2 * 2);
    const shapes = [[3, 3], [3], [3, 6], [2, 3, 2], [6], [2, 1, 2], [3, 4], [4], [2, 2], [3, 2]];
    expect(net.variables.map((v) => v.shape)).toEqual(shapes);
    const values = net.variables.map((v) => Array.from(v.dataSync()));
    expect(values[0]).toEqual(Array.from(crossW));
    expect(values[2]).toEqual(Array.from(w0));
    expect(values[3]).toEqual(Array.from(w1));
    expect(values[6]).toEqual(Array.from(gate));
    for (const k of [1, 4, 5, 7, 8, 9]) expect(values[k].every((v) => v === 0)).toBe(true);
  });
});

describe('network shapes and errors', () => {
  it('refuses a DCN-V2 without a cross layer and an MMoE without a hidden layer', () => {
    expect(() => new DcnV2Network(3, 0, [4], 1, 3, new Rng('x'))).toThrow(RangeError);
    expect(() => new MmoeNetwork(3, 1, [], 2, 1, 3, new Rng('x'))).toThrow(RangeError);
  });

  it('counts multiply-adds per example by hand', () => {
    // Cross 2 × (3·3 + 3) = 24, deep 3·4 + 4·2 = 20, heads (3 + 2) · 2 = 10, position adds 2.
    expect(new DcnV2Network(3, 2, [4, 2], 2, 3, new Rng('x')).multiplyAdds).toBe(56);
    // Cross 1 × 12, no deep tower, heads 3 · 1, position add 1.
    expect(new DcnV2Network(3, 1, [], 1, 3, new Rng('x')).multiplyAdds).toBe(16);
    // Rank 1 over 4 features: cross 2 × (4·1 + 1·4 + 4) = 24, deep 4·4 + 4·2 = 24, heads (4 + 2) · 2 = 12, position adds 2.
    expect(new DcnV2Network(4, 2, [4, 2], 2, 3, new Rng('x'), 1).multiplyAdds).toBe(62);
    // Cross 12; experts 3·(3·3 + 3·2) = 45; gates 3·2·3 = 18; towers 3·2·2 = 12; mixture 2·3 = 6; position 2.
    expect(new MmoeNetwork(3, 1, [3, 2], 3, 2, 3, new Rng('x')).multiplyAdds).toBe(95);
    expect(new CrossNetwork(3, 2, new Rng('x')).multiplyAdds).toBe(24);
    // Rank 1 over 3 features: 2 × (3·1 + 1·3 + 3).
    expect(new CrossNetwork(3, 2, new Rng('x'), 1).multiplyAdds).toBe(18);
  });

  it('has the representation widths the heads read', () => {
    expect(new DcnV2Network(3, 1, [], 1, 3, new Rng('x')).representationDim).toBe(3);
    expect(new DcnV2Network(3, 1, [5], 1, 3, new Rng('x')).representationDim).toBe(8);
    expect(new MmoeNetwork(3, 1, [4, 2], 2, 1, 3, new Rng('x')).representationDim).toBe(2);
  });
});

describe('forward passes not covered by ranker-networks', () => {
  it('CrossNetwork: two layers of x0 ⊙ (W x + b) + x', () => {
    const net = new CrossNetwork(3, 2, new Rng('cross'));
    const [w1, w2, b1, b2] = setWeights(net.variables, new Rng('cross-weights'));
    const x1 = crossLayer(X, X, rows(w1, 3), b1);
    const x2 = crossLayer(X, x1, rows(w2, 3), b2);
    const got = tf.tidy(() => net.apply(tf.tensor2d(X)));
    expectClose(got.dataSync(), x2.flat());
    got.dispose();
  });

  it('DCN-V2 with three cross layers and one deep layer', () => {
    const net = new DcnV2Network(3, 3, [2], 1, 3, new Rng('dcn3'));
    // Order: first [3, 3 + 2], its bias, cross W2, W3, b2, b3, heads.
    const [first, firstBias, w2, w3, b2, b3, head] = setWeights(net.variables, new Rng('dcn3-weights'));
    const out = addRow(matMul(X, rows(first, 5)), firstBias);
    const x1 = out.map((row, i) => row.slice(0, 3).map((v, j) => X[i][j] * v + X[i][j]));
    const x3 = crossLayer(X, crossLayer(X, x1, rows(w2, 3), b2), rows(w3, 3), b3);
    const h = relu(out.map((row) => row.slice(3)));
    const shared = x3.map((row, i) => [...row, ...h[i]]);
    const logits = matMul(shared.map((row, i) => [...row, ...ONE_HOT[i]]), rows(head, 1));
    const [gotLogits, gotShared] = tf.tidy(() => net.applyWithRepresentation(tf.tensor2d(X), tf.tensor2d(ONE_HOT)));
    expectClose(gotShared.dataSync(), shared.flat());
    expectClose(gotLogits.dataSync(), logits.flat());
    tf.dispose([gotLogits, gotShared]);
  });

  it('MMoE with one-layer experts', () => {
    const E = 2;
    const H = 2;
    const net = new MmoeNetwork(3, 1, [2], E, H, 3, new Rng('mmoe1'));
    // Order: cross W, cross b, experts W0 [3, E·2], b0 [E·2], gate W [3, H·E], gate b, towers [H, 2], positions [3, H].
    const [crossW, crossB, w0, b0, gateW, gateB, towers, positions] = setWeights(net.variables, new Rng('mmoe1-weights'));
    const bottom = crossLayer(X, X, rows(crossW, 3), crossB);
    const experts = relu(addRow(matMul(bottom, rows(w0, E * 2)), b0));
    const gateLogits = addRow(matMul(bottom, rows(gateW, H * E)), gateB);
    const tower = rows(towers, 2);
    const bias = matMul(ONE_HOT, rows(positions, H));
    const mixture = (i: number, h: number) => {
      const g = gateLogits[i].slice(h * E, (h + 1) * E).map(Math.exp);
      const sum = g[0] + g[1];
      return [0, 1].map((d) => (g[0] * experts[i][d] + g[1] * experts[i][2 + d]) / sum);
    };
    const logits = X.map((_, i) => Array.from({ length: H }, (_, h) => mixture(i, h).reduce((s, v, d) => s + v * tower[h][d], 0) + bias[i][h]));
    for (let h = 0; h < H; h++) {
      const [gotLogits, gotMixture] = tf.tidy(() => net.applyWithRepresentation(tf.tensor2d(X), tf.tensor2d(ONE_HOT), h));
      expectClose(gotMixture.dataSync(), [mixture(0, h), mixture(1, h)].flat());
      expectClose(gotLogits.dataSync(), logits.flat());
      tf.dispose([gotLogits, gotMixture]);
    }
    const readout = net.readout(1);
    expect(Array.from(readout.weights)).toEqual(tower[1].map(Math.fround));
    expect(Array.from(readout.positionBias)).toEqual(rows(positions, H).map((r) => Math.fround(r[1])));
  });
});

describe('base-rate output bias', () => {
  it.each([
    ['DCN-V2', () => new DcnV2Network(3, 1, [2], 2, 3, new Rng('bias'))],
    ['MMoE', () => new MmoeNetwork(3, 1, [2], 2, 2, 3, new Rng('bias'))],
  ])('%s: before training every row and position scores each head’s bias exactly', (_, make) => {
    const net = make();
    net.setOutputBias(Float32Array.from([0.75, -2.5]));
    const logits = tf.tidy(() => net.apply(tf.tensor2d(X), tf.tensor2d(ONE_HOT)));
    expect(Array.from(logits.dataSync())).toEqual([0.75, -2.5, 0.75, -2.5]);
    logits.dispose();
    for (const [h, b] of [[0, 0.75], [1, -2.5]]) {
      expect(Array.from(net.readout(h).positionBias)).toEqual([b, b, b]);
      expect(Array.from(net.readout(h).weights).every((w) => w === 0)).toBe(true);
    }
  });

  it('DCN-V2 keeps its trained feature weights when the bias is set', () => {
    const net = new DcnV2Network(2, 1, [], 1, 2, new Rng('keep'));
    const [, , head] = setWeights(net.variables, new Rng('keep-weights'));
    net.setOutputBias(Float32Array.from([3]));
    expect(Array.from(net.readout(0).weights)).toEqual(Array.from(head.subarray(0, 2)));
    expect(Array.from(net.readout(0).positionBias)).toEqual([3, 3]);
  });
});

describe('RankerModel', () => {
  it('builds the configured network and reports its variables and cost', () => {
    const dcn = new RankerModel(CONFIG, 3, 2, new Rng('m'));
    expect(dcn.network).toBeInstanceOf(DcnV2Network);
    expect(dcn.variables).toEqual(dcn.network.variables);
    expect(dcn.multiplyAddsPerCandidate).toBe(dcn.network.multiplyAdds);
    expect(dcn.network.readout(0).positionBias.length).toBe(MAX_POSITIONS);
    const mmoe = new RankerModel({ ...CONFIG, model: 'mmoe', hidden: [2], experts: 3 }, 3, 2, new Rng('m'));
    expect(mmoe.network).toBeInstanceOf(MmoeNetwork);
    expect(mmoe.network.readout(0).positionBias.length).toBe(MAX_POSITIONS);
    // 3 experts of [3 → 2]: the cost grows with the experts.
    expect(mmoe.multiplyAddsPerCandidate).toBe(12 + 3 * 6 + 3 * 2 * 3 + 3 * 2 * 2 + 2 * 3 + 2);
    mmoe.dispose();
    expect(mmoe.variables.every((v) => v.isDisposed)).toBe(true);
    dcn.dispose();
  });

  it('one-hot encodes positions, clipping below 0 and at the last position, and clears a reused buffer', () => {
    const out = new Float32Array(5 * MAX_POSITIONS).fill(7);
    const got = positionOneHot([0, 2, 31, 40, -1], out);
    expect(got).toBe(out);
    const hot = rows(got, MAX_POSITIONS).map((row) => row.flatMap((v, p) => (v === 1 ? [p] : [])));
    expect(hot).toEqual([[0], [2], [31], [31], [0]]);
    expect(got.reduce((s, v) => s + v, 0)).toBe(5);
    const partial = new Float32Array(2 * MAX_POSITIONS).fill(7);
    positionOneHot([3], partial);
    expect(Array.from(partial.subarray(MAX_POSITIONS))).toEqual(new Array(MAX_POSITIONS).fill(7));
    expect(positionOneHot([1]).length).toBe(MAX_POSITIONS);
  });

  it('predicts each row at its own position when given, at position 0 otherwise, across prediction chunks', () => {
    const model = new RankerModel(CONFIG, 2, 2, new Rng('chunks'));
    // Cross weights, and one bias per (position, head), all different.
    const [w, b, head] = model.variables;
    const W = [
      [0.5, -0.25],
      [0.75, 0.1],
    ];
    const B = [0.25, -0.5];
    const featureHead = [
      [1, -1],
      [0.5, 2],
    ];
    tf.tidy(() => {
      w.assign(tf.tensor2d(W));
      b.assign(tf.tensor1d(B));
      head.assign(tf.tensor2d(Float32Array.from({ length: (2 + MAX_POSITIONS) * 2 }, (_, k) => (k < 4 ? featureHead[k >> 1][k & 1] : k / 10)), [2 + MAX_POSITIONS, 2]));
    });
    // More rows than one chunk (16,384), so the second chunk's rows are checked too.
    const n = 16_384 + 3;
    const x = Float32Array.from({ length: 2 * n }, (_, k) => ((k * 7) % 11) / 4 - 1);
    const positions = Int32Array.from({ length: n }, (_, i) => i % 35);
    const shared = (i: number): number[] => [0, 1].map((j) => x[2 * i + j] * (x[2 * i] * W[0][j] + x[2 * i + 1] * W[1][j] + B[j]) + x[2 * i + j]);
    const expected = (i: number, p: number | null): number[] => {
      const s = shared(i);
      const at = Math.min(MAX_POSITIONS - 1, p ?? 0);
      return [0, 1].map((h) => s[0] * featureHead[0][h] + s[1] * featureHead[1][h] + (4 + 2 * at + h) / 10);
    };
    const served = model.predict(x, n);
    const logged = model.predict(x, n, positions);
    const withRepresentation = model.predictWithRepresentation(x, n, 1, positions);
    expect(served.length).toBe(2 * n);
    expect(withRepresentation.representation.length).toBe(2 * n);
    for (const i of [0, 1, 34, 16_383, 16_384, 16_385, n - 1]) {
      expectClose(served.subarray(2 * i, 2 * i + 2), expected(i, null));
      expectClose(logged.subarray(2 * i, 2 * i + 2), expected(i, positions[i]));
      expectClose(withRepresentation.logits.subarray(2 * i, 2 * i + 2), expected(i, positions[i]));
      expectClose(withRepresentation.representation.subarray(2 * i, 2 * i + 2), shared(i));
    }
    const servedWithRepresentation = model.predictWithRepresentation(x, 3, 0);
    expectClose(servedWithRepresentation.logits, served.subarray(0, 6));
    model.dispose();
  });
});

describe('trainer', () => {
  it('trains the rows that train at least one head', () => {
    const data = tinyData();
    expect(Array.from(trainingRows(data))).toEqual([0, 1, 2, 4]);
  });

  it('divides by the mean weight of the training rows times the batch size, or the batch size when that is not positive', () => {
    const weights = Float32Array.from([2, 4, 6, 0]);
    expect(lossNormalizer(weights, Int32Array.from([0, 2]), 8)).toBe(32);
    expect(lossNormalizer(weights, Int32Array.from([1]), 3)).toBe(12);
    expect(lossNormalizer(weights, Int32Array.from([]), 8)).toBe(8);
    expect(lossNormalizer(weights, Int32Array.from([3]), 8)).toBe(8);
  });

  it('starts each head at the logit of its weighted mean label over the given rows, clipped, and 0 without labels', () => {
    // Heads: a weighted mean, never labelled, all positive, all negative.
    const data: TrainingData = {
      dim: 1,
      heads: 4,
      x: new Float32Array(3),
      positions: new Int32Array(3),
      labels: Float32Array.from([1, 1, 1, 0, 0, 0, 1, 0, 0.5, 0, 1, 1]),
      mask: Float32Array.from([1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0]),
      weights: Float32Array.from([3, 1, 5]),
    };
    const model = new RankerModel({ ...CONFIG, heads: ['click', 'watch', 'like', 'complete'] }, 1, 4, new Rng('bias'));
    // Row 2 is left out: the rows given are 0 and 1.
    initHeadBias(model, data, Int32Array.from([0, 1]));
    const bias = [0, 1, 2, 3].map((h) => model.network.readout(h).positionBias[0]);
    expect(bias[0]).toBeCloseTo(logit(3 / 4), 5);
    expect(bias[1]).toBe(0);
    expect(bias[2]).toBeCloseTo(logit(1 - 1e-4), 3);
    expect(bias[3]).toBeCloseTo(logit(1e-4), 3);
    model.dispose();
  });

  it('reports the weighted mean loss of the last epoch over the training rows, a partial last batch included', () => {
    const data = tinyData();
    const model = trainedModel(data);
    const rowsToTrain = trainingRows(data);
    const z = model.predict(data.x, 5, data.positions);
    let loss = 0;
    let weight = 0;
    for (const i of rowsToTrain) {
      weight += data.weights[i];
      for (let h = 0; h < 2; h++) loss += data.mask[i * 2 + h] * data.weights[i] * crossEntropy(z[i * 2 + h], data.labels[i * 2 + h]);
    }
    // A learning rate of 0: the weights stay put, so every epoch's loss is the same.
    const started = performance.now();
    const run = train(model, sgd(0), data, rowsToTrain, 3, 3, new Rng('order'));
    // Seconds, not milliseconds: at most the time the call took.
    expect(run.seconds).toBeLessThanOrEqual((performance.now() - started) / 1000);
    expect(run.steps).toBe(3 * 2);
    expect(run.examples).toBe(3 * 4);
    expect(run.lastLoss).toBeCloseTo(loss / weight, 5);
    expect(run.seconds).toBeGreaterThanOrEqual(0);
    expect(train(model, sgd(0), data, new Int32Array(0), 2, 3, new Rng('order'))).toMatchObject({ examples: 0, steps: 0, lastLoss: 0 });
    model.dispose();
  });

  it('takes one gradient step of Σ mask · weight · CE / (mean weight × batch size) on every row in the batch', () => {
    const data = tinyData();
    const model = trainedModel(data);
    const rowsToTrain = trainingRows(data);
    const before = model.predictWithRepresentation(data.x, 5, 0, data.positions);
    const readouts = [0, 1].map((h) => model.network.readout(h));
    const batch = 8;
    const norm = ((2 + 1 + 4 + 3) / 4) * batch;
    const lr = 0.5;
    train(model, sgd(lr), data, rowsToTrain, 1, batch, new Rng('order'));
    for (let h = 0; h < 2; h++) {
      // d loss / d z of each row: mask · weight · (σ(z) − y) / norm.
      const g = (i: number) => (rowsToTrain.includes(i) ? (data.mask[i * 2 + h] * data.weights[i] * (sigmoid(before.logits[i * 2 + h]) - data.labels[i * 2 + h])) / norm : 0);
      const after = model.network.readout(h);
      for (let p = 0; p < 4; p++) {
        let grad = 0;
        for (let i = 0; i < 5; i++) if (data.positions[i] === p) grad += g(i);
        expect(after.positionBias[p], `head ${h}, position ${p}`).toBeCloseTo(readouts[h].positionBias[p] - lr * grad, 5);
      }
      for (let j = 0; j < 2; j++) {
        let grad = 0;
        for (let i = 0; i < 5; i++) grad += g(i) * before.representation[i * 2 + j];
        expect(after.weights[j], `head ${h}, weight ${j}`).toBeCloseTo(readouts[h].weights[j] - lr * grad, 5);
      }
    }
    model.dispose();
  });
});

describe('trainer bookkeeping', () => {
  it('frees every batch tensor it makes', () => {
    const data = tinyData();
    const model = trainedModel(data);
    const before = tf.memory().numTensors;
    train(model, sgd(0.1), data, trainingRows(data), 2, 3, new Rng('order'));
    // The products' tensors and the weights written back leave nothing behind.
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("visits the rows in a fresh Fisher–Yates shuffle of the seeded stream every epoch", () => {
    // One feature holding each row's index, one row per batch: the batches show the order.
    const n = 6;
    const data: TrainingData = {
      dim: 1,
      heads: 1,
      x: Float32Array.from({ length: n }, (_, i) => i),
      positions: new Int32Array(n),
      labels: new Float32Array(n),
      mask: new Float32Array(n).fill(1),
      weights: new Float32Array(n).fill(1),
    };
    const model = new RankerModel({ ...CONFIG, heads: ['click'] }, 1, 1, new Rng('order-model'));
    const seen: number[] = [];
    const network = model.network;
    const trainable = network.trainable.bind(network);
    network.trainable = () => {
      const pass = trainable();
      const forward = pass.forward.bind(pass);
      pass.forward = (x, positions, n) => {
        seen.push(...x);
        return forward(x, positions, n);
      };
      return pass;
    };
    const rowsToTrain = Int32Array.from([0, 1, 2, 3, 4, 5]);
    train(model, sgd(0), data, rowsToTrain, 2, 1, new Rng('shuffle'));
    const reference = new Rng('shuffle');
    const order = Array.from(rowsToTrain);
    const expected: number[] = [];
    for (let epoch = 0; epoch < 2; epoch++) {
      for (let i = n - 1; i > 0; i--) {
        const j = reference.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      expected.push(...order);
    }
    expect(seen).toEqual(expected);
    // The check can fail: the two epochs' orders differ from the rows' own order and from each other.
    expect(expected.slice(0, n)).not.toEqual([0, 1, 2, 3, 4, 5]);
    expect(expected.slice(n)).not.toEqual(expected.slice(0, n));
    model.dispose();
  });
});

/**
 * Five rows, two features, two heads: row 3 trains no head, row 1 only the second; labels soft and
 * hard; weights differ; positions 0 to 3.
 */
function tinyData(): TrainingData {
  return {
    dim: 2,
    heads: 2,
    x: Float32Array.from([0.5, -1, 1.5, 0.2, -0.8, 0.9, 2, 2, -1.2, -0.3]),
    positions: Int32Array.from([0, 2, 1, 0, 2]),
    labels: Float32Array.from([1, 0.4, 0, 1, 1, 0, 1, 1, 0, 0.8]),
    mask: Float32Array.from([1, 1, 0, 1, 1, 1, 0, 0, 1, 1]),
    weights: Float32Array.from([2, 1, 4, 9, 3]),
  };
}

/** A DCN-V2 without a deep tower whose every weight is set from a seeded stream (so logits vary with the row). */
function trainedModel(data: TrainingData): RankerModel {
  const model = new RankerModel(CONFIG, data.dim, data.heads, new Rng('tiny'));
  setWeights(model.variables, new Rng('tiny-weights'));
  return model;
}

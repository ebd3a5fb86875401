/**
 * The ranker networks' forward math on tiny inputs with set weights, against the same formulas
 * written out in plain JS: the DCN-V2 cross layer x_{l+1} = x0 ⊙ (W_l x_l + b_l) + x_l, its deep
 * tower and heads, and MMoE's per-head softmax gates mixing the experts. Milliseconds each.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { DcnV2Network } from '../src/recommender/ranking/dcn.js';
import { CrossNetwork } from '../src/recommender/ranking/layers.js';
import { MmoeNetwork } from '../src/recommender/ranking/mmoe.js';
import { Rng } from '../src/rng/index.js';

type Matrix = number[][];

const matMul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const addRow = (a: Matrix, bias: number[]): Matrix => a.map((row) => row.map((v, j) => v + bias[j]));
const relu = (a: Matrix): Matrix => a.map((row) => row.map((v) => Math.max(0, v)));
const columns = (a: Matrix, from: number, count: number): Matrix => a.map((row) => row.slice(from, from + count));
const concat = (a: Matrix, b: Matrix): Matrix => a.map((row, i) => [...row, ...b[i]]);
const rows = (values: ArrayLike<number>, cols: number): Matrix => Array.from({ length: values.length / cols }, (_, i) => Array.from(values).slice(i * cols, (i + 1) * cols));
const softmax = (z: number[]): number[] => {
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
};

/** One cross layer by hand: x0 ⊙ (x W + b) + x. */
const crossLayer = (x0: Matrix, x: Matrix, w: Matrix, b: number[]): Matrix => addRow(matMul(x, w), b).map((row, i) => row.map((v, j) => x0[i][j] * v + x[i][j]));

/** One low-rank cross layer by hand: x0 ⊙ ((x U + c) V + b) + x. */
const lowRankLayer = (x0: Matrix, x: Matrix, u: Matrix, c: number[], v: Matrix, b: number[]): Matrix =>
  addRow(matMul(addRow(matMul(x, u), c), v), b).map((row, i) => row.map((w, j) => x0[i][j] * w + x[i][j]));

/** Sets every variable to seeded uniform values in ±scale (biases included, so they are tested too); returns them by index. */
function setWeights(variables: tf.Variable[], rng: Rng, scale: (index: number) => number = () => 1): Float32Array[] {
  return variables.map((v, index) => {
    const values = Float32Array.from({ length: v.size }, () => rng.uniform(-1, 1) * scale(index));
    tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
    return values;
  });
}

function expectClose(actual: tf.Tensor, expected: Matrix): void {
  const got = rows(actual.dataSync(), expected[0].length);
  expect(got.length).toBe(expected.length);
  got.forEach((row, i) => row.forEach((v, j) => expect(v, `[${i}, ${j}]`).toBeCloseTo(expected[i][j], 4)));
}

/** Inputs away from 0 and 1, so x0 ⊙ (·) differs from (·) and from x0 + (·). */
const X: Matrix = [
  [0.5, -1.5, 2.0],
  [-0.7, 0.3, 1.2],
  [1.8, 0.9, -0.4],
];
const POSITIONS = 3;
/** Shown at positions 0, 2, 1. */
const ONE_HOT: Matrix = [
  [1, 0, 0],
  [0, 0, 1],
  [0, 1, 0],
];

beforeAll(async () => {
  await initBackend();
});

describe('DCN-V2 network', () => {
  it('computes x0 ⊙ (W x + b) + x per cross layer, a ReLU deep tower beside it, and linear heads with a position bias', () => {
    const dim = 3;
    const hidden = [4, 2];
    const heads = 2;
    const net = new DcnV2Network(dim, 2, hidden, heads, POSITIONS, new Rng('dcn-init'));
    // Order: first [dim, dim + 4] (cross W beside deep W), its bias, cross W2, b2, deep W2, b2, heads.
    const [first, firstBias, w2, b2, deepW2, deepB2, head] = setWeights(net.variables, new Rng('dcn-weights'));
    const firstOut = addRow(matMul(X, rows(first, dim + hidden[0])), Array.from(firstBias));
    const x1 = columns(firstOut, 0, dim).map((row, i) => row.map((v, j) => X[i][j] * v + X[i][j]));
    const x2 = crossLayer(X, x1, rows(w2, dim), Array.from(b2));
    const h1 = relu(columns(firstOut, dim, hidden[0]));
    const h2 = relu(addRow(matMul(h1, rows(deepW2, hidden[1])), Array.from(deepB2)));
    const shared = concat(x2, h2);
    const logits = matMul(concat(shared, ONE_HOT), rows(head, heads));

    const [gotLogits, gotShared] = tf.tidy(() => net.applyWithRepresentation(tf.tensor2d(X), tf.tensor2d(ONE_HOT)));
    expectClose(gotShared, shared);
    expectClose(gotLogits, logits);
    expectClose(tf.tidy(() => net.apply(tf.tensor2d(X), tf.tensor2d(ONE_HOT))), logits);
    expect(net.representationDim).toBe(dim + hidden[1]);
    const readout = net.readout(1);
    expect(Array.from(readout.weights)).toEqual(rows(head, heads).slice(0, dim + hidden[1]).map((r) => Math.fround(r[1])));
    expect(Array.from(readout.positionBias)).toEqual(rows(head, heads).slice(dim + hidden[1]).map((r) => Math.fround(r[1])));
    tf.dispose([gotLogits, gotShared]);
  });

  it('at low rank computes x0 ⊙ ((x U + c) V + b) + x, the first U beside the deep tower\'s first W', () => {
    const dim = 3;
    const rank = 2;
    const hidden = [4];
    const net = new DcnV2Network(dim, 2, hidden, 1, POSITIONS, new Rng('dcn-init'), rank);
    // Order: first [dim, rank + 4] (U_0 beside deep W), its bias, U_1, c_1, V_0, V_1, b_0, b_1, heads.
    const [first, firstBias, u1, c1, v0, v1, b0, b1, head] = setWeights(net.variables, new Rng('dcn-low-rank'));
    expect(net.variables.map((v) => v.shape)).toEqual([[3, 6], [6], [3, 2], [2], [2, 3], [2, 3], [3], [3], [3 + 4 + POSITIONS, 1]]);
    const firstOut = addRow(matMul(X, rows(first, rank + hidden[0])), Array.from(firstBias));
    const w0 = addRow(matMul(columns(firstOut, 0, rank), rows(v0, dim)), Array.from(b0));
    const x1 = w0.map((row, i) => row.map((v, j) => X[i][j] * v + X[i][j]));
    const x2 = lowRankLayer(X, x1, rows(u1, rank), Array.from(c1), rows(v1, dim), Array.from(b1));
    const shared = concat(x2, relu(columns(firstOut, rank, hidden[0])));
    const [logits, gotShared] = tf.tidy(() => net.applyWithRepresentation(tf.tensor2d(X), tf.tensor2d(ONE_HOT)));
    expectClose(gotShared, shared);
    expectClose(logits, matMul(concat(shared, ONE_HOT), rows(head, 1)));
    tf.dispose([logits, gotShared]);
  });

  it('without a deep tower, the heads read the cross output alone', () => {
    const net = new DcnV2Network(3, 1, [], 1, POSITIONS, new Rng('dcn-init'));
    const [w, b, head] = setWeights(net.variables, new Rng('dcn-cross-only'));
    const x1 = crossLayer(X, X, rows(w, 3), Array.from(b));
    const [logits, shared] = tf.tidy(() => net.applyWithRepresentation(tf.tensor2d(X), tf.tensor2d(ONE_HOT)));
    expectClose(shared, x1);
    expectClose(logits, matMul(concat(x1, ONE_HOT), rows(head, 1)));
    tf.dispose([logits, shared]);
  });
});

describe('cross network (MMoE\'s bottom)', () => {
  it('at low rank computes x0 ⊙ ((x U + c) V + b) + x per layer', () => {
    const net = new CrossNetwork(3, 2, new Rng('cross-init'), 2);
    // Order: U_0, U_1, c_0, c_1, V_0, V_1, b_0, b_1.
    const [u0, u1, c0, c1, v0, v1, b0, b1] = setWeights(net.variables, new Rng('cross-low-rank'));
    expect(net.variables.map((v) => v.shape)).toEqual([[3, 2], [3, 2], [2], [2], [2, 3], [2, 3], [3], [3]]);
    const x1 = lowRankLayer(X, X, rows(u0, 2), Array.from(c0), rows(v0, 3), Array.from(b0));
    const x2 = lowRankLayer(X, x1, rows(u1, 2), Array.from(c1), rows(v1, 3), Array.from(b1));
    const got = tf.tidy(() => net.apply(tf.tensor2d(X)));
    expectClose(got, x2);
    got.dispose();
  });
});

describe('MMoE network', () => {
  const dim = 3;
  const hidden = [3, 2];
  const E = 3;
  const H = 2;
  const out = hidden[1];

  it('mixes the experts with each head’s own softmax gate over a cross-network bottom', () => {
    const net = new MmoeNetwork(dim, 1, hidden, E, H, POSITIONS, new Rng('mmoe-init'));
    // Order: cross W, cross b, experts W0 [dim, E·h0], W1 [E, h0, h1], b0 [E·h0], b1 [E, 1, h1], gate W, gate b, towers, positions.
    // The gate weights (variable 6) scaled up, so that the gates are far from uniform.
    const [crossW, crossB, w0, w1, b0, b1, gateW, gateB, towers, positions] = setWeights(net.variables, new Rng('mmoe-weights'), (i) => (i === 6 ? 3 : 1));
    const bottom = crossLayer(X, X, rows(crossW, dim), Array.from(crossB));
    const first = relu(addRow(matMul(bottom, rows(w0, E * hidden[0])), Array.from(b0)));
    const experts = Array.from({ length: E }, (_, e) => {
      const layer1 = columns(first, e * hidden[0], hidden[0]);
      const w = rows(w1.subarray(e * hidden[0] * out, (e + 1) * hidden[0] * out), out);
      return relu(addRow(matMul(layer1, w), Array.from(b1.subarray(e * out, (e + 1) * out))));
    });
    const gateLogits = addRow(matMul(bottom, rows(gateW, H * E)), Array.from(gateB));
    const gates = gateLogits.map((row) => Array.from({ length: H }, (_, h) => softmax(row.slice(h * E, (h + 1) * E))));
    const mixture = (h: number): Matrix => X.map((_, i) => Array.from({ length: out }, (_, d) => experts.reduce((s, expert, e) => s + gates[i][h][e] * expert[i][d], 0)));
    const tower = rows(towers, out);
    const positionBias = matMul(ONE_HOT, rows(positions, H));
    const logits = X.map((_, i) => Array.from({ length: H }, (_, h) => mixture(h)[i].reduce((s, v, d) => s + v * tower[h][d], 0) + positionBias[i][h]));

    // The test can fail: the gates are far from uniform and differ between heads.
    const flat = gates.flat(2);
    expect(Math.max(...flat) - Math.min(...flat)).toBeGreaterThan(0.5);
    expect(Math.max(...gates.map((g) => Math.abs(g[0][0] - g[1][0])))).toBeGreaterThan(0.2);

    for (let h = 0; h < H; h++) {
      const [gotLogits, gotMixture] = tf.tidy(() => net.applyWithRepresentation(tf.tensor2d(X), tf.tensor2d(ONE_HOT), h));
      expectClose(gotMixture, mixture(h));
      expectClose(gotLogits, logits);
      tf.dispose([gotLogits, gotMixture]);
    }
    expectClose(tf.tidy(() => net.apply(tf.tensor2d(X), tf.tensor2d(ONE_HOT))), logits);
  });
});

/**
 * The hand-differentiated MLP (src/ml/dense.ts) against the same network as tfjs variables:
 * forward values, the gradients of every parameter and of the input (tfjs's autograd), and
 * Adam steps (tfjs's own optimiser); and it leaves no tensors behind on the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { Mlp } from '../src/ml/dense.js';
import { Rng } from '../src/rng/index.js';
import { onEachEngine } from './support/engines.js';

const SIZES = [5, 7, 3];
const ROWS = 6;

beforeAll(async () => {
  await initBackend();
});

function randomArray(rng: Rng, length: number): Float32Array {
  return Float32Array.from({ length }, () => rng.normal());
}

/** The network as tfjs ops over tensors of the given parameters (weights then bias per layer). */
function tfForward(params: tf.Tensor[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (let l = 0; l < params.length / 2; l++) {
    h = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor2D), params[2 * l + 1]);
    if (l + 1 < params.length / 2) h = tf.relu(h);
  }
  return h;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(tolerance * (1 + Math.abs(expected[k])));
}

onEachEngine('Mlp', () => {
  it('computes the same outputs and gradients as tfjs’s autograd over the same network', () => {
    const rng = new Rng('dense/grad');
    const mlp = new Mlp('probe', SIZES, new Rng('dense/init'), { learningRate: 0.01 });
    const x = randomArray(rng, ROWS * SIZES[0]);
    // loss = Σ output ⊙ r, so d loss / d output = r.
    const r = randomArray(rng, ROWS * SIZES[2]);
    const pass = mlp.forward(x, ROWS);
    const dx = mlp.backward(pass, r);
    const shapes = mlp.parameters.map((_, k) => (k % 2 === 0 ? [SIZES[k / 2], SIZES[k / 2 + 1]] : [SIZES[(k + 1) / 2]]));
    tf.tidy(() => {
      const params = mlp.parameters.map((p, k) => tf.tensor(p, shapes[k]));
      const xt = tf.tensor2d(x, [ROWS, SIZES[0]]);
      expectClose(pass.output, tfForward(params, xt).dataSync(), 1e-5);
      const loss = (input: tf.Tensor, ...ps: tf.Tensor[]) => tf.sum(tf.mul(tfForward(ps, input as tf.Tensor2D), tf.tensor2d(r, [ROWS, SIZES[2]]))) as tf.Scalar;
      const grads = tf.grads(loss)([xt, ...params]);
      expectClose(dx, grads[0].dataSync(), 1e-5);
      mlp.gradients.forEach((g, k) => expectClose(g, grads[k + 1].dataSync(), 1e-5));
    });
  });

  it('adds each layer’s bias before its ReLU, as tfjs does, and keeps each layer’s input for the backward pass', () => {
    const rng = new Rng('dense/bias');
    const mlp = new Mlp('probe', SIZES, new Rng('dense/init'), { learningRate: 0.01 });
    // Biases are 0 after a reset: give them values, half of them large enough to switch units off.
    for (const [k, p] of mlp.parameters.entries()) if (k % 2 === 1) p.set(randomArray(rng, p.length));
    const x = randomArray(rng, ROWS * SIZES[0]);
    const pass = mlp.forward(x, ROWS);
    expect(pass.inputs).toHaveLength(SIZES.length - 1); // the input, then the hidden layer's output
    expect(pass.inputs[0]).toBe(x);
    tf.tidy(() => {
      const params = mlp.parameters.map((p, k) => tf.tensor(p, k % 2 === 0 ? [SIZES[k / 2], SIZES[k / 2 + 1]] : [SIZES[(k + 1) / 2]]));
      expectClose(pass.output, tfForward(params, tf.tensor2d(x, [ROWS, SIZES[0]])).dataSync(), 1e-5);
    });
  });

  it('predicts what its forward pass outputs, each row whatever rows share the call, with the weights of the moment', () => {
    const rng = new Rng('dense/predict');
    for (const sizes of [SIZES, [6, 9, 4, 3], [4, 2]]) {
      const mlp = new Mlp('probe', sizes, new Rng('dense/init'), { learningRate: 0.01 });
      // Biases large enough to switch some units off, so a ReLU misplaced shows.
      for (const [k, p] of mlp.parameters.entries()) if (k % 2 === 1) p.set(randomArray(rng, p.length));
      const x = randomArray(rng, ROWS * sizes[0]);
      const all = mlp.predict(x, ROWS);
      expectClose(all, mlp.forward(x, ROWS).output, 1e-6);
      const out = sizes[sizes.length - 1];
      for (let r = 0; r < ROWS; r++) expect(Array.from(mlp.predict(x.subarray(r * sizes[0], (r + 1) * sizes[0]), 1))).toEqual(Array.from(all.subarray(r * out, (r + 1) * out)));
      // A training step, and weights set from outside, are served from then on.
      mlp.backward(mlp.forward(x, ROWS), randomArray(rng, ROWS * out));
      mlp.step();
      expectClose(mlp.predict(x, ROWS), mlp.forward(x, ROWS).output, 1e-6);
      for (const p of mlp.parameters) p.set(randomArray(rng, p.length));
      mlp.weightsChanged();
      expectClose(mlp.predict(x, ROWS), mlp.forward(x, ROWS).output, 1e-6);
    }
    expect(() => new Mlp('probe', SIZES, new Rng('dense/init'), { learningRate: 0.01 }).predict(new Float32Array(4), 1)).toThrow('probe: 4 inputs for 1 rows of 5');
  });

  it('refuses fewer than two sizes and an input of the wrong length; one layer is a linear map', () => {
    expect(() => new Mlp('probe', [4], new Rng('dense/one'), { learningRate: 0.01 })).toThrow('probe: an MLP needs at least input and output sizes');
    const linear = new Mlp('linear', [2, 1], new Rng('dense/one'), { learningRate: 0.01 });
    expect(() => linear.forward(Float32Array.from([1, 2, 3]), 2)).toThrow('linear: 3 inputs for 2 rows of 2');
    const [w, bias] = linear.parameters;
    w.set([2, -1]);
    bias.set([0.5]);
    // No ReLU on the output: −1.5 stays negative.
    expect(Array.from(linear.forward(Float32Array.from([1, 1, 0, 2]), 2).output)).toEqual([1.5, -1.5]);
  });

  it('takes the same Adam steps as tfjs’s Adam on the same gradients', () => {
    const rng = new Rng('dense/adam');
    const mlp = new Mlp('probe', SIZES, new Rng('dense/init'), { learningRate: 0.05 });
    const shapes = mlp.parameters.map((_, k) => (k % 2 === 0 ? [SIZES[k / 2], SIZES[k / 2 + 1]] : [SIZES[(k + 1) / 2]]));
    const vars = mlp.parameters.map((p, k) => tf.variable(tf.tensor(p, shapes[k]), true, `dense-adam-${k}`));
    const optimizer = tf.train.adam(0.05);
    for (let s = 0; s < 3; s++) {
      const x = randomArray(rng, ROWS * SIZES[0]);
      mlp.backward(mlp.forward(x, ROWS), randomArray(rng, ROWS * SIZES[2]));
      tf.tidy(() => optimizer.applyGradients(mlp.gradients.map((g, k) => ({ name: vars[k].name, tensor: tf.tensor(g, shapes[k]) }))));
      mlp.step();
    }
    mlp.parameters.forEach((p, k) => expectClose(p, vars[k].dataSync(), 1e-5));
    // The steps moved the weights: the comparison above is not between two untouched copies.
    expect(Array.from(mlp.parameters[0])).not.toEqual(Array.from(new Mlp('probe', SIZES, new Rng('dense/init'), { learningRate: 0.05 }).parameters[0]));
    optimizer.dispose();
    for (const v of vars) v.dispose();
  });

  it('zeroes the gradient behind a ReLU that was off, and reset re-draws the weights from the stream', () => {
    const mlp = new Mlp('probe', [2, 2, 1], new Rng('dense/relu'), { learningRate: 0.01 });
    const [w1, b1] = mlp.parameters;
    w1.set([1, 0, 0, -1]); // hidden unit 0 = x0, unit 1 = −x1
    b1.fill(0);
    mlp.backward(mlp.forward(Float32Array.from([2, 3]), 1), Float32Array.from([1]));
    // Unit 1 is off (−3 < 0): no gradient reaches its incoming weights.
    expect(mlp.gradients[0][1]).toBe(0);
    expect(mlp.gradients[0][3]).toBe(0);
    expect(mlp.gradients[0][0]).not.toBe(0);
    const before = Array.from(mlp.parameters[0]);
    mlp.reset();
    expect(Array.from(mlp.parameters[0])).not.toEqual(before);
    expect(mlp.parameterCount).toBe(2 * 2 + 2 + 2 * 1 + 1);
  });

  it('forgets its Adam moments and step count but keeps its weights: the next step is a fresh network’s from the same weights', () => {
    const rng = new Rng('dense/forget');
    const mlp = new Mlp('probe', SIZES, new Rng('dense/init'), { learningRate: 0.05 });
    const step = (net: Mlp, x: Float32Array, g: Float32Array): void => {
      net.backward(net.forward(x, ROWS), g);
      net.step();
    };
    for (let s = 0; s < 3; s++) step(mlp, randomArray(rng, ROWS * SIZES[0]), randomArray(rng, ROWS * SIZES[2]));
    const weights = mlp.parameters.map((p) => p.slice());
    mlp.forgetMoments();
    mlp.parameters.forEach((p, k) => expect(Array.from(p)).toEqual(Array.from(weights[k])));
    const fresh = new Mlp('probe', SIZES, new Rng('other'), { learningRate: 0.05 });
    fresh.parameters.forEach((p, k) => p.set(weights[k]));
    const x = randomArray(rng, ROWS * SIZES[0]);
    const g = randomArray(rng, ROWS * SIZES[2]);
    step(mlp, x, g);
    step(fresh, x, g);
    mlp.parameters.forEach((p, k) => expect(Array.from(p)).toEqual(Array.from(fresh.parameters[k])));
  });

  it('draws Glorot-uniform weights: within ±√(6 / (fan in + fan out)) and reaching near it', () => {
    const mlp = new Mlp('probe', [30, 20, 10], new Rng('dense/glorot'), { learningRate: 0.01 });
    for (const [k, limit] of [
      [0, Math.sqrt(6 / 50)],
      [2, Math.sqrt(6 / 30)],
    ]) {
      const largest = Math.max(...Array.from(mlp.parameters[k], Math.abs));
      expect(largest).toBeLessThanOrEqual(limit);
      expect(largest).toBeGreaterThan(0.9 * limit);
    }
  });

  it('divides its first Adam step by √v + ε: with ε = 0.5 and a gradient of 1 each parameter moves by lr / 1.5', () => {
    // One weight and one bias, x = 1: both gradients are d output = 1, and after one step
    // m̂ = 1 and √v̂ = 1, so each moves by 0.1 / (1 + 0.5).
    const mlp = new Mlp('probe', [1, 1], new Rng('dense/epsilon'), { learningRate: 0.1, epsilon: 0.5 });
    const [w, b] = mlp.parameters;
    const before = w[0];
    mlp.backward(mlp.forward(Float32Array.of(1), 1), Float32Array.of(1));
    mlp.step();
    expect(w[0]).toBeCloseTo(before - 0.1 / 1.5, 6);
    expect(b[0]).toBeCloseTo(-0.1 / 1.5, 6);
  });

  it('leaves no tensors on the backend', () => {
    const before = tf.memory().numTensors;
    const mlp = new Mlp('probe', SIZES, new Rng('dense-test'), { learningRate: 0.01 });
    const pass = mlp.forward(new Float32Array(ROWS * SIZES[0]).fill(0.5), ROWS);
    mlp.backward(pass, new Float32Array(ROWS * SIZES[2]).fill(1));
    mlp.step();
    expect(tf.memory().numTensors).toBe(before);
  });
});

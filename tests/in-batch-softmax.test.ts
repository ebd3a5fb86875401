/**
 * The fused in-batch softmax (src/ml/in-batch-softmax.ts) against the same loss written with
 * plain tfjs ops and differentiated by tfjs: values and gradients with respect to both towers'
 * raw outputs, with and without the logQ correction and duplicate positives; the correction's
 * sign by hand; and the fast exponential against Math.exp.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { exp, inBatchSoftmax, inBatchSoftmaxLoss, normaliseRows, type InBatchSoftmaxOptions } from '../src/ml/in-batch-softmax.js';
import { inBatchSoftmaxOnnx } from '../src/ml/onnx/in-batch-softmax-graph.js';
import { Rng } from '../src/rng/index.js';
import { onEachEngine } from './support/engines.js';

/** The reference hides another example's positive of the same item under this logit (the fused loss drops it). */
const MASK = -1e4;

/** The loss as tfjs ops: normalise rows, cosine / T − logQ + mask, logSoftmax, mean of the diagonal's negative. */
function reference(x: tf.Tensor2D, y: tf.Tensor2D, options: InBatchSoftmaxOptions): tf.Scalar {
  const n = x.shape[0];
  const normalise = (t: tf.Tensor2D) => tf.mul(t, tf.rsqrt(tf.add(tf.sum(tf.square(t), 1, true), 1e-12)));
  let logits = tf.mul(tf.matMul(normalise(x), normalise(y), false, true), options.invTemperature);
  if (options.logQ) logits = tf.sub(logits, tf.tensor1d(options.logQ));
  const mask = new Float32Array(n * n);
  for (let b = 0; b < n; b++) for (let j = 0; j < n; j++) if (j !== b && options.ids[j] === options.ids[b]) mask[b * n + j] = MASK;
  logits = tf.add(logits, tf.tensor2d(mask, [n, n]));
  return tf.mul(tf.sum(tf.mul(tf.logSoftmax(logits), tf.eye(n))), -1 / n);
}

function randomMatrix(rng: Rng, rows: number, cols: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from({ length: rows * cols }, () => rng.normal()), [rows, cols]);
}

/** Loss value and gradients with respect to x and y, for a loss function of (x, y). */
function valueAndGrads(loss: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D, y: tf.Tensor2D): { value: number; dx: Float32Array; dy: Float32Array } {
  return tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => loss(a as tf.Tensor2D, b as tf.Tensor2D))([x, y]);
    return { value: value.dataSync()[0], dx: grads[0].dataSync() as Float32Array, dy: grads[1].dataSync() as Float32Array };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(...Array.from(expected, Math.abs));
  expect(scale).toBeGreaterThan(0);
  for (let k = 0; k < expected.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(tolerance * scale);
}

beforeAll(async () => {
  await initBackend();
});

onEachEngine('in-batch softmax (one ONNX Runtime graph, or typed arrays)', (engine) => {

  it('takes that path', () => {
    const ids = Int32Array.of(1, 2);
    const unit = Float32Array.of(1, 0, 0, 1);
    expect(inBatchSoftmaxOnnx(unit, unit, 2, 2, 1, null, ids) === null).toBe(engine === 'tfjs');
    // Ids reach the graph as float32, exact below 2^24.
    if (engine === 'onnxruntime') {
      expect(() => inBatchSoftmaxOnnx(unit, unit, 2, 2, 1, null, Int32Array.of(1, 2 ** 24))).toThrow("item id 16777216 is outside float32's exact whole numbers");
      expect(() => inBatchSoftmaxOnnx(unit, unit, 2, 2, 1, null, Int32Array.of(-1, 2))).toThrow('item id -1 is outside');
    }
  });

  it('on ONNX Runtime, gives the graph’s loss bit for bit (the typed path agrees only to rounding)', () => {
    if (engine === 'tfjs') return;
    const rng = new Rng('in-batch/exact');
    const [n, dim] = [6, 4];
    const user = Float32Array.from({ length: n * dim }, () => rng.normal());
    const item = Float32Array.from({ length: n * dim }, () => rng.normal());
    const options: InBatchSoftmaxOptions = { invTemperature: 5, logQ: Float32Array.from({ length: n }, () => -rng.uniform(1, 4)), ids: Int32Array.of(1, 2, 3, 2, 5, 6) };
    const graph = inBatchSoftmaxOnnx(normaliseRows(user, n, dim).unit, normaliseRows(item, n, dim).unit, n, dim, options.invTemperature, options.logQ, options.ids);
    expect(inBatchSoftmax(user, item, n, dim, options).loss).toBe(graph?.loss);
  });

  describe('fused in-batch softmax', () => {
    const n = 7;
    const dim = 5;
    // Items 3 and 9 are each the positive of two examples.
    const ids = Int32Array.from([3, 9, 1, 3, 4, 9, 0]);
    const logQ = Float32Array.from([0.3, 0.1, 0.05, 0.3, 0.15, 0.1, 0.01], Math.log);

    it.each([
      ['logQ and duplicates', logQ, ids],
      ['logQ, all items distinct', logQ, Int32Array.from([0, 1, 2, 3, 4, 5, 6])],
      ['no correction, duplicates', null, ids],
    ])('matches tfjs’s own loss and gradients (%s)', (name, q, itemIds) => {
      matchesReference(name, q, itemIds, 1 / 0.3);
    });

    it('matches them too at a temperature low enough that each row is shifted by its own maximum', () => {
      // 2/T alone is 500, beyond the span one shift for every row can take.
      matchesReference('cold', logQ, ids, 250);
    });

    it('matches them too with corrections far larger than a cosine: spanning more than one shift takes, or all large', () => {
      // Column 1's −log q is 150. Row 5 has the same item, so that column is masked there and all its
      // logits sit ~150 below a bound shared by every row: each row needs its own maximum (float32
      // underflows below e^−87).
      const wide = Float32Array.from([-0.5, -150, -1, -0.5, -2, -0.1, -3]);
      matchesReference('wide logQ', wide, ids, 2);
      // Every −log q near 50: the shared shift must include it, or the exponentials overflow float32.
      const large = Float32Array.from([-50, -52, -49, -50, -55, -52, -51]);
      matchesReference('large logQ', large, ids, 2);
    });

    function matchesReference(_name: string, q: Float32Array | null, itemIds: Int32Array, invTemperature: number): void {
      const rng = new Rng(`in-batch/${_name}`);
      const x = randomMatrix(rng, n, dim);
      const y = randomMatrix(rng, n, dim);
      const options: InBatchSoftmaxOptions = { invTemperature, logQ: q, ids: itemIds };
      const fused = valueAndGrads((a, b) => inBatchSoftmaxLoss(a, b, options), x, y);
      const plain = valueAndGrads((a, b) => reference(a, b, options), x, y);
      expect(Math.abs(fused.value - plain.value)).toBeLessThan(1e-5 * Math.max(1, plain.value));
      expectClose(fused.dx, plain.dx, 1e-5);
      expectClose(fused.dy, plain.dy, 1e-5);
      x.dispose();
      y.dispose();
    }

    it('scales its gradients by the upstream gradient', () => {
      const rng = new Rng('in-batch/scale');
      const x = randomMatrix(rng, n, dim);
      const y = randomMatrix(rng, n, dim);
      const options: InBatchSoftmaxOptions = { invTemperature: 2, logQ, ids };
      const once = valueAndGrads((a, b) => inBatchSoftmaxLoss(a, b, options), x, y);
      const thrice = valueAndGrads((a, b) => tf.mul(inBatchSoftmaxLoss(a, b, options), 3), x, y);
      expectClose(thrice.dx, once.dx.map((g) => 3 * g), 1e-6);
      expectClose(thrice.dy, once.dy.map((g) => 3 * g), 1e-6);
      x.dispose();
      y.dispose();
    });

    it('subtracts log q from each column’s logits: a by-hand case', () => {
      // Unit rows (after normalisation): u = (1, 0), (0.6, 0.8); v = (1, 0), (0, 1). T = 1, q = (0.9, 0.1).
      const x = tf.tensor2d([2, 0, 0.3, 0.4], [2, 2]);
      const y = tf.tensor2d([5, 0, 0, 0.5], [2, 2]);
      const scores = [
        [1, 0],
        [0.6, 0.8],
      ];
      const q = [0.9, 0.1];
      const options: InBatchSoftmaxOptions = { invTemperature: 1, logQ: Float32Array.from(q, Math.log), ids: Int32Array.from([0, 1]) };
      const byHand = (sign: number) =>
        scores.reduce((s, row, b) => {
          const logits = row.map((z, j) => z - sign * Math.log(q[j]));
          return s + Math.log(Math.exp(logits[0]) + Math.exp(logits[1])) - logits[b];
        }, 0) / 2;
      const loss = tf.tidy(() => inBatchSoftmaxLoss(x, y, options).dataSync()[0]);
      expect(loss).toBeCloseTo(byHand(1), 6);
      expect(Math.abs(byHand(1) - byHand(-1))).toBeGreaterThan(0.1);
      const uncorrected = tf.tidy(() => inBatchSoftmaxLoss(x, y, { ...options, logQ: null }).dataSync()[0]);
      expect(uncorrected).toBeCloseTo(byHand(0), 6);
      x.dispose();
      y.dispose();
    });

    it('refuses outputs of different shapes, and ids or logQ of another length', () => {
      const x = tf.zeros([3, 2]) as tf.Tensor2D;
      const y = tf.zeros([2, 2]) as tf.Tensor2D;
      const options: InBatchSoftmaxOptions = { invTemperature: 1, logQ: null, ids: Int32Array.from([0, 1, 2]) };
      expect(() => inBatchSoftmaxLoss(x, y, options)).toThrow('inBatchSoftmaxLoss: user outputs [3,2] and item outputs [2,2] differ');
      const wider = tf.zeros([3, 3]) as tf.Tensor2D;
      const transposed = tf.zeros([2, 3]) as tf.Tensor2D;
      expect(() => inBatchSoftmaxLoss(x, wider, options)).toThrow('user outputs [3,2] and item outputs [3,3] differ');
      // As many values, transposed: still not the same shape.
      expect(() => inBatchSoftmaxLoss(transposed, x, { ...options, ids: Int32Array.from([0, 1]) })).toThrow('user outputs [2,3] and item outputs [3,2] differ');
      expect(() => inBatchSoftmaxLoss(x, x, { ...options, ids: Int32Array.from([0, 1]) })).toThrow('inBatchSoftmax: ids/logQ do not have 3 entries');
      expect(() => inBatchSoftmaxLoss(x, x, { ...options, logQ: new Float32Array(2) })).toThrow('inBatchSoftmax: ids/logQ do not have 3 entries');
      // The typed-array form checks both towers' sizes itself.
      expect(() => inBatchSoftmax(new Float32Array(6), new Float32Array(4), 3, 2, options)).toThrow('inBatchSoftmax: 6 user and 4 item values for [3 × 2]');
      expect(() => inBatchSoftmax(new Float32Array(4), new Float32Array(6), 3, 2, options)).toThrow('inBatchSoftmax: 4 user and 6 item values for [3 × 2]');
      for (const t of [x, y, wider, transposed]) t.dispose();
    });

    it('keeps a zero row finite: its unit vector is zero, and the loss and gradients are numbers', () => {
      const user = Float32Array.from([0, 0, 0.6, 0.8, 1, 1]);
      const item = Float32Array.from([1, 0, 0, 2, -1, 1]);
      expect(Array.from(normaliseRows(user, 3, 2).unit.subarray(0, 2))).toEqual([0, 0]);
      const result = inBatchSoftmax(user, item, 3, 2, { invTemperature: 1, logQ: null, ids: Int32Array.from([0, 1, 2]) });
      expect(Number.isFinite(result.loss)).toBe(true);
      for (const g of [...result.dUser, ...result.dItem]) expect(Number.isFinite(g)).toBe(true);
    });
  });
});

describe('fast exponential', () => {
  it('is within 1e-8 of Math.exp over the range a double holds, and 0 or ∞ beyond', () => {
    let worst = 0;
    for (let x = -700; x <= 700; x += 0.0137) worst = Math.max(worst, Math.abs(exp(x) / Math.exp(x) - 1));
    expect(worst).toBeLessThan(1e-8);
    expect(exp(0)).toBe(1);
    // The top of the range a double holds, where 2^k itself would overflow.
    for (const x of [709, 709.5, 709.78, Math.log(Number.MAX_VALUE)]) expect(Math.abs(exp(x) / Math.exp(x) - 1), `exp(${x})`).toBeLessThan(1e-8);
    expect(exp(709.79)).toBe(Infinity);
    expect(exp(-1e4)).toBe(0);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(1e4)).toBe(Infinity);
    expect(exp(NaN)).toBeNaN();
  });
});

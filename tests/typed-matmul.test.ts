/**
 * Matrix products of plain Float32Arrays (src/ml/typed-matmul.ts): small products worked out by
 * hand, operands of the wrong size refused before they reach the backend, and the transposed
 * products against a plain triple loop on shapes where every dimension differs, so a swapped
 * flag, operand or shape cannot give the right numbers; each on both engines, ONNX Runtime's Gemm
 * and the tfjs backend (RECLOOP_INFERENCE=tfjs).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { affineGemm, gemm } from '../src/ml/onnx/gemm.js';
import { inferenceBackend } from '../src/ml/onnx/runtime.js';
import { matMul, matMulsSharing, matMulTransposedA, matMulTransposedB, transpose } from '../src/ml/typed-matmul.js';
import { affine, crossBackward, crossForward } from '../src/recommender/ranking/typed-layers.js';
import { Rng } from '../src/rng/index.js';
import { onEachEngine } from './support/engines.js';

beforeAll(async () => {
  await initBackend();
});

const f32 = (values: number[]): Float32Array => Float32Array.from(values);

onEachEngine('typed products', (engine) => {

  it('runs its products on that engine', () => {
    expect(inferenceBackend()).toBe(engine);
    const product = gemm(f32([1, 2]), [1, 2], f32([3, 4]), [2, 1], false, false);
    // A dense layer in one call: [1, 2]·[3, 4]ᵀ − 20, through the ReLU or not.
    const layer = (relu: boolean) => affineGemm(f32([1, 2]), 1, 2, f32([3, 4]), 1, f32([-20]), relu);
    if (engine === 'tfjs') {
      expect(product).toBeNull();
      expect(layer(false)).toBeNull();
    } else {
      expect(Array.from(product ?? [])).toEqual([11]);
      expect(Array.from(layer(false) ?? [])).toEqual([-9]);
      expect(Array.from(layer(true) ?? [])).toEqual([0]);
    }
  });

  it('takes ONNX Runtime’s answer, bit for bit, where it runs: products and the dense layer', () => {
    if (engine === 'tfjs') return;
    // Random operands whose sums tfjs rounds differently from ONNX Runtime (checked below), so a
    // product computed on tfjs instead, which agrees to rounding, is told apart.
    const rng = new Rng('typed-matmul/exact');
    const random = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const [m, k, n] = [4, 5, 3];
    const a = random(m * k);
    const b = random(k * n);
    const viaGemm = gemm(a, [m, k], b, [k, n], false, false);
    const onTfjs = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).dataSync());
    expect(Array.from(onTfjs)).not.toEqual(Array.from(viaGemm ?? []));
    expect(Array.from(matMul(a, m, k, b, n))).toEqual(Array.from(viaGemm ?? []));
    const at = random(k * m);
    expect(Array.from(matMulTransposedA(at, k, m, b, n))).toEqual(Array.from(gemm(at, [k, m], b, [k, n], true, false) ?? []));
    const bt = random(n * k);
    expect(Array.from(matMulTransposedB(a, m, k, bt, n))).toEqual(Array.from(gemm(a, [m, k], bt, [n, k], false, true) ?? []));
    const left = random(2 * m);
    const [after, before] = matMulsSharing(a, m, k, { right: b, cols: n }, { left, rows: 2 });
    expect(Array.from(after)).toEqual(Array.from(viaGemm ?? []));
    expect(Array.from(before)).toEqual(Array.from(gemm(left, [2, m], a, [m, k], false, false) ?? []));
    const bias = random(n);
    for (const relu of [false, true]) expect(Array.from(affine(a, m, k, b, n, bias, relu))).toEqual(Array.from(affineGemm(a, m, k, b, n, bias, relu) ?? []));
  });

  it('a dense layer: x·w + bias along the columns, negatives zeroed only through the ReLU', () => {
    // x (2 × 3), w (3 × 2), bias (2).
    const x = f32([1, 2, 3, -1, 0, 1]);
    const w = f32([1, -1, 0, 1, 2, 0]);
    const bias = f32([0.5, -3]);
    // x·w = [[7, 1], [1, 1]].
    expect(Array.from(affine(x, 2, 3, w, 2, bias, false))).toEqual([7.5, -2, 1.5, -2]);
    expect(Array.from(affine(x, 2, 3, w, 2, bias, true))).toEqual([7.5, 0, 1.5, 0]);
  });

  it('a low-rank cross network’s backward pass refuses to run without its V gradients, instead of returning a gradient of the wrong width', () => {
    // One row, dim 2, rank 1: the first layer's U product is given; one more layer (U, c) and every layer's V, b.
    const up = { rank: 1, weights: [f32([1, 2]), f32([0.5, -1])], biases: [f32([0, 0]), f32([0.1, 0.2])] };
    const pass = crossForward(f32([1, -2]), 1, 2, f32([0.3]), [f32([1, 1])], [f32([0])], up);
    const grads = { weights: [new Float32Array(2)], biases: [new Float32Array(1)] };
    expect(() => crossBackward(pass, 1, 2, f32([1, 1]), [f32([1, 1])], grads.weights, grads.biases, up)).toThrow('crossBackward: a low-rank cross network needs its V gradients');
    const upGrads = { weights: [new Float32Array(2), new Float32Array(2)], biases: [new Float32Array(2), new Float32Array(2)] };
    expect(crossBackward(pass, 1, 2, f32([1, 1]), [f32([1, 1])], grads.weights, grads.biases, up, upGrads)).toHaveLength(1);
  });

  describe('typed matrix products', () => {
    // a (2 × 3) and b (3 × 2), row-major.
    const a = f32([1, 2, 3, 4, 5, 6]);
    const b = f32([1, 0, 0, 1, 1, 1]);

    it('multiply row-major matrices, and transpose one', () => {
      expect(Array.from(matMul(a, 2, 3, b, 2))).toEqual([4, 5, 10, 11]);
      expect(Array.from(transpose(a, 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
      // m (2 × 2) shared: m·right (2 × 3) and left (1 × 2)·m.
      const m = f32([1, 2, 3, 4]);
      const [after, before] = matMulsSharing(m, 2, 2, { right: a, cols: 3 }, { left: f32([1, -1]), rows: 1 });
      expect(Array.from(after)).toEqual([9, 12, 15, 19, 26, 33]);
      expect(Array.from(before)).toEqual([-2, -2]);
    });

    it('refuse operands whose sizes do not fit', () => {
      expect(() => matMul(f32([1, 2, 3]), 2, 3, b, 2)).toThrow('matMul: [2 × 3]·[3 × 2] given 3 and 6 values');
      expect(() => matMul(a, 2, 3, f32([1, 2, 3, 4]), 2)).toThrow('matMul: [2 × 3]·[3 × 2] given 6 and 4 values');
      expect(() => matMulTransposedA(f32([1, 2, 3]), 2, 3, f32([1, 2, 3, 4]), 2)).toThrow('matMulTransposedA: [2 × 3]ᵀ·[2 × 2] given 3 and 4 values');
      expect(() => matMulTransposedA(a, 2, 3, f32([1, 2, 3]), 2)).toThrow('matMulTransposedA: [2 × 3]ᵀ·[2 × 2] given 6 and 3 values');
      expect(() => matMulTransposedB(f32([1, 2, 3]), 2, 3, a, 2)).toThrow('matMulTransposedB: [2 × 3]·[2 × 3]ᵀ given 3 and 6 values');
      expect(() => matMulTransposedB(a, 2, 3, f32([1, 2, 3]), 2)).toThrow('matMulTransposedB: [2 × 3]·[2 × 3]ᵀ given 6 and 3 values');
      const m = f32([1, 2, 3, 4]);
      const right = { right: a, cols: 3 };
      const left = { left: f32([1, -1]), rows: 1 };
      const message = 'matMulsSharing: operands do not fit [2 × 2]';
      expect(() => matMulsSharing(f32([1, 2, 3]), 2, 2, right, left)).toThrow(message);
      expect(() => matMulsSharing(m, 2, 2, { right: f32([1, 2]), cols: 3 }, left)).toThrow(message);
      expect(() => matMulsSharing(m, 2, 2, right, { left: f32([1, -1, 1]), rows: 1 })).toThrow(message);
    });
  });

  const values = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.normal());

  /** op(a)·op(b) by the definition, with element (i, j) of a row-major rows × cols matrix at i·cols + j. */
  function reference(a: Float32Array, aCols: number, b: Float32Array, bCols: number, transposeA: boolean, transposeB: boolean, rows: number, inner: number, cols: number): number[] {
    const at = (i: number, k: number) => (transposeA ? a[k * aCols + i] : a[i * aCols + k]);
    const bt = (k: number, j: number) => (transposeB ? b[j * bCols + k] : b[k * bCols + j]);
    const out: number[] = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let sum = 0;
        for (let k = 0; k < inner; k++) sum += at(i, k) * bt(k, j);
        out.push(sum);
      }
    }
    return out;
  }

  describe('typed matmul with a transposed operand', () => {
    it('aᵀ·b for a of 7 × 3 and b of 7 × 5 is 3 × 5', () => {
      const rng = new Rng('typed-matmul/a');
      const a = values(rng, 7 * 3);
      const b = values(rng, 7 * 5);
      const c = matMulTransposedA(a, 7, 3, b, 5);
      const expected = reference(a, 3, b, 5, true, false, 3, 7, 5);
      expect(c.length).toBe(15);
      expected.forEach((v, k) => expect(c[k]).toBeCloseTo(v, 5));
      expect(() => matMulTransposedA(a, 7, 3, b, 4)).toThrow(RangeError);
    });

    it('a·bᵀ for a of 4 × 6 and b of 3 × 6 is 4 × 3', () => {
      const rng = new Rng('typed-matmul/b');
      const a = values(rng, 4 * 6);
      const b = values(rng, 3 * 6);
      const c = matMulTransposedB(a, 4, 6, b, 3);
      const expected = reference(a, 6, b, 6, false, true, 4, 6, 3);
      expect(c.length).toBe(12);
      expected.forEach((v, k) => expect(c[k]).toBeCloseTo(v, 5));
      expect(() => matMulTransposedB(a, 4, 6, b, 2)).toThrow(RangeError);
    });
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { Rng } from '../src/rng/index.js';

/** Plain row-major product of a (m×k) and b (k×n), in float64. */
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let t = 0; t < k; t++) out[i * n + j] += a[i * k + t] * b[t * n + j];
  return out;
}

/** The transpose of a row-major r×c matrix. */
function transposed(x: Float32Array, r: number, c: number): Float32Array {
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = x[i * c + j];
  return out;
}

function values(rng: Rng, count: number): Float32Array {
  return Float32Array.from({ length: count }, () => rng.normal());
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-4);
}

describe('wasm matMul with a transposed operand', () => {
  let backend = '';
  beforeAll(async () => {
    backend = await initBackend();
  });
  const rng = new Rng('wasm-matmul');
  const [m, k, n] = [7, 5, 3];
  const a = values(rng, m * k);
  const b = values(rng, k * n);
  const want = product(a, b, m, k, n);

  it('runs through the wrapped kernels on the wasm backend', () => {
    if (backend !== 'wasm') return;
    for (const name of ['BatchMatMul', '_FusedMatMul']) expect(tf.getKernel(name, 'wasm')?.kernelFunc.name).toBe('untransposedMatMul');
  });

  it('gives the product for every combination of transposes, without leaking the copies', () => {
    const before = tf.memory();
    const buffers = tf.backend().numDataIds();
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const got = tf.tidy(() => {
        const at = ta ? tf.tensor2d(transposed(a, m, k), [k, m]) : tf.tensor2d(a, [m, k]);
        const bt = tb ? tf.tensor2d(transposed(b, k, n), [n, k]) : tf.tensor2d(b, [k, n]);
        return tf.matMul(at, bt, ta, tb).dataSync();
      });
      expectClose(got, want);
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    // The transposed copies live only in the backend, which the engine's counts do not see.
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  it('gives the product when a large transposed operand makes it cheaper to go through Cᵀ', () => {
    // Aᵀ·B with A stored 40 × 6: copying A (240 values) costs more than B and C (80 + 12).
    const [mm, kk, nn] = [6, 40, 2];
    const big = values(rng, kk * mm);
    const small = values(rng, kk * nn);
    const buffers = tf.backend().numDataIds();
    const viaA = tf.tidy(() => tf.matMul(tf.tensor2d(big, [kk, mm]), tf.tensor2d(small, [kk, nn]), true, false).dataSync());
    expectClose(viaA, product(transposed(big, kk, mm), small, mm, kk, nn));
    // A·Bᵀ with B stored 4 × 30: the same on the other side; then both transposed at once.
    const left = values(rng, 3 * 30);
    const right = values(rng, 4 * 30);
    const viaB = tf.tidy(() => tf.matMul(tf.tensor2d(left, [3, 30]), tf.tensor2d(right, [4, 30]), false, true).dataSync());
    expectClose(viaB, product(left, transposed(right, 4, 30), 3, 30, 4));
    const both = tf.tidy(() => tf.matMul(tf.tensor2d(transposed(left, 3, 30), [30, 3]), tf.tensor2d(right, [4, 30]), true, true).dataSync());
    expectClose(both, product(left, transposed(right, 4, 30), 3, 30, 4));
    const batched = tf.tidy(() =>
      tf.matMul(tf.tensor3d([...big, ...big.map((v) => -v)], [2, kk, mm]), tf.tensor3d([...small, ...small], [2, kk, nn]), true, false).dataSync(),
    );
    const want = product(transposed(big, kk, mm), small, mm, kk, nn);
    expectClose(batched.subarray(0, mm * nn), want);
    expectClose(batched.subarray(mm * nn), want.map((v) => -v));
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  it('transposes only the last two axes of a batch of matrices', () => {
    const a2 = values(rng, m * k);
    const want2 = product(a2, b, m, k, n);
    const got = tf.tidy(() => {
      const batch = tf.tensor3d([...transposed(a, m, k), ...transposed(a2, m, k)], [2, k, m]);
      return tf.matMul(batch, tf.tensor3d([...b, ...b], [2, k, n]), true, false).dataSync();
    });
    expectClose(got.subarray(0, m * n), want);
    expectClose(got.subarray(m * n), want2);
  });

  it('keeps the fused bias and activation', () => {
    const bias = values(rng, n);
    const got = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor2d(a, [m, k]), b: tf.tensor2d(transposed(b, k, n), [n, k]), transposeB: true, bias: tf.tensor1d(bias), activation: 'relu' }).dataSync(),
    );
    expectClose(
      got,
      want.map((v, i) => Math.max(0, v + bias[i % n])),
    );
  });

  it('keeps the fused bias where a large transposed operand would make the plain product go through Cᵀ', () => {
    // aᵀ (4 × 500) · b (500 × 2): copying a (2,000 values) costs more than b and the result
    // (1,008), the case where a plain product is taken as Cᵀ; the fused one must not be.
    const [rows, inner, cols] = [4, 500, 2];
    const big = values(rng, inner * rows);
    const right = values(rng, inner * cols);
    const bias = values(rng, cols);
    const got = tf.tidy(() =>
      tf.fused.matMul({ a: tf.tensor2d(big, [inner, rows]), b: tf.tensor2d(right, [inner, cols]), transposeA: true, bias: tf.tensor1d(bias) }).dataSync(),
    );
    const plain = product(transposed(big, inner, rows), right, rows, inner, cols);
    expect(got.length).toBe(rows * cols);
    for (let i = 0; i < plain.length; i++) expect(Math.abs(got[i] - (plain[i] + bias[i % cols]))).toBeLessThan(1e-3);
  });

  it('trains to the same gradients as the plain product', () => {
    // dA = dY·Bᵀ and dB = Aᵀ·dY are the transposed products a backward pass asks for.
    const [ga, gb] = tf.tidy(() => {
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D)));
      return grads([tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])]).map((g) => g.dataSync());
    });
    // d/dA Σ A·B = 1·Bᵀ: every row of dA holds B's row sums; every column of dB holds A's column sums.
    const rowSums = Array.from({ length: k }, (_, t) => b.subarray(t * n, (t + 1) * n).reduce((s, v) => s + v, 0));
    const colSums = Array.from({ length: k }, (_, t) => Array.from({ length: m }, (_, i) => a[i * k + t]).reduce((s, v) => s + v, 0));
    expectClose(ga, Array.from({ length: m * k }, (_, i) => rowSums[i % k]));
    expectClose(gb, Array.from({ length: k * n }, (_, i) => colSums[Math.floor(i / n)]));
  });
});

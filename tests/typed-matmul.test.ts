/**
 * The transposed products of src/ml/typed-matmul.ts against a plain triple loop, on shapes where
 * every dimension differs, so a swapped flag, operand or shape cannot give the right numbers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { matMulTransposedA, matMulTransposedB } from '../src/ml/typed-matmul.js';
import { Rng } from '../src/rng/index.js';

beforeAll(async () => {
  await initBackend();
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

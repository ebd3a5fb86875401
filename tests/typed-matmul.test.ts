/**
 * Matrix products of plain Float32Arrays (src/ml/typed-matmul.ts) on small matrices worked out by
 * hand, and operands of the wrong size refused before they reach the backend.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { matMul, matMulsSharing, transpose } from '../src/ml/typed-matmul.js';

beforeAll(async () => {
  await initBackend();
});

const f32 = (values: number[]): Float32Array => Float32Array.from(values);

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
    const m = f32([1, 2, 3, 4]);
    const right = { right: a, cols: 3 };
    const left = { left: f32([1, -1]), rows: 1 };
    const message = 'matMulsSharing: operands do not fit [2 × 2]';
    expect(() => matMulsSharing(f32([1, 2, 3]), 2, 2, right, left)).toThrow(message);
    expect(() => matMulsSharing(m, 2, 2, { right: f32([1, 2]), cols: 3 }, left)).toThrow(message);
    expect(() => matMulsSharing(m, 2, 2, right, { left: f32([1, -1, 1]), rows: 1 })).toThrow(message);
  });
});

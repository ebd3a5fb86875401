import { describe, expect, it } from 'vitest';
import { ascendingOrder, grown, StampedIndex } from '../src/core/typed-arrays.js';
import { Rng } from '../src/rng/index.js';

describe('grown', () => {
  it('copies into a larger array of the same type, zeros after the old values', () => {
    const ints = grown(Int32Array.from([3, -1]), 4);
    expect(ints).toBeInstanceOf(Int32Array);
    expect([...ints]).toEqual([3, -1, 0, 0]);
    const floats = grown(Float64Array.from([0.5]), 2);
    expect(floats).toBeInstanceOf(Float64Array);
    expect([...floats]).toEqual([0.5, 0]);
  });
});

describe('StampedIndex', () => {
  it('holds values under the current stamp only, and grows for large ids', () => {
    const index = new StampedIndex();
    const first = index.begin();
    expect(index.find(3, first)).toBe(-1);
    index.place(3, first, 7);
    index.place(5000, first, 0);
    expect([index.find(3, first), index.find(5000, first), index.find(4, first)]).toEqual([7, 0, -1]);
    const second = index.begin();
    expect([index.find(3, second), index.find(5000, second)]).toEqual([-1, -1]);
    index.place(3, second, 9);
    expect(index.find(3, second)).toBe(9);
  });
});

describe('ascendingOrder', () => {
  it('orders as the built-in stable sort by value does, ties in index order, on random rows with ties, signed zeros and infinities', () => {
    const rng = new Rng('ascending-order');
    const special = [0, -0, Infinity, -Infinity];
    for (let trial = 0; trial < 400; trial++) {
      const n = trial < 40 ? trial : rng.int(700);
      const coarse = trial % 2 === 0;
      const row = Array.from({ length: n }, () => (rng.next() < 0.05 ? special[rng.int(4)] : coarse ? rng.int(6) : rng.normal()));
      for (const values of [row, Float32Array.from(row)]) {
        const want = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i] - values[j]);
        expect([...ascendingOrder(values)], `trial ${trial}`).toEqual(want);
      }
    }
  });
});

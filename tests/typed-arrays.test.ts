import { describe, expect, it } from 'vitest';
import { grown } from '../src/core/typed-arrays.js';

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

/** Per-user vectors in one flat array: rows in first-seen order, sums kept apart, cleared per epoch. */
import { describe, expect, it } from 'vitest';
import { UserVectors } from '../src/metrics/user-vectors.js';

describe('user vectors', () => {
  it('keeps one row per user in first-seen order, across growth, and drops indices outside the width', () => {
    const vectors = new UserVectors(3);
    const users = [40, 2, 40, 7, ...Array.from({ length: 30 }, (_, k) => 100 + k)];
    for (const u of users) vectors.add(vectors.rowFor(u), [0, 2, 3, -1], [1, u, 100, 100]);
    expect(vectors.size).toBe(33);
    expect(Array.from(vectors.row(0))).toEqual([2, 0, 80]);
    expect(Array.from(vectors.row(1))).toEqual([1, 0, 2]);
    expect(Array.from(vectors.row(2))).toEqual([1, 0, 7]);
    expect(Array.from(vectors.row(32))).toEqual([1, 0, 129]);
    vectors.clear();
    expect(vectors.size).toBe(0);
    vectors.add(vectors.rowFor(7), [1], [5]);
    expect(vectors.rowFor(40)).toBe(1);
    expect(Array.from(vectors.row(0))).toEqual([0, 5, 0]);
    expect(Array.from(vectors.row(1))).toEqual([0, 0, 0]);
  });
});

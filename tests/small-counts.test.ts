/** SmallCounts against a Map: the same counts for keys that collide, after clears and growth. */
import { describe, expect, it } from 'vitest';
import { SmallCounts } from '../src/core/small-counts.js';
import { Rng } from '../src/rng/index.js';

describe('small counts', () => {
  it('counts what a Map counts, through clears of every size', () => {
    const rng = new Rng('small-counts');
    const table = new SmallCounts();
    for (let round = 0; round < 200; round++) {
      // From a handful of keys to more than the first table holds; ids up to a large catalog's.
      const distinct = 1 + rng.int(round < 100 ? 8 : 60);
      const keys = Array.from({ length: distinct }, () => rng.int(300_000));
      table.clear(distinct);
      const expected = new Map<number, number>();
      for (let k = 0; k < 3 * distinct; k++) {
        const key = keys[rng.int(distinct)];
        table.add(key);
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      for (const key of keys) expect(table.count(key), `round ${round}, key ${key}`).toBe(expected.get(key) ?? 0);
      for (let k = 0; k < 50; k++) {
        const key = rng.int(300_000);
        expect(table.count(key)).toBe(expected.get(key) ?? 0);
      }
    }
  });

  it('forgets every key at a clear, and counts key 0', () => {
    const table = new SmallCounts();
    table.clear(3);
    table.add(0);
    table.add(0);
    table.add(16);
    expect([table.count(0), table.count(16), table.count(32)]).toEqual([2, 1, 0]);
    table.clear(3);
    expect([table.count(0), table.count(16)]).toEqual([0, 0]);
  });
});

import { describe, expect, it } from 'vitest';
import { UserHistory } from '../src/training/user-history.js';

describe('UserHistory.recentInto', () => {
  it('gives the last `length` clicks newest first, at the offset asked, after the ring wraps', () => {
    const history = new UserHistory(3);
    for (let k = 0; k < 5; k++) history.record(2, 10 + k, 100 + k); // 10..14: the ring holds 12, 13, 14
    history.record(0, 7, 1);
    const items = new Int32Array(8).fill(-1);
    const times = new Float64Array(8).fill(-1);
    expect(history.recentInto(2, items, times, 4)).toBe(3);
    expect(Array.from(items)).toEqual([-1, -1, -1, -1, 14, 13, 12, -1]);
    expect(Array.from(times)).toEqual([-1, -1, -1, -1, 104, 103, 102, -1]);
    expect(history.recentInto(0, items)).toBe(1);
    expect(items[0]).toBe(7);
    expect(history.recentInto(1, items)).toBe(0); // a user with no clicks, below the largest id
    expect(history.recentInto(9, items)).toBe(0); // one never seen
    expect(history.clicks(2)).toBe(5);
  });
});

describe('UserHistory growth', () => {
  it('keeps every user’s ring when room is made for more users, whatever order they arrive in', () => {
    const history = new UserHistory(2);
    const ids = [3, 1500, 0, 1023, 1024, 4000, 2];
    for (const [k, id] of ids.entries()) {
      history.record(id, 100 * id, k);
      history.record(id, 100 * id + 1, k + 0.5);
    }
    history.record(1500, 7, 9); // wraps 1500's ring: its oldest click goes
    const items = new Int32Array(2);
    const times = new Float64Array(2);
    for (const [k, id] of ids.entries()) {
      expect(history.recentInto(id, items, times)).toBe(2);
      if (id === 1500) {
        expect(Array.from(items)).toEqual([7, 150001]);
        expect(Array.from(times)).toEqual([9, k + 0.5]);
      } else {
        expect(Array.from(items)).toEqual([100 * id + 1, 100 * id]);
        expect(Array.from(times)).toEqual([k + 0.5, k]);
      }
    }
    expect(history.clicks(1500)).toBe(3);
    expect(history.clicks(1501)).toBe(0);
    expect(history.recentInto(5000, items)).toBe(0);
  });
});

/** The pipeline's merge of per-source candidate lists and its ordering by score. */
import { describe, expect, it } from 'vitest';
import { mergeCandidates, orderByScore } from '../src/recommender/pipeline.js';
import type { Candidate } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';

const c = (itemId: number, sources: readonly string[], sourceScore: number): Candidate => ({ itemId, sources, sourceScore });

describe('mergeCandidates', () => {
  it('keeps first occurrences in order with their scores, and every producing source once, in order of appearance', () => {
    const merged = mergeCandidates([
      [c(5, ['a'], 0.9), c(2, ['a'], 0.8), c(7, ['a'], 0.1)],
      [c(2, ['b'], 5), c(9, ['b'], 4), c(5, ['b', 'a'], 3)],
      [c(5, ['c'], -1), c(2, ['b'], -2), c(9, ['c', 'b'], -3), c(100_000, ['c'], -4)],
    ]);
    expect(merged.map((m) => [m.itemId, m.sources.join('+'), m.sourceScore])).toEqual([
      [5, 'a+b+c', 0.9],
      [2, 'a+b', 0.8],
      [7, 'a', 0.1],
      [9, 'b+c', 4],
      [100_000, 'c', -4],
    ]);
  });

  it('does not change the lists it merges, and forgets one merge before the next', () => {
    const first = [c(1, ['a'], 1)];
    const second = [c(1, ['b'], 2)];
    expect(mergeCandidates([first, second])[0].sources).toEqual(['a', 'b']);
    expect(first[0].sources).toEqual(['a']);
    expect(mergeCandidates([second, first]).map((m) => [m.itemId, m.sources.join('+'), m.sourceScore])).toEqual([[1, 'b+a', 2]]);
    const lone = [c(3, ['a'], 1)];
    expect(mergeCandidates([lone])).toBe(lone);
  });

  it('names a source once even when a candidate repeats it, and leaves every input candidate as it was', () => {
    const lists = [[c(4, ['a'], 1)], [c(4, ['b', 'b'], 2)], [c(4, ['c', 'a', 'c'], 3)], [c(4, ['b', 'd'], 4)]];
    const inputs = lists.map((list) => [...list[0].sources]);
    const [merged] = mergeCandidates(lists);
    expect(merged).toEqual({ itemId: 4, sources: ['a', 'b', 'c', 'd'], sourceScore: 1 });
    expect(lists.map((list) => list[0].sources)).toEqual(inputs);
  });
});

describe('orderByScore', () => {
  const list = [c(4, ['a'], 0.5), c(1, ['a'], 0.9), c(3, ['a'], 0.5), c(2, ['a'], 0.7)];

  it('orders by source score, ties to the lower item id, up to the limit', () => {
    expect(orderByScore(list).map((s) => [s.itemId, s.score])).toEqual([[1, 0.9], [2, 0.7], [3, 0.5], [4, 0.5]]);
    expect(orderByScore(list, undefined, 2).map((s) => s.itemId)).toEqual([1, 2]);
  });

  it('orders by the given scores when there are any, keeping each source score', () => {
    const out = orderByScore(list, Float32Array.of(1, 2, 2, 0));
    expect(out.map((s) => [s.itemId, s.score, s.sourceScore])).toEqual([[1, 2, 0.9], [3, 2, 0.5], [4, 1, 0.5], [2, 0, 0.7]]);
  });

  it('orders as the built-in stable sort by score then item id does, on random lists with ties, dropped and repeated ids', () => {
    const rng = new Rng('order-by-score');
    for (let trial = 0; trial < 300; trial++) {
      const n = rng.int(200);
      const coarse = trial % 2 === 0;
      // Repeated item ids (two sources, one id) tie completely: the input order must decide.
      const list = Array.from({ length: n }, (_, k) => c(trial % 5 === 0 ? rng.int(20) : 1000 - k, [`s${k}`], coarse ? rng.int(5) : rng.normal()));
      const scores = trial % 3 === 0 ? undefined : Float64Array.from(list, () => (rng.uniform(0, 1) < 0.1 ? Number.NaN : coarse ? rng.int(4) : rng.normal()));
      if (scores && trial % 7 === 0) scores.fill(Infinity, 0, Math.min(3, n));
      const limit = rng.int(n + 5);
      const score = (k: number): number => (scores ? scores[k] : list[k].sourceScore);
      const want = list
        .map((_, k) => k)
        .filter((k) => !Number.isNaN(score(k)))
        .sort((a, b) => score(b) - score(a) || list[a].itemId - list[b].itemId)
        .slice(0, limit);
      const got = orderByScore(list, scores, limit);
      expect(got.map((s) => s.sources[0]), `trial ${trial}`).toEqual(want.map((k) => list[k].sources[0]));
      got.forEach((s, r) => expect(s.score).toBe(score(want[r])));
    }
  });

  it('orders as the reference does keys apart only in their last bits, zeros of both signs, and lists past 4,096', () => {
    // The typed array's sort sees each key with its position in the low mantissa bits: keys that
    // differ only there, and ±0, must still come out in the exact order (or fall back to the merge sort).
    const rng = new Rng('order-by-score-bits');
    const near = (base: number, step: number): number => {
      const value = Float64Array.of(base);
      new Uint32Array(value.buffer)[0] += step;
      return value[0];
    };
    for (let trial = 0; trial < 40; trial++) {
      const n = trial % 10 === 0 ? 4090 + rng.int(20) : 1 + rng.int(300);
      const list = Array.from({ length: n }, (_, k) => c(rng.int(3 * n), [`s${k}`], 0));
      const scores = Float64Array.from(list, () => {
        const u = rng.uniform(0, 1);
        if (u < 0.1) return rng.uniform(0, 1) < 0.5 ? 0 : -0;
        return near(u < 0.55 ? 0.3 : -0.3, trial % 2 === 0 ? rng.int(64) : rng.int(1 << 14));
      });
      const want = list
        .map((_, k) => k)
        .sort((a, b) => scores[b] - scores[a] || list[a].itemId - list[b].itemId);
      expect(orderByScore(list, scores).map((s) => s.sources[0]), `trial ${trial}`).toEqual(want.map((k) => list[k].sources[0]));
    }
  });
});

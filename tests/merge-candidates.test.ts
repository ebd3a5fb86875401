/** The pipeline's merge of per-source candidate lists and its ordering by score. */
import { describe, expect, it } from 'vitest';
import { mergeCandidates, orderByScore } from '../src/recommender/pipeline.js';
import type { Candidate } from '../src/recommender/types.js';

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
});

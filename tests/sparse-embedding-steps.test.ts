/**
 * The sparse optimiser's arithmetic, step by step on one- and two-dimensional tables: exact Adam
 * and Adagrad updates against their formulas, state that survives growth and is cleared by a
 * reset, pooled layouts with a stride and offset, and option checks.
 */
import { describe, expect, it } from 'vitest';
import type { Bags } from '../src/ml/bags.js';
import { SparseEmbedding, type SparseEmbeddingOptions } from '../src/ml/sparse-embedding.js';
import { Rng } from '../src/rng/index.js';

const f32 = (xs: readonly number[]): Float32Array => Float32Array.from(xs);
const bags = (ids: number[], weights: number[], offsets: number[]): Bags => ({
  ids: Int32Array.from(ids),
  weights: f32(weights),
  offsets: Int32Array.from(offsets),
});

function embedding(options: Partial<SparseEmbeddingOptions> = {}, dim = 1, seed = 'steps'): SparseEmbedding {
  return new SparseEmbedding('emb', dim, new Rng(seed), { learningRate: 0.1, initialRows: 4, ...options });
}

/** Moves of a row's single value over successive steps. */
function moves(t: SparseEmbedding, id: number, grads: readonly number[]): number[] {
  return grads.map((g) => {
    const before = t.row(id)[0];
    t.applyGradient([id], f32([g]));
    return t.row(id)[0] - before;
  });
}

describe('sparse Adam and Adagrad steps', () => {
  it('Adam: bias-corrected moments with the given β1, β2 and ε', () => {
    const [b1, b2, eps, lr] = [0.5, 0.75, 0.1, 0.1];
    const t = embedding({ beta1: b1, beta2: b2, epsilon: eps, learningRate: lr });
    const [g1, g2] = [2, -1];
    const m1 = (1 - b1) * g1;
    const v1 = (1 - b2) * g1 * g1;
    const m2 = b1 * m1 + (1 - b1) * g2;
    const v2 = b2 * v1 + (1 - b2) * g2 * g2;
    const expected = [
      (-lr * (m1 / (1 - b1))) / (Math.sqrt(v1 / (1 - b2)) + eps),
      (-lr * (m2 / (1 - b1 ** 2))) / (Math.sqrt(v2 / (1 - b2 ** 2)) + eps),
    ];
    moves(t, 1, [g1, g2]).forEach((d, k) => expect(d).toBeCloseTo(expected[k], 6));
  });

  it('Adam defaults: β1 0.9, β2 0.999, ε 1e-8', () => {
    const t = embedding();
    const [g1, g2] = [0.5, 0.25];
    const m2 = 0.9 * 0.1 * g1 + 0.1 * g2;
    const v2 = 0.999 * 0.001 * g1 * g1 + 0.001 * g2 * g2;
    const [d1, d2] = moves(t, 0, [g1, g2]);
    expect(d1).toBeCloseTo(-0.1, 6);
    expect(d2).toBeCloseTo((-0.1 * (m2 / 0.19)) / Math.sqrt(v2 / (1 - 0.999 ** 2)), 5);
  });

  it('Adagrad: steps shrink with the running sum of squared gradients', () => {
    const t = embedding({ optimizer: 'adagrad', learningRate: 0.3 });
    const expected = [(-0.3 * 3) / Math.sqrt(9), (-0.3 * 4) / Math.sqrt(25), (-0.3 * -1) / Math.sqrt(26)];
    moves(t, 2, [3, 4, -1]).forEach((d, k) => expect(d).toBeCloseTo(expected[k], 6));
  });

  it('Adagrad adds its 1e-7 to the root, which shows on tiny gradients', () => {
    const t = embedding({ optimizer: 'adagrad', learningRate: 0.3 });
    expect(moves(t, 0, [1e-4])[0]).toBeCloseTo((-0.3 * 1e-4) / (1e-4 + 1e-7), 6);
  });

  it.each(['adagrad', 'adam'] as const)('%s steps each row of a batch once, whatever the order of repeated ids, and only that batch’s rows', (optimizer) => {
    const t = embedding({ optimizer }, 2);
    const before = [...t.weights];
    t.applyGradient([0, 1, 0], f32([1, 2, 3, 4, 1, 2]));
    const step = (g: number): number => -0.1 * Math.sign(g);
    // Row 0 sums (1, 2) and (1, 2); row 1 gets (3, 4): each moves by lr·sign(g) on a first step.
    // The next batch is smaller: its step must not reach the slots the first one left behind.
    [step(2), step(4), step(3), step(4)].forEach((d, k) => expect(t.weights[k] - before[k]).toBeCloseTo(d, 6));
    const afterFirst = [...t.weights];
    t.applyGradient([2], f32([1, 1]));
    expect([...t.weights.subarray(0, 4)]).toEqual(afterFirst.slice(0, 4));
  });

  it('uses the learning rate as it is set between steps', () => {
    const t = embedding({ optimizer: 'adagrad' });
    t.learningRate = 0.5;
    expect(moves(t, 0, [1])[0]).toBeCloseTo(-0.5, 6);
  });

  it('sums gathered and pooled gradients of one batch into a single step', () => {
    const once = embedding({ optimizer: 'adagrad' }, 2);
    const split = embedding({ optimizer: 'adagrad' }, 2);
    once.applyGradient([1], f32([3, -2]));
    split.accumulateGathered([1], f32([1, -1]));
    // Pooled over a row of stride 3, offset 1: bag 0 holds row 1 at weight 2.
    split.accumulatePooled(bags([1], [2], [0, 1]), f32([99, 1, -0.5]), 3, 1);
    split.step();
    expect([...split.row(1)]).toEqual([...once.row(1)]);
    expect([...split.weights]).toEqual([...once.weights]);
  });
});

describe('table growth, reset and layout', () => {
  it('keeps optimiser state and pending gradients when the table grows', () => {
    const grown = embedding();
    const sized = embedding({ initialRows: 100 });
    for (const t of [grown, sized]) t.applyGradient([3], f32([1]));
    grown.accumulateGathered([3], f32([0.5]));
    sized.accumulateGathered([3], f32([0.5]));
    grown.ensureRows(100); // grows past the initial capacity of 16
    for (const t of [grown, sized]) {
      t.accumulateGathered([3, 60], f32([0.5, 2]));
      t.step();
      t.applyGradient([3], f32([-1]));
    }
    expect(grown.rows).toBe(100);
    expect([...grown.weights]).toEqual([...sized.weights]);
  });

  it('does not redraw rows it already has', () => {
    const t = embedding({ initialRows: 0 });
    t.ensureRows(5);
    const first = [...t.weights];
    t.ensureRows(3);
    t.ensureRows(5);
    expect(t.rows).toBe(5);
    expect([...t.weights]).toEqual(first);
    t.ensureRows(6);
    expect([...t.weights.subarray(0, 5)]).toEqual(first);
  });

  it('draws rows at the initialisation scale, from 16 rows of capacity up', () => {
    const unit = embedding({ initScale: 1, initialRows: 20 }, 2, 'scale');
    const double = embedding({ initScale: 2, initialRows: 20 }, 2, 'scale');
    double.weights.forEach((x, k) => expect(x).toBeCloseTo(2 * unit.weights[k], 5));
    const byDefault = embedding({ initialRows: 20 }, 2, 'scale');
    byDefault.weights.forEach((x, k) => expect(x).toBeCloseTo(0.1 * unit.weights[k], 6));
    expect(embedding({ initScale: 0 }).weights.every((x) => x === 0)).toBe(true);
  });

  it('reset redraws every row and restarts the bias correction', () => {
    const t = embedding({ initialRows: 3 });
    moves(t, 1, [1, 1, 1]);
    const before = [...t.weights];
    t.reset();
    expect(t.rows).toBe(3);
    expect([...t.weights]).not.toEqual(before);
    // A first Adam step again moves by about the learning rate.
    expect(moves(t, 1, [0.001])[0]).toBeCloseTo(-0.1, 4);
  });

  it('pools weighted bags into columns offset..offset+dim of each stride, zeroing them first', () => {
    const t = embedding({ initialRows: 3 }, 2);
    const [r0, r1, r2] = [t.row(0), t.row(1), t.row(2)];
    // Two bags, stride 3, offset 1: columns 1..2 are written, column 0 is left alone.
    const two = f32([7, 7, 7, 7, 7, 7, 7, 7, 7]); // room for a third bag that is not there
    t.poolInto(bags([0, 2, 1], [1, 0.5, 2], [0, 2, 3]), two, 3, 1);
    expect(two[0]).toBe(7);
    expect(two[1]).toBeCloseTo(r0[0] + 0.5 * r2[0], 6);
    expect(two[2]).toBeCloseTo(r0[1] + 0.5 * r2[1], 6);
    expect(two[3]).toBe(7);
    expect(two[4]).toBeCloseTo(2 * r1[0], 6);
    expect(two[5]).toBeCloseTo(2 * r1[1], 6);
    expect([...two.subarray(6)]).toEqual([7, 7, 7]);
  });

  it('routes a pooled gradient back to each row by its weight', () => {
    const t = embedding({ optimizer: 'adagrad', initialRows: 3 }, 1);
    const before = [...t.weights];
    // Bag 0 = row 0 + 3·row 2 reads column 1 of stride 2; bag 1 = row 1 reads column 3.
    t.applyPooledGradient(bags([0, 2, 1], [1, 3, 1], [0, 2, 3]), f32([9, 2, 9, -1]), 2, 1);
    const step = (g: number): number => (-0.1 * g) / Math.abs(g);
    expect(t.weights[0] - before[0]).toBeCloseTo(step(2), 6);
    expect(t.weights[2] - before[2]).toBeCloseTo(step(6), 6);
    expect(t.weights[1] - before[1]).toBeCloseTo(step(-1), 6);
  });
});

describe('checks', () => {
  it('rejects bad dimensions, learning rates, ids and gradient sizes, naming the table', () => {
    const rng = new Rng('checks');
    expect(() => new SparseEmbedding('users', 0, rng, { learningRate: 0.1 })).toThrow(/users: dim must be a whole number of 1 or more, got 0/);
    expect(() => new SparseEmbedding('users', 1.5, rng, { learningRate: 0.1 })).toThrow(/dim/);
    expect(() => new SparseEmbedding('users', 2, rng, { learningRate: 0 })).toThrow(/users: learningRate must be positive, got 0/);
    expect(() => new SparseEmbedding('users', 2, rng, { learningRate: Number.NaN })).toThrow(/learningRate/);
    const t = embedding({ initialRows: 4 }, 2);
    for (const id of [-1, 4, 0.5]) expect(() => t.row(id)).toThrow(`emb: id ${id} out of range [0, 4)`);
    expect(t.row(3)).toHaveLength(2);
    expect(() => t.applyGradient([0, 1], f32([1, 2, 3]))).toThrow(/emb: gradient has 3 values for 2 rows of 2/);
    expect(() => t.applyPooledGradient(bags([0, 1], [1, 1], [0, 1, 2]), f32([1, 2, 3]))).toThrow(/emb: gradient too short for 2 bags/);
    expect(() => t.poolInto(bags([9], [1], [0, 1]), new Float32Array(2))).toThrow(/id 9 out of range/);
  });
});

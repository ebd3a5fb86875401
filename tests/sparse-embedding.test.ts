/**
 * The sparse embedding table: a real tfjs gradient (taken with respect to gathered rows)
 * applied by hand to the touched rows only.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { BagBuilder } from '../src/ml/bags.js';
import { SparseEmbedding, type SparseOptimizer } from '../src/ml/sparse-embedding.js';
import { Rng } from '../src/rng/index.js';

const DIM = 8;

function table(rows: number, optimizer: SparseOptimizer = 'adam', seed = 'table'): SparseEmbedding {
  return new SparseEmbedding('t', DIM, new Rng(seed), { learningRate: 0.05, optimizer, initialRows: rows });
}

/** Squared distance of the gathered rows to fixed targets, and its gradient w.r.t. those rows, via tfjs. */
function lossAndGrad(t: SparseEmbedding, ids: number[], targets: tf.Tensor2D): { loss: number; grad: Float32Array } {
  const rows = t.gather(ids);
  const f = (x: tf.Tensor): tf.Scalar => tf.sum(tf.square(tf.sub(x, targets)));
  const { value, grad } = tf.valueAndGrad(f)(rows);
  const out = { loss: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
  tf.dispose([rows, value, grad]);
  return out;
}

beforeAll(async () => {
  await initBackend();
});

describe('SparseEmbedding', () => {
  it.each(['adam', 'adagrad'] as const)('%s steps on a tfjs gradient drive a simple loss down', (optimizer) => {
    const t = table(1000, optimizer);
    const ids = [3, 17, 17, 512, 999];
    const targets = tf.tensor2d(Float32Array.from({ length: ids.length * DIM }, (_, k) => Math.sin(k)), [ids.length, DIM]);
    // Duplicate id 17 cannot reach two different targets: its best is their mean, so the floor is above 0.
    const first = lossAndGrad(t, ids, targets).loss;
    let last = first;
    for (let step = 0; step < 200; step++) {
      const { loss, grad } = lossAndGrad(t, ids, targets);
      t.applyGradient(ids, grad);
      last = loss;
    }
    targets.dispose();
    expect(last).toBeLessThan(first * 0.3);
  });

  it('Adam steps a row by the closed form with bias correction: lr·m̂/(√v̂ + ε), m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t)', () => {
    const lr = 0.05;
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const t = table(3);
    const g1 = Float32Array.from({ length: DIM }, (_, d) => (d - 3.5) * 0.2);
    const g2 = Float32Array.from({ length: DIM }, (_, d) => Math.cos(d) * 0.7);
    const start = t.row(1).slice();
    t.applyGradient([1], g1);
    // Step 1: m̂ = g, v̂ = g², so each touched value moves by lr·sign(g) (ε aside).
    const afterOne = t.row(1).slice();
    for (let d = 0; d < DIM; d++) expect(afterOne[d] - start[d], `d=${d}`).toBeCloseTo(-lr * Math.sign(g1[d]), 6);
    t.applyGradient([1], g2);
    for (let d = 0; d < DIM; d++) {
      const m = b1 * (1 - b1) * g1[d] + (1 - b1) * g2[d];
      const v = b2 * (1 - b2) * g1[d] ** 2 + (1 - b2) * g2[d] ** 2;
      const step = (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
      expect(t.row(1)[d] - afterOne[d], `d=${d}`).toBeCloseTo(-step, 6);
    }
  });

  it("Adam's bias correction counts each row's own steps: a row first touched late moves by lr·sign(g) too", () => {
    const t = table(3);
    const g = Float32Array.from({ length: DIM }, (_, d) => (d % 2 === 0 ? 0.3 : -0.01));
    for (let step = 0; step < 5; step++) t.applyGradient([0], g);
    const before = t.row(2).slice();
    t.applyGradient([0, 2], Float32Array.from([...g, ...g]));
    for (let d = 0; d < DIM; d++) expect(t.row(2)[d] - before[d]).toBeCloseTo(-0.05 * Math.sign(g[d]), 6);
  });

  it("Adam's bias correction stays exact over hundreds of a row's steps: under a constant gradient every step moves it by lr·sign(g)", () => {
    // With g fixed, m = g(1 − β1^t) and v = g²(1 − β2^t), so m̂ = g and v̂ = g² at every t; a wrong
    // β2^t at any step count (as from a table of powers grown short) moves the row by more or less.
    const t = table(2);
    const g = Float32Array.from({ length: DIM }, (_, d) => (d % 2 === 0 ? 0.4 : -0.05) * (1 + d / 8));
    for (let step = 1; step <= 600; step++) {
      const before = t.row(1).slice();
      t.applyGradient([1], g);
      for (let d = 0; d < DIM; d++) expect(t.row(1)[d] - before[d], `step ${step}, d=${d}`).toBeCloseTo(-0.05 * Math.sign(g[d]), 4);
    }
  });

  it('Adagrad steps a row by lr·g/(√Σg² + δ)', () => {
    const t = table(2, 'adagrad');
    const g1 = Float32Array.from({ length: DIM }, (_, d) => 0.1 * (d + 1));
    const g2 = Float32Array.from({ length: DIM }, (_, d) => -0.05 * d);
    const start = t.row(0).slice();
    t.applyGradient([0], g1);
    const afterOne = t.row(0).slice();
    t.applyGradient([0], g2);
    for (let d = 0; d < DIM; d++) {
      expect(afterOne[d] - start[d]).toBeCloseTo((-0.05 * g1[d]) / (Math.abs(g1[d]) + 1e-7), 6);
      expect(t.row(0)[d] - afterOne[d]).toBeCloseTo((-0.05 * g2[d]) / (Math.sqrt(g1[d] ** 2 + g2[d] ** 2) + 1e-7), 6);
    }
  });

  it('leaves untouched rows bit-for-bit unchanged', () => {
    const t = table(500);
    const before = t.weights.slice();
    const ids = [1, 250, 499];
    t.applyGradient(ids, Float32Array.from({ length: ids.length * DIM }, (_, k) => (k % 3) - 1));
    const after = t.weights;
    for (let row = 0; row < 500; row++) {
      const changed = after.subarray(row * DIM, (row + 1) * DIM).some((v, d) => v !== before[row * DIM + d]);
      expect(changed, `row ${row}`).toBe(ids.includes(row));
    }
  });

  it('accumulates duplicate ids in a batch into one step', () => {
    const g1 = Float32Array.from({ length: DIM }, (_, d) => 0.1 * (d + 1));
    const g2 = Float32Array.from({ length: DIM }, (_, d) => -0.03 * d);
    const twice = table(10);
    const summed = table(10);
    twice.applyGradient([4, 4], Float32Array.from([...g1, ...g2]));
    summed.applyGradient([4], g1.map((v, d) => v + g2[d]));
    expect(Array.from(twice.row(4))).toEqual(Array.from(summed.row(4)));
  });

  it('updates a row the same way in a 100-row and a 200,000-row table (the step reads only touched rows)', () => {
    const small = table(100);
    const large = table(200_000);
    const ids = [0, 7, 42, 7];
    const grad = Float32Array.from({ length: ids.length * DIM }, (_, k) => Math.cos(k));
    for (let step = 0; step < 5; step++) {
      small.applyGradient(ids, grad);
      large.applyGradient(ids, grad);
    }
    for (const id of ids) expect(Array.from(large.row(id))).toEqual(Array.from(small.row(id)));
  });

  it('grows on demand, keeping old rows, and a new row does not depend on how the table grew', () => {
    const stepwise = table(0);
    for (let rows = 1; rows <= 300; rows += 7) stepwise.ensureRows(rows);
    stepwise.ensureRows(300);
    const atOnce = table(300);
    expect(Array.from(stepwise.weights)).toEqual(Array.from(atOnce.weights));
    const kept = atOnce.row(5).slice();
    atOnce.ensureRows(5000);
    expect(atOnce.rows).toBe(5000);
    expect(Array.from(atOnce.row(5))).toEqual(Array.from(kept));
    expect(() => atOnce.row(5000)).toThrow(/out of range/);
  });

  it('pools weighted bags and routes the pooled gradient back to each row by its weight', () => {
    const t = table(20);
    const builder = new BagBuilder(2);
    builder.add(1, 0.25);
    builder.add(2, 0.75);
    builder.next();
    builder.next(); // an empty bag pools to zeros
    const bags = builder.build();
    const out = new Float32Array(2 * DIM);
    t.poolInto(bags, out);
    for (let d = 0; d < DIM; d++) expect(out[d]).toBeCloseTo(0.25 * t.row(1)[d] + 0.75 * t.row(2)[d], 6);
    expect(Array.from(out.subarray(DIM))).toEqual(new Array(DIM).fill(0));

    // One pooled step equals one gathered step with the weighted per-row gradients.
    const pooledGrad = Float32Array.from({ length: 2 * DIM }, (_, k) => 0.1 * (k + 1));
    const viaPool = table(20);
    const viaRows = table(20);
    viaPool.applyPooledGradient(bags, pooledGrad);
    viaRows.applyGradient([1, 2], Float32Array.from([...pooledGrad.subarray(0, DIM).map((g) => 0.25 * g), ...pooledGrad.subarray(0, DIM).map((g) => 0.75 * g)]));
    expect(Array.from(viaPool.weights)).toEqual(Array.from(viaRows.weights));
  });

  it('pools and routes gradients the same way when the width is not a multiple of four (the columns past the last four)', () => {
    const dim = 6;
    const make = (): SparseEmbedding => new SparseEmbedding('odd', dim, new Rng('odd'), { learningRate: 0.05, initialRows: 10 });
    const builder = new BagBuilder(2);
    builder.add(1, 0.25);
    builder.add(2, 0.75);
    builder.next();
    builder.add(3, 1);
    builder.next();
    const bags = builder.build();
    const t = make();
    const out = new Float32Array(2 * dim);
    t.poolInto(bags, out);
    for (let d = 0; d < dim; d++) expect(out[d]).toBeCloseTo(0.25 * t.row(1)[d] + 0.75 * t.row(2)[d], 6);
    expect(Array.from(out.subarray(dim))).toEqual(Array.from(t.row(3)));
    // Each bag's gradient reaches its own rows only, in every column.
    const pooledGrad = Float32Array.from({ length: 2 * dim }, (_, k) => 0.1 * (k + 1));
    const viaPool = make();
    const viaRows = make();
    viaPool.applyPooledGradient(bags, pooledGrad);
    const first = pooledGrad.subarray(0, dim);
    viaRows.applyGradient([1, 2, 3], Float32Array.from([...first.map((g) => 0.25 * g), ...first.map((g) => 0.75 * g), ...pooledGrad.subarray(dim)]));
    expect(Array.from(viaPool.weights)).toEqual(Array.from(viaRows.weights));
  });

  it('rejects bad ids and gradient shapes with precise messages', () => {
    const t = table(4);
    expect(() => t.gather([4])).toThrow('t: id 4 out of range [0, 4)');
    expect(() => t.applyGradient([0, 1], new Float32Array(DIM))).toThrow(/gradient has 8 values for 2 rows of 8/);
    expect(() => new SparseEmbedding('z', 0, new Rng('x'), { learningRate: 0.1 })).toThrow(/dim must be/);
  });
});

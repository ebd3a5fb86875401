/**
 * An id-embedding table kept as a plain Float32Array (rows × dim) and trained by a sparse
 * update of the rows a batch touched. tfjs cannot do this for us: the gradient of tf.gather
 * needs UnsortedSegmentSum, which the wasm backend lacks and the cpu backend runs in
 * O(rows × batch). So the model gathers (or pools) rows here, takes the gradient with respect
 * to the gathered tensor, and hands it back to `applyGradient`; a step costs O(batch × dim)
 * whatever the table size.
 *
 * Rows grow on demand (new items and users appear during a run) and are initialised in id
 * order from the table's own stream, so a row's initial value does not depend on when the
 * table grew.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng/index.js';
import { bagCount, type Bags } from './bags.js';

export type SparseOptimizer = 'adam' | 'adagrad';

export interface SparseEmbeddingOptions {
  readonly learningRate: number;
  readonly optimizer?: SparseOptimizer;
  /** Standard deviation of the normal initialisation. */
  readonly initScale?: number;
  readonly initialRows?: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

const DEFAULT_INIT_SCALE = 0.1;

export class SparseEmbedding {
  learningRate: number;
  private readonly optimizer: SparseOptimizer;
  private readonly initScale: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private n = 0;
  private table: Float32Array;
  /** Adam first moment (unused by Adagrad). */
  private m: Float32Array;
  /** Adam second moment, or Adagrad's sum of squared gradients. */
  private v: Float32Array;
  /** Updates each row has received: Adam's bias correction is per row, so a row first touched late starts at the right scale. */
  private steps: Int32Array;
  /** Scratch for de-duplicating ids: slot of each row in the current update, or -1. */
  private slotOf: Int32Array;
  /** Summed gradient of each touched row, by slot. */
  private accum = new Float32Array(0);
  /** Row id of each slot. */
  private touched = new Int32Array(0);
  private touchedCount = 0;
  /** Scratch: each bag entry's offset in `accum`. */
  private entryRows = new Int32Array(0);
  /** beta1^t and beta2^t interleaved, for t = 0, 1, … (Adam's bias corrections; `power`). */
  private powers = new Float64Array(0);

  constructor(
    readonly name: string,
    readonly dim: number,
    private readonly rng: Rng,
    options: SparseEmbeddingOptions,
  ) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`${name}: dim must be a whole number of 1 or more, got ${dim}`);
    if (!(options.learningRate > 0)) throw new RangeError(`${name}: learningRate must be positive, got ${options.learningRate}`);
    this.learningRate = options.learningRate;
    this.optimizer = options.optimizer ?? 'adam';
    this.initScale = options.initScale ?? DEFAULT_INIT_SCALE;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    const capacity = Math.max(16, options.initialRows ?? 0);
    this.table = new Float32Array(capacity * dim);
    this.m = new Float32Array(this.optimizer === 'adam' ? capacity * dim : 0);
    this.v = new Float32Array(capacity * dim);
    this.steps = new Int32Array(capacity);
    this.slotOf = new Int32Array(capacity).fill(-1);
    this.ensureRows(options.initialRows ?? 0);
  }

  /** Rows initialised so far. */
  get rows(): number {
    return this.n;
  }

  /** The table's values, row-major (a view: read-only to callers). */
  get weights(): Float32Array {
    return this.table.subarray(0, this.n * this.dim);
  }

  /** Makes ids 0..rows-1 valid, initialising new rows. */
  ensureRows(rows: number): void {
    if (rows <= this.n) return;
    if (rows > this.steps.length) this.grow(Math.max(rows, this.steps.length * 2));
    const { dim, table, rng, initScale } = this;
    for (let k = this.n * dim; k < rows * dim; k++) table[k] = initScale * rng.normal();
    this.n = rows;
  }

  /** A view of one row. */
  row(id: number): Float32Array {
    this.check(id);
    return this.table.subarray(id * this.dim, (id + 1) * this.dim);
  }

  /** The rows of `ids` as a [ids.length, dim] tensor. */
  gather(ids: ArrayLike<number>): tf.Tensor2D {
    const out = new Float32Array(ids.length * this.dim);
    for (let b = 0; b < ids.length; b++) {
      this.check(ids[b]);
      out.set(this.table.subarray(ids[b] * this.dim, (ids[b] + 1) * this.dim), b * this.dim);
    }
    return tf.tensor2d(out, [ids.length, this.dim]);
  }

  /**
   * Weighted sum of each bag's rows, written to `out` at row b, columns offset..offset+dim of a
   * row-major matrix with `stride` columns (so several tables can fill one input matrix).
   */
  poolInto(bags: Bags, out: Float32Array, stride = this.dim, offset = 0): void {
    const { dim, table } = this;
    const { ids, weights, offsets } = bags;
    const count = bagCount(bags);
    for (let j = 0; j < offsets[count]; j++) this.check(ids[j]);
    for (let b = 0; b < count; b++) {
      const base = b * stride + offset;
      const start = offsets[b];
      const end = offsets[b + 1];
      // Four columns at a time, summed in doubles over the bag, then stored once: ~2.5× faster
      // than adding row after row into the Float32 output.
      let d = 0;
      for (; d + 4 <= dim; d += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let j = start; j < end; j++) {
          const w = weights[j];
          const src = ids[j] * dim + d;
          s0 += w * table[src];
          s1 += w * table[src + 1];
          s2 += w * table[src + 2];
          s3 += w * table[src + 3];
        }
        out[base + d] = s0;
        out[base + d + 1] = s1;
        out[base + d + 2] = s2;
        out[base + d + 3] = s3;
      }
      for (; d < dim; d++) {
        let sum = 0;
        for (let j = start; j < end; j++) sum += weights[j] * table[ids[j] * dim + d];
        out[base + d] = sum;
      }
    }
  }

  /** Sparse update from the gradient of the loss with respect to gathered rows ([ids.length, dim]); duplicate ids accumulate. */
  applyGradient(ids: ArrayLike<number>, grad: Float32Array): void {
    this.accumulateGathered(ids, grad);
    this.step();
  }

  /** Sparse update from the gradient with respect to pooled bags (laid out as in `poolInto`). */
  applyPooledGradient(bags: Bags, grad: Float32Array, stride = this.dim, offset = 0): void {
    this.accumulatePooled(bags, grad, stride, offset);
    this.step();
  }

  /**
   * Adds a gathered-rows gradient to the pending update without stepping, so gradients from
   * several uses of the table in one batch (an item as target and in a history) make one step.
   */
  accumulateGathered(ids: ArrayLike<number>, grad: Float32Array): void {
    const { dim } = this;
    if (grad.length !== ids.length * dim) throw new RangeError(`${this.name}: gradient has ${grad.length} values for ${ids.length} rows of ${dim}`);
    this.reserve(ids.length);
    for (let b = 0; b < ids.length; b++) this.accumulate(ids[b], grad, b * dim, 1);
  }

  /** Adds a pooled-bags gradient to the pending update without stepping. */
  accumulatePooled(bags: Bags, grad: Float32Array, stride = this.dim, offset = 0): void {
    const count = bagCount(bags);
    if (grad.length < count * stride) throw new RangeError(`${this.name}: gradient too short for ${count} bags`);
    const { ids, weights, offsets } = bags;
    const entries = offsets[count];
    this.reserve(entries);
    if (this.entryRows.length < entries) this.entryRows = new Int32Array(entries);
    const { dim, accum, entryRows } = this;
    for (let j = 0; j < entries; j++) entryRows[j] = this.open(ids[j]) * dim;
    // Four columns of the bag's gradient row held in locals while its entries take them: each
    // accumulator element still sums its terms in the same order as one entry at a time.
    for (let b = 0; b < count; b++) {
      const from = b * stride + offset;
      const start = offsets[b];
      const end = offsets[b + 1];
      let d = 0;
      for (; d + 4 <= dim; d += 4) {
        const g0 = grad[from + d];
        const g1 = grad[from + d + 1];
        const g2 = grad[from + d + 2];
        const g3 = grad[from + d + 3];
        for (let j = start; j < end; j++) {
          const w = weights[j];
          const to = entryRows[j] + d;
          accum[to] += w * g0;
          accum[to + 1] += w * g1;
          accum[to + 2] += w * g2;
          accum[to + 3] += w * g3;
        }
      }
      for (; d < dim; d++) for (let j = start; j < end; j++) accum[entryRows[j] + d] += weights[j] * grad[from + d];
    }
  }

  /** Re-draws every row and forgets the optimiser state (a cold start). */
  reset(): void {
    const rows = this.n;
    this.n = 0;
    this.forgetMoments();
    this.ensureRows(rows);
  }

  /** The optimiser starts afresh from the current rows (after going back to rows that did not diverge). */
  forgetMoments(): void {
    this.m.fill(0);
    this.v.fill(0);
    this.steps.fill(0);
  }

  /** Sizes the scratch buffers for up to `moreRows` further distinct rows in the pending update. */
  private reserve(moreRows: number): void {
    const need = this.touchedCount + moreRows;
    if (this.touched.length < need) {
      const accum = new Float32Array(need * this.dim);
      accum.set(this.accum.subarray(0, this.touchedCount * this.dim));
      const touched = new Int32Array(need);
      touched.set(this.touched.subarray(0, this.touchedCount));
      this.accum = accum;
      this.touched = touched;
    }
  }

  /** Sums one gradient row (times weight) into the row's accumulator, opening it on first touch. */
  private accumulate(id: number, grad: Float32Array, from: number, weight: number): void {
    const { dim, accum } = this;
    const to = this.open(id) * dim;
    for (let d = 0; d < dim; d++) accum[to + d] += weight * grad[from + d];
  }

  /** The row's slot in the pending update, opened (zeroed) on first touch. */
  private open(id: number): number {
    this.check(id);
    let slot = this.slotOf[id];
    if (slot < 0) {
      slot = this.touchedCount++;
      this.slotOf[id] = slot;
      this.touched[slot] = id;
      this.accum.fill(0, slot * this.dim, (slot + 1) * this.dim);
    }
    return slot;
  }

  /** One optimiser step on every row with a pending gradient; clears the pending update. */
  step(): void {
    if (this.optimizer === 'adam') this.adamStep();
    else this.adagradStep();
    this.touchedCount = 0;
  }

  /**
   * Adam on each touched row at its own step count. The moments are read once and rounded to
   * float32 as stored (Math.fround), so the update uses the values the arrays hold, as when it read
   * them back; the bias corrections come from a table of powers instead of two Math.pow a row.
   */
  private adamStep(): void {
    const { dim, accum, table, m, v, learningRate: lr, beta1: b1, beta2: b2, epsilon } = this;
    const a1 = 1 - b1;
    const a2 = 1 - b2;
    for (let s = 0; s < this.touchedCount; s++) {
      const id = this.touched[s];
      this.slotOf[id] = -1;
      const t = ++this.steps[id];
      const c1 = 1 - this.power(t, 0);
      const c2 = 1 - this.power(t, 1);
      const base = id * dim;
      const g0 = s * dim;
      for (let d = 0; d < dim; d++) {
        const g = accum[g0 + d];
        const k = base + d;
        const mk = Math.fround(b1 * m[k] + a1 * g);
        const vk = Math.fround(b2 * v[k] + a2 * g * g);
        m[k] = mk;
        v[k] = vk;
        table[k] -= (lr * (mk / c1)) / (Math.sqrt(vk / c2) + epsilon);
      }
    }
  }

  private adagradStep(): void {
    const { dim, accum, table, v, learningRate: lr } = this;
    for (let s = 0; s < this.touchedCount; s++) {
      const id = this.touched[s];
      this.slotOf[id] = -1;
      const base = id * dim;
      const g0 = s * dim;
      for (let d = 0; d < dim; d++) {
        const g = accum[g0 + d];
        const k = base + d;
        const vk = Math.fround(v[k] + g * g);
        v[k] = vk;
        table[k] -= (lr * g) / (Math.sqrt(vk) + 1e-7);
      }
    }
  }

  /** beta1^t (which 0) or beta2^t (which 1), as Math.pow gives them, kept for every step count reached. */
  private power(t: number, which: 0 | 1): number {
    if (t >= this.powers.length >> 1) {
      const steps = Math.max(2 * (t + 1), 128);
      const grown = new Float64Array(2 * steps);
      grown.set(this.powers);
      for (let k = this.powers.length >> 1; k < grown.length >> 1; k++) {
        grown[2 * k] = Math.pow(this.beta1, k);
        grown[2 * k + 1] = Math.pow(this.beta2, k);
      }
      this.powers = grown;
    }
    return this.powers[2 * t + which];
  }

  private grow(capacity: number): void {
    const { dim } = this;
    const resize = <T extends Float32Array | Int32Array>(old: T, next: T): T => {
      next.set(old);
      return next;
    };
    this.table = resize(this.table, new Float32Array(capacity * dim));
    if (this.optimizer === 'adam') this.m = resize(this.m, new Float32Array(capacity * dim));
    this.v = resize(this.v, new Float32Array(capacity * dim));
    this.steps = resize(this.steps, new Int32Array(capacity));
    const slotOf = new Int32Array(capacity).fill(-1);
    slotOf.set(this.slotOf);
    this.slotOf = slotOf;
  }

  private check(id: number): void {
    if (!(id >= 0 && id < this.n && Number.isInteger(id))) throw new RangeError(`${this.name}: id ${id} out of range [0, ${this.n})`);
  }
}

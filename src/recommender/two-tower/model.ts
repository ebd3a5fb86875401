/**
 * The two-tower model. Each tower's input row is a concatenation of pooled embedding-table rows
 * (see features.ts) and a few numeric features, fed through a small MLP to `dim`; outputs are
 * L2-normalised, so a user–item score is a cosine, divided by the temperature in training.
 *
 * The id tables (items, tags, creators, countries; history items share the item table) are
 * SparseEmbeddings pooled in plain JS into each tower's input matrix. A training step takes
 * the gradient with respect to those matrices, scatters it back to the rows each bag
 * used, and steps only those rows: a step costs O(batch), whatever the catalog size. The MLPs
 * (ml/dense.ts) and the in-batch softmax (ml/in-batch-softmax.ts) are differentiated by hand
 * in typed arrays, with only their matrix products on the tfjs backend: the model holds no
 * tensors, and a step runs ~15 backend kernels instead of ~190 under tfjs's tape.
 */
import { Mlp } from '../../ml/dense.js';
import { inBatchSoftmax, normaliseRows } from '../../ml/in-batch-softmax.js';
import { SparseEmbedding } from '../../ml/sparse-embedding.js';
import type { RandomStreams } from '../../rng/index.js';
import { ITEM_NUMERIC, ITEM_SEGMENTS, USER_NUMERIC, USER_SEGMENTS, type TableName, type TowerInputs } from './features.js';

export interface TwoTowerModelOptions {
  readonly dim: number;
  readonly temperature: number;
  readonly learningRate: number;
  /** Width of each tower's hidden layer. */
  readonly hidden?: number;
}

/** A batch of positives: user inputs, item inputs, and per-item log sampling probability (logQ). */
export interface TrainBatch {
  readonly user: TowerInputs;
  readonly item: TowerInputs;
  readonly itemIds: Int32Array;
  /** log q(item) per example, subtracted from every logit in that item's column; null for no correction. */
  readonly logQ: Float32Array | null;
}

const TABLES: readonly TableName[] = ['item', 'tag', 'creator', 'country'];

export class TwoTowerModel {
  readonly dim: number;
  private readonly tables: Record<TableName, SparseEmbedding>;
  private readonly userTower: Mlp;
  private readonly itemTower: Mlp;

  constructor(
    private readonly options: TwoTowerModelOptions,
    streams: RandomStreams,
  ) {
    const { dim, learningRate } = options;
    this.dim = dim;
    const hidden = options.hidden ?? Math.max(64, 2 * dim);
    const table = (name: TableName): SparseEmbedding => new SparseEmbedding(name, dim, streams.stream(`table/${name}`), { learningRate });
    this.tables = { item: table('item'), tag: table('tag'), creator: table('creator'), country: table('country') };
    this.userTower = new Mlp('user', [USER_SEGMENTS.length * dim + USER_NUMERIC, hidden, dim], streams.stream('user-tower'), { learningRate });
    this.itemTower = new Mlp('item', [ITEM_SEGMENTS.length * dim + ITEM_NUMERIC, hidden, dim], streams.stream('item-tower'), { learningRate });
  }

  /** Grows the tables to cover new ids (new rows are freshly initialised). */
  ensureRows(sizes: Readonly<Record<TableName, number>>): void {
    for (const name of TABLES) this.tables[name].ensureRows(sizes[name]);
  }

  /** Cold start: every weight re-drawn, optimiser state forgotten. */
  reset(): void {
    for (const name of TABLES) this.tables[name].reset();
    this.userTower.reset();
    this.itemTower.reset();
  }

  /** Every trained value (the id tables, then both towers' weights and biases), as views: for the divergence check. */
  get parameters(): Float32Array[] {
    return [...TABLES.map((name) => this.tables[name].weights), ...this.userTower.parameters, ...this.itemTower.parameters];
  }

  /** Sets every trained value to another copy's (its `parameters`, in that order), e.g. one trained on another thread. */
  assignParameters(values: readonly Float32Array[]): void {
    const parameters = this.parameters;
    if (values.length !== parameters.length) throw new RangeError(`two_tower: ${values.length} parameter arrays for ${parameters.length}`);
    parameters.forEach((p, k) => {
      if (values[k].length !== p.length) throw new RangeError(`two_tower: parameter ${k} has ${values[k].length} values, expected ${p.length}`);
      p.set(values[k]);
    });
    this.userTower.weightsChanged();
    this.itemTower.weightsChanged();
  }

  /**
   * Goes back to earlier values (copies of `parameters`) after a retrain diverged, with the
   * optimisers started afresh; table rows added since keep their initial draws.
   */
  restoreParameters(values: readonly Float32Array[]): void {
    const parameters = this.parameters;
    if (values.length !== parameters.length) throw new RangeError(`two_tower: ${values.length} parameter arrays for ${parameters.length}`);
    parameters.forEach((p, k) => p.set(values[k])); // tables only grow: an earlier copy fits
    for (const name of TABLES) this.tables[name].forgetMoments();
    this.userTower.forgetMoments();
    this.itemTower.forgetMoments();
    this.userTower.weightsChanged();
    this.itemTower.weightsChanged();
  }

  /** Trainable values of both towers (the id tables not counted). */
  get towerParameters(): number {
    return this.userTower.parameterCount + this.itemTower.parameterCount;
  }

  /** Normalised user vectors, row-major [count × dim]. */
  embedUsers(inputs: TowerInputs): Float32Array {
    return this.embed(this.userTower, inputs);
  }

  /** Normalised item vectors, row-major [count × dim]. */
  embedItems(inputs: TowerInputs): Float32Array {
    return this.embed(this.itemTower, inputs);
  }

  /** One step of in-batch softmax with logQ correction; returns the batch's mean loss. */
  trainStep(batch: TrainBatch): number {
    const n = batch.itemIds.length;
    const user = this.userTower.forward(this.assemble(batch.user), n);
    const item = this.itemTower.forward(this.assemble(batch.item), n);
    // logits[b, j] = cos(u_b, v_j)/T − log q(item_j): popular items, over-sampled as negatives, are discounted.
    const { loss, dUser, dItem } = inBatchSoftmax(user.output, item.output, n, this.dim, {
      invTemperature: 1 / this.options.temperature,
      logQ: batch.logQ,
      ids: batch.itemIds,
    });
    const gradXu = this.userTower.backward(user, dUser);
    const gradXi = this.itemTower.backward(item, dItem);
    this.userTower.step();
    this.itemTower.step();
    this.scatter(batch.user, gradXu);
    this.scatter(batch.item, gradXi);
    for (const name of TABLES) this.tables[name].step();
    return loss;
  }

  /** Nothing to free: the model keeps its weights in typed arrays and holds no tensors. */
  dispose(): void {}

  private embed(tower: Mlp, inputs: TowerInputs): Float32Array {
    if (inputs.count === 0) return new Float32Array(0);
    return normaliseRows(tower.predict(this.assemble(inputs), inputs.count), inputs.count, this.dim).unit;
  }

  /** The tower's input matrix: each segment's pooled rows, then the numeric columns. */
  private assemble(inputs: TowerInputs): Float32Array {
    const { dim } = this;
    const width = inputs.segments.length * dim + inputs.numericWidth;
    const x = new Float32Array(inputs.count * width);
    inputs.segments.forEach((s, k) => this.tables[s.table].poolInto(s.bags, x, width, k * dim));
    const numericAt = inputs.segments.length * dim;
    for (let b = 0; b < inputs.count; b++) {
      x.set(inputs.numeric.subarray(b * inputs.numericWidth, (b + 1) * inputs.numericWidth), b * width + numericAt);
    }
    return x;
  }

  /** Routes the input-matrix gradient back to the table rows each segment pooled. */
  private scatter(inputs: TowerInputs, grad: Float32Array): void {
    const width = inputs.segments.length * this.dim + inputs.numericWidth;
    inputs.segments.forEach((s, k) => this.tables[s.table].accumulatePooled(s.bags, grad, width, k * this.dim));
  }
}

/**
 * The two-tower model. Each tower's input row is a concatenation of pooled embedding-table rows
 * (see features.ts) and a few numeric features, fed through a small MLP to `dim`; outputs are
 * L2-normalised, so a user–item score is a cosine, divided by the temperature in training.
 *
 * The id tables (items, tags, creators, countries; history items share the item table) are
 * SparseEmbeddings pooled in plain JS; tfjs sees only the pooled input matrices. A training
 * step takes the gradient with respect to those matrices, scatters it back to the rows each bag
 * used, and steps only those rows: a step costs O(batch), whatever the catalog size. The MLPs
 * are tfjs variables trained by a tfjs Adam optimiser.
 */
import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../../ml/dense.js';
import { matMulBt } from '../../ml/matmul.js';
import { OnnxGraph } from '../../ml/onnx/graph.js';
import { OnnxSession } from '../../ml/onnx/runtime.js';
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
/** Logit added where another example's positive is the same item: it is not a negative. */
const DUPLICATE_MASK = -1e4;

export class TwoTowerModel {
  readonly dim: number;
  private readonly tables: Record<TableName, SparseEmbedding>;
  private readonly userTower: Mlp;
  private readonly itemTower: Mlp;
  private optimizer: tf.Optimizer;
  /** Each tower's serving session on ONNX Runtime with the current weights (null where it is unavailable). */
  private readonly sessions = new Map<Mlp, OnnxSession | null>();

  constructor(
    private readonly options: TwoTowerModelOptions,
    streams: RandomStreams,
  ) {
    const { dim, learningRate } = options;
    this.dim = dim;
    const hidden = options.hidden ?? Math.max(64, 2 * dim);
    const table = (name: TableName): SparseEmbedding => new SparseEmbedding(name, dim, streams.stream(`table/${name}`), { learningRate });
    this.tables = { item: table('item'), tag: table('tag'), creator: table('creator'), country: table('country') };
    this.userTower = new Mlp('user', [USER_SEGMENTS.length * dim + USER_NUMERIC, hidden, dim], streams.stream('user-tower'));
    this.itemTower = new Mlp('item', [ITEM_SEGMENTS.length * dim + ITEM_NUMERIC, hidden, dim], streams.stream('item-tower'));
    this.optimizer = tf.train.adam(learningRate);
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
    this.towersChanged();
    this.optimizer.dispose();
    this.optimizer = tf.train.adam(this.options.learningRate);
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
    const xuValues = this.assemble(batch.user);
    const xiValues = this.assemble(batch.item);
    const mask = duplicateMask(batch.itemIds);
    const invTemp = 1 / this.options.temperature;
    const vars = [...this.userTower.variables, ...this.itemTower.variables];
    let loss = 0;
    let gradXu = new Float32Array(0);
    let gradXi = new Float32Array(0);
    tf.tidy(() => {
      const xu = tf.tensor2d(xuValues, [n, xuValues.length / n]);
      const xi = tf.tensor2d(xiValues, [n, xiValues.length / n]);
      const logQ = batch.logQ ? tf.tensor1d(batch.logQ) : null;
      const maskT = mask ? tf.tensor2d(mask, [n, n]) : null;
      const eye = tf.eye(n);
      const f = (): tf.Scalar => {
        const u = normalise(this.userTower.apply(xu));
        const v = normalise(this.itemTower.apply(xi));
        // logits[b, j] = cos(u_b, v_j)/T − log q(item_j): popular items, over-sampled as negatives, are discounted.
        let logits = tf.mul(matMulBt(u, v), invTemp);
        if (logQ) logits = tf.sub(logits, logQ);
        if (maskT) logits = tf.add(logits, maskT);
        // Softmax cross-entropy with the diagonal as labels. logSoftmax has its own gradient; tf.logSumExp's
        // goes through a broadcast Equal that is very slow on wasm.
        return tf.mul(tf.sum(tf.mul(tf.logSoftmax(logits), eye)), -1 / n);
      };
      const { value, grads } = tf.valueAndGrads(f)([xu, xi, ...vars]);
      this.optimizer.applyGradients(Object.fromEntries(vars.map((v, k) => [v.name, grads[k + 2]])));
      loss = value.dataSync()[0];
      gradXu = grads[0].dataSync() as Float32Array;
      gradXi = grads[1].dataSync() as Float32Array;
    });
    this.towersChanged();
    this.scatter(batch.user, gradXu);
    this.scatter(batch.item, gradXi);
    for (const name of TABLES) this.tables[name].step();
    return loss;
  }

  dispose(): void {
    this.towersChanged();
    this.userTower.dispose();
    this.itemTower.dispose();
    this.optimizer.dispose();
  }

  private embed(tower: Mlp, inputs: TowerInputs): Float32Array {
    if (inputs.count === 0) return new Float32Array(0);
    const x = this.assemble(inputs);
    const session = this.servingSession(tower);
    if (session) return session.run(x, inputs.count, tower.sizes[0])[0];
    // The tensor leaves tidy and is read outside it: tidy walks whatever it returns, element by
    // element for a typed array, which costs seconds for a large batch.
    const out = tf.tidy(() => normalise(tower.apply(tf.tensor2d(x, [inputs.count, x.length / inputs.count]))));
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  }

  /** The tower and the normalisation as an ONNX graph, once per change of weights. */
  private servingSession(tower: Mlp): OnnxSession | null {
    let session = this.sessions.get(tower);
    if (session === undefined) {
      const graph = new OnnxGraph();
      const x = graph.input('x', ['batch', tower.sizes[0]]);
      const y = tower.servingGraph(graph, x);
      // y / sqrt(Σ y² + 1e-12), as normalise() below.
      const squares = graph.node('ReduceSum', [graph.node('Mul', [y, y]), graph.ints([1])], { keepdims: 1 });
      const norm = graph.node('Sqrt', [graph.node('Add', [squares, graph.floats(new Float32Array([1e-12]), [])])]);
      const out = graph.node('Div', [y, norm]);
      graph.output(out, ['batch', this.dim]);
      session = OnnxSession.open(graph.serialise(`${tower.name}-tower`), x, [out]);
      this.sessions.set(tower, session);
    }
    return session;
  }

  /** The towers' weights changed: serving sessions are rebuilt on next use. */
  private towersChanged(): void {
    for (const session of this.sessions.values()) session?.dispose();
    this.sessions.clear();
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

function normalise(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12)));
}

/** Additive mask hiding same-item columns other than the example's own, or null when all items differ. */
function duplicateMask(itemIds: Int32Array): Float32Array | null {
  const n = itemIds.length;
  const firstAt = new Map<number, number>();
  let duplicates = false;
  for (let b = 0; b < n; b++) {
    if (firstAt.has(itemIds[b])) duplicates = true;
    else firstAt.set(itemIds[b], b);
  }
  if (!duplicates) return null;
  const mask = new Float32Array(n * n);
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < n; j++) if (j !== b && itemIds[j] === itemIds[b]) mask[b * n + j] = DUPLICATE_MASK;
  }
  return mask;
}

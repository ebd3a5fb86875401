/**
 * DCN-V2, parallel form: a cross network and a deep ReLU tower both read the input; their outputs
 * are concatenated into the shared representation, and one linear layer maps it to one logit per
 * head (all heads in one matMul, one column each).
 *
 * A cross layer's W is dim × dim, or with `cross_rank: r` the product of a dim × r and an r × dim
 * matrix (the paper's low-rank form, its production setting): x_{l+1} = x0 ⊙ ((x_l U_l + c_l) V_l
 * + b_l) + x_l, 2·dim·r multiply-adds a layer instead of dim². The bottleneck's bias c_l adds no
 * function (V_l carries it into b_l); it is there because the first layer's U shares its product,
 * and so its bias, with the first deep layer.
 *
 * The position tower is folded into that same matMul: the position one-hot is appended to the
 * shared representation, so its weights are one learned bias per (position, head), and they also
 * play the part of the heads' output bias (exactly one position is hot per row). The first cross
 * layer and the first deep layer read the same input, so they share one matMul too. Fewer,
 * larger ops per step: per-op overhead dominates small tensors on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxGraph } from '../../ml/onnx/graph.js';
import type { Rng } from '../../rng/index.js';
import { DcnV2OnnxTrainable } from './dcn-onnx-training.js';
import { DcnV2Trainable } from './dcn-training.js';
import { columnBlock, constant, glorotValues, rowBlock, variableFrom, zeros } from './layers.js';
import { crossRankOf, rankerModel } from './model-component.js';
import type { HeadReadout, RankerNetwork, ServingOutputs } from './model.js';
import type { TrainableNetwork } from './trainable.js';

export class DcnV2Network implements RankerNetwork {
  /** [dim, width + hidden[0]]: the first cross layer's W (or U) beside the first deep layer's. */
  private readonly firstWeights: tf.Variable;
  private readonly firstBias: tf.Variable;
  /** Cross layers after the first: W (dim × dim) or U (dim × rank). */
  private readonly crossWeights: tf.Variable[] = [];
  private readonly crossBiases: tf.Variable[] = [];
  /** Low rank only: every cross layer's V (rank × dim), the first's included. */
  private readonly upWeights: tf.Variable[] = [];
  private readonly upBiases: tf.Variable[] = [];
  /** Deep layers after the first. */
  private readonly deepWeights: tf.Variable[] = [];
  private readonly deepBiases: tf.Variable[] = [];
  /** [dim + hidden[-1] + positions, heads]. */
  private readonly headWeights: tf.Variable;
  private readonly deepSizes: readonly number[];

  constructor(
    private readonly dim: number,
    private readonly crossLayers: number,
    hidden: readonly number[],
    private readonly heads: number,
    private readonly positions: number,
    rng: Rng,
    /** null: full rank. */
    private readonly crossRank: number | null = null,
  ) {
    if (crossLayers < 1) throw new RangeError('dcn_v2: needs at least one cross layer');
    this.deepSizes = [dim, ...hidden];
    const width = crossRank ?? dim;
    const firstDeep = hidden[0] ?? 0;
    // Column blocks with their own Glorot limits, side by side in one matrix.
    const cross = glorotValues(rng, dim, width);
    const deep = glorotValues(rng, dim, firstDeep);
    const first = new Float32Array(dim * (width + firstDeep));
    for (let i = 0; i < dim; i++) {
      first.set(cross.subarray(i * width, (i + 1) * width), i * (width + firstDeep));
      first.set(deep.subarray(i * firstDeep, (i + 1) * firstDeep), i * (width + firstDeep) + width);
    }
    this.firstWeights = variableFrom(first, [dim, width + firstDeep]);
    this.firstBias = zeros([width + firstDeep]);
    for (let l = 1; l < crossLayers; l++) {
      this.crossWeights.push(variableFrom(glorotValues(rng, dim, width), [dim, width]));
      this.crossBiases.push(zeros([width]));
    }
    for (let l = 0; crossRank !== null && l < crossLayers; l++) {
      this.upWeights.push(variableFrom(glorotValues(rng, width, dim), [width, dim]));
      this.upBiases.push(zeros([dim]));
    }
    for (let l = 1; l < hidden.length; l++) {
      this.deepWeights.push(variableFrom(glorotValues(rng, hidden[l - 1], hidden[l]), [hidden[l - 1], hidden[l]]));
      this.deepBiases.push(zeros([hidden[l]]));
    }
    const shared = dim + (hidden.length > 0 ? hidden[hidden.length - 1] : 0);
    // All zero: every head starts at its base rate (setOutputBias) and moves only as far as its
    // labels take it. A random start would leave a head with few labels (survey) at a random offset.
    this.headWeights = zeros([shared + positions, heads]);
  }

  /** Columns of a cross layer's first product: dim, or the rank. */
  private get crossWidth(): number {
    return this.crossRank ?? this.dim;
  }

  get variables(): tf.Variable[] {
    return [
      this.firstWeights,
      this.firstBias,
      ...this.crossWeights,
      ...this.crossBiases,
      ...this.upWeights,
      ...this.upBiases,
      ...this.deepWeights,
      ...this.deepBiases,
      this.headWeights,
    ];
  }

  trainable(): TrainableNetwork {
    const { dim, crossLayers, crossRank, deepSizes, heads, positions } = this;
    const shape = { dim, crossLayers, crossRank, deepSizes, heads, positions };
    const values = this.variables.map((v) => v.dataSync() as Float32Array);
    return DcnV2OnnxTrainable.open(shape, values) ?? new DcnV2Trainable(shape, values);
  }

  apply(x0: tf.Tensor2D, positionOneHot: tf.Tensor2D): tf.Tensor2D {
    // One concat of every part (no intermediate shared tensor): training's op count stays as it was.
    return tf.matMul(tf.concat([...this.sharedParts(x0), positionOneHot], 1), this.headWeights as tf.Tensor2D);
  }

  /** Every head reads the same shared layer (cross output beside the last deep layer). */
  applyWithRepresentation(x0: tf.Tensor2D, positionOneHot: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    const parts = this.sharedParts(x0);
    const shared = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
    return [tf.matMul(tf.concat([shared, positionOneHot], 1), this.headWeights as tf.Tensor2D), shared];
  }

  get representationDim(): number {
    return this.dim + (this.deepSizes.length > 1 ? this.deepSizes[this.deepSizes.length - 1] : 0);
  }

  readout(head: number): HeadReadout {
    const all = this.headWeights.dataSync();
    const shared = this.representationDim;
    const column = (from: number, count: number) => Float32Array.from({ length: count }, (_, i) => all[(from + i) * this.heads + head]);
    return { weights: column(0, shared), positionBias: column(shared, this.positions) };
  }

  /** The cross output and the last deep layer: concatenated, what the heads read. */
  private sharedParts(x0: tf.Tensor2D): tf.Tensor2D[] {
    const first = tf.fused.matMul({ a: x0, b: this.firstWeights as tf.Tensor2D, bias: this.firstBias }) as tf.Tensor2D;
    const hasDeep = this.deepSizes.length > 1;
    const [w0, deepIn] = hasDeep ? tf.split(first, [this.crossWidth, this.deepSizes[1]], 1) : [first, null];
    // Low rank: each layer's product continues through its V.
    const up = (w: tf.Tensor2D, l: number): tf.Tensor2D =>
      l < this.upWeights.length ? (tf.fused.matMul({ a: w, b: this.upWeights[l] as tf.Tensor2D, bias: this.upBiases[l] }) as tf.Tensor2D) : w;
    let x: tf.Tensor2D = tf.add(tf.mul(x0, up(w0 as tf.Tensor2D, 0)), x0);
    for (let l = 0; l < this.crossWeights.length; l++) {
      const w = tf.fused.matMul({ a: x, b: this.crossWeights[l] as tf.Tensor2D, bias: this.crossBiases[l] }) as tf.Tensor2D;
      x = tf.add(tf.mul(x0, up(w, l + 1)), x) as tf.Tensor2D;
    }
    if (!deepIn) return [x];
    let h = tf.relu(deepIn) as tf.Tensor2D;
    for (let l = 0; l < this.deepWeights.length; l++) {
      h = tf.fused.matMul({ a: h, b: this.deepWeights[l] as tf.Tensor2D, bias: this.deepBiases[l], activation: 'relu' }) as tf.Tensor2D;
    }
    return [x, h];
  }

  servingGraph(graph: OnnxGraph, x: string, head: number | null): ServingOutputs {
    const { dim, crossWidth: C } = this;
    const firstDeep = this.deepSizes.length > 1 ? this.deepSizes[1] : 0;
    const first = this.firstWeights.dataSync() as Float32Array;
    const firstBias = this.firstBias.dataSync() as Float32Array;
    const up = (w: string, l: number) => (l < this.upWeights.length ? graph.node('Gemm', [w, constant(graph, this.upWeights[l]), constant(graph, this.upBiases[l])]) : w);
    const w0 = graph.node('Gemm', [x, graph.floats(columnBlock(first, dim, C + firstDeep, 0, C), [dim, C]), graph.floats(firstBias.slice(0, C), [C])]);
    let cross = graph.node('Add', [graph.node('Mul', [x, up(w0, 0)]), x]);
    for (let l = 0; l < this.crossWeights.length; l++) {
      const w = graph.node('Gemm', [cross, constant(graph, this.crossWeights[l]), constant(graph, this.crossBiases[l])]);
      cross = graph.node('Add', [graph.node('Mul', [x, up(w, l + 1)]), cross]);
    }
    let shared = cross;
    if (firstDeep > 0) {
      const deepIn = [graph.floats(columnBlock(first, dim, C + firstDeep, C, firstDeep), [dim, firstDeep]), graph.floats(firstBias.slice(C), [firstDeep])];
      let h = graph.node('Relu', [graph.node('Gemm', [x, ...deepIn])]);
      for (let l = 0; l < this.deepWeights.length; l++) h = graph.node('Relu', [graph.node('Gemm', [h, constant(graph, this.deepWeights[l]), constant(graph, this.deepBiases[l])])]);
      shared = graph.node('Concat', [cross, h], { axis: 1 });
    }
    // Position 0's row of the head weights is the heads' bias at serving.
    const width = this.representationDim;
    const heads = this.headWeights.dataSync() as Float32Array;
    const readout = graph.floats(rowBlock(heads, this.heads, 0, width), [width, this.heads]);
    const logits = graph.node('Gemm', [shared, readout, graph.floats(rowBlock(heads, this.heads, width, 1), [this.heads])]);
    // An output only when a head asks for it: ONNX Runtime copies every output into a fresh
    // buffer per call, here rows × representationDim floats.
    return { logits, representation: head === null ? null : shared };
  }

  setOutputBias(bias: Float32Array): void {
    // Every position's bias starts at the head's base-rate logit.
    const shared = this.representationDim;
    tf.tidy(() => {
      const current = this.headWeights.dataSync().slice();
      for (let p = 0; p < this.positions; p++) current.set(bias, (shared + p) * this.heads);
      this.headWeights.assign(tf.tensor2d(current, [shared + this.positions, this.heads]));
    });
  }

  get multiplyAdds(): number {
    const hidden = this.deepSizes.slice(1);
    let deep = 0;
    for (let l = 0; l < hidden.length; l++) deep += this.deepSizes[l] * hidden[l];
    // A layer's products (one, or U then V) and its elementwise product.
    const products = this.crossRank === null ? 1 : 2;
    const cross = this.crossLayers * (products * this.dim * this.crossWidth + this.dim);
    const shared = this.dim + (hidden.length > 0 ? hidden[hidden.length - 1] : 0);
    // The position one-hot contributes one add per head.
    return cross + deep + shared * this.heads + this.heads;
  }
}

/** `ranker.model: dcn_v2` (the default). */
export const DCN_V2_MODEL = rankerModel({
  name: 'dcn_v2',
  settings: {},
  check: null,
  build: (settings, shape) =>
    new DcnV2Network(shape.dim, settings.cross_layers, settings.hidden, shape.heads, shape.positions, shape.rng, crossRankOf(settings)),
});

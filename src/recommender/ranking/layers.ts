/**
 * Small building blocks shared by the ranker networks: seeded weight initialisation and the
 * DCN-V2 cross network (MMoE's shared bottom). Layers are plain tfjs variables and fused ops, not tf.layers models:
 * per-op overhead dominates small tensors on the wasm backend, so fewer, fused ops per step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OnnxGraph } from '../../ml/onnx/graph.js';
import type { Rng } from '../../rng/index.js';

/** Glorot-uniform values for a fanIn × fanOut matrix from the seeded stream (tfjs's initialisers have their own seeds). */
export function glorotValues(rng: Rng, fanIn: number, fanOut: number, count = fanIn * fanOut): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const values = new Float32Array(count);
  for (let k = 0; k < count; k++) values[k] = rng.uniform(-limit, limit);
  return values;
}

/** A trainable variable holding `values`. */
export function variableFrom(values: Float32Array, shape: readonly number[]): tf.Variable {
  // tidy frees the initial-value tensor; the variable itself survives tidy.
  return tf.tidy(() => tf.variable(tf.tensor(values, [...shape]), true));
}

/** Glorot-uniform weights of the given shape (fans given separately for batched shapes). */
export function glorot(rng: Rng, shape: readonly number[], fanIn: number, fanOut: number): tf.Variable {
  return variableFrom(glorotValues(rng, fanIn, fanOut, shape.reduce((a, b) => a * b, 1)), shape);
}

export function zeros(shape: readonly number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros([...shape]), true));
}

/**
 * DCN-V2 cross network, `layers` deep: x_{l+1} = x0 ⊙ (W_l x_l + b_l) + x_l, with W_l dim × dim,
 * or with a rank r the product of a dim × r U_l and an r × dim V_l: x0 ⊙ ((x_l U_l + c_l) V_l +
 * b_l) + x_l (dcn.ts says why the bottleneck has a bias). Each layer raises the polynomial degree
 * of feature interactions by one.
 */
export class CrossNetwork {
  /** W (dim × dim) or U (dim × rank), and b or c. */
  readonly weights: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];
  /** Low rank only: V (rank × dim) and b. */
  readonly upWeights: tf.Variable[] = [];
  readonly upBiases: tf.Variable[] = [];

  constructor(
    readonly dim: number,
    readonly layers: number,
    rng: Rng,
    /** null: full rank. */
    readonly rank: number | null = null,
  ) {
    const width = rank ?? dim;
    for (let l = 0; l < layers; l++) {
      this.weights.push(glorot(rng, [dim, width], dim, width));
      this.biases.push(zeros([width]));
    }
    for (let l = 0; rank !== null && l < layers; l++) {
      this.upWeights.push(glorot(rng, [width, dim], width, dim));
      this.upBiases.push(zeros([dim]));
    }
  }

  get variables(): tf.Variable[] {
    return [...this.weights, ...this.biases, ...this.upWeights, ...this.upBiases];
  }

  apply(x0: tf.Tensor2D): tf.Tensor2D {
    let x = x0;
    for (let l = 0; l < this.layers; l++) {
      let w = tf.fused.matMul({ a: x, b: this.weights[l] as tf.Tensor2D, bias: this.biases[l] });
      if (this.rank !== null) w = tf.fused.matMul({ a: w, b: this.upWeights[l] as tf.Tensor2D, bias: this.upBiases[l] });
      x = tf.add(tf.mul(x0, w), x);
    }
    return x;
  }

  /** The cross network in an ONNX serving graph, reading `x0`. */
  servingGraph(graph: OnnxGraph, x0: string): string {
    let x = x0;
    for (let l = 0; l < this.layers; l++) {
      let w = graph.node('Gemm', [x, constant(graph, this.weights[l]), constant(graph, this.biases[l])]);
      if (this.rank !== null) w = graph.node('Gemm', [w, constant(graph, this.upWeights[l]), constant(graph, this.upBiases[l])]);
      x = graph.node('Add', [graph.node('Mul', [x0, w]), x]);
    }
    return x;
  }

  get multiplyAdds(): number {
    // The products (one, or U then V) plus the elementwise product, per layer.
    const products = this.rank === null ? this.dim * this.dim : 2 * this.dim * this.rank;
    return this.layers * (products + this.dim);
  }
}

/** A variable's current values as a constant of an ONNX graph. */
export function constant(graph: OnnxGraph, variable: tf.Variable): string {
  return graph.floats(variable.dataSync() as Float32Array, variable.shape);
}

/** Columns [from, from + count) of a row-major rows × cols matrix. */
export function columnBlock(matrix: Float32Array, rows: number, cols: number, from: number, count: number): Float32Array {
  const out = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) out.set(matrix.subarray(r * cols + from, r * cols + from + count), r * count);
  return out;
}

/** Rows [from, from + count) of a row-major matrix with `cols` columns. */
export function rowBlock(matrix: Float32Array, cols: number, from: number, count: number): Float32Array {
  return matrix.slice(from * cols, (from + count) * cols);
}

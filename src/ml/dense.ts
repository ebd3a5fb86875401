/**
 * A small multi-layer perceptron as plain tfjs variables (ReLU between layers, linear output),
 * initialised from a seeded stream so a run replays exactly. Kept minimal on purpose: few ops
 * per forward pass, because per-op overhead dominates small tensors on the wasm backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../rng/index.js';
import { matMul2d } from './matmul.js';
import type { OnnxGraph } from './onnx/graph.js';

export class Mlp {
  private readonly weights: tf.Variable<tf.Rank.R2>[] = [];
  private readonly biases: tf.Variable<tf.Rank.R1>[] = [];

  /** `sizes` = [inputs, hidden..., outputs]. */
  constructor(
    readonly name: string,
    readonly sizes: readonly number[],
    private readonly rng: Rng,
  ) {
    if (sizes.length < 2) throw new RangeError(`${name}: an MLP needs at least input and output sizes`);
    for (let l = 0; l + 1 < sizes.length; l++) {
      // Inside tidy: the starting tensors are freed once the variables hold their values.
      this.weights.push(tf.tidy(() => tf.variable(this.glorot(sizes[l], sizes[l + 1]), true)));
      this.biases.push(tf.tidy(() => tf.variable(tf.zeros([sizes[l + 1]]), true)));
    }
  }

  /** Trainable variables, weights then bias per layer. */
  get variables(): tf.Variable[] {
    return this.weights.flatMap((w, l) => [w, this.biases[l]]);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    for (let l = 0; l < this.weights.length; l++) {
      h = tf.add(matMul2d(h, this.weights[l]), this.biases[l]);
      if (l + 1 < this.weights.length) h = tf.relu(h);
    }
    return h;
  }

  /** `apply` with the current weights in an ONNX serving graph, reading `x`; returns the output's name. */
  servingGraph(graph: OnnxGraph, x: string): string {
    let h = x;
    for (let l = 0; l < this.weights.length; l++) {
      const w = graph.floats(this.weights[l].dataSync() as Float32Array, this.weights[l].shape);
      const b = graph.floats(this.biases[l].dataSync() as Float32Array, this.biases[l].shape);
      h = graph.node('Gemm', [h, w, b]);
      if (l + 1 < this.weights.length) h = graph.node('Relu', [h]);
    }
    return h;
  }

  /** Fresh weights from the stream (a cold start). */
  reset(): void {
    tf.tidy(() => {
      for (let l = 0; l < this.weights.length; l++) {
        this.weights[l].assign(this.glorot(this.sizes[l], this.sizes[l + 1]));
        this.biases[l].assign(tf.zeros([this.sizes[l + 1]]));
      }
    });
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  /** Glorot-uniform weights drawn from the seeded stream (tfjs's own initialisers use their own seeds). */
  private glorot(fanIn: number, fanOut: number): tf.Tensor2D {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = new Float32Array(fanIn * fanOut);
    for (let k = 0; k < values.length; k++) values[k] = this.rng.uniform(-limit, limit);
    return tf.tensor2d(values, [fanIn, fanOut]);
  }
}

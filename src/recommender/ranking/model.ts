/**
 * The ranker's network with its position tower. The network (DCN-V2 or MMoE, listed in
 * models.ts) maps features to one logit per head; the position tower (position one-hot → one learned bias per head) is added
 * during training, so the network does not have to explain position bias as relevance. At
 * serving every candidate is scored as if shown at position 0.
 */
import * as tf from '@tensorflow/tfjs-core';
import { OnnxGraph } from '../../ml/onnx/graph.js';
import { OnnxSession } from '../../ml/onnx/runtime.js';
import type { Rng } from '../../rng/index.js';
import type { RankerConfig } from './config.js';
import { buildRankerNetwork } from './models.js';
import type { TrainableNetwork } from './trainable.js';

/** Positions at or beyond this share the last position's bias. */
export const MAX_POSITIONS = 32;
/** Rows per forward pass at serving, bounding memory for very large batches. */
const PREDICT_CHUNK = 16_384;

export interface RankerNetwork {
  readonly variables: tf.Variable[];
  /** Logits [batch, heads] from features [batch, dim] and the position one-hot [batch, MAX_POSITIONS]. */
  apply(x: tf.Tensor2D, positionOneHot: tf.Tensor2D): tf.Tensor2D;
  /** Width of the representation `head` reads (its last shared layer). */
  readonly representationDim: number;
  /**
   * The logits of `apply` and, from the same pass, the representation [batch, representationDim]
   * head `head` reads: its logit is representation · readout(head).weights + the position's bias.
   */
  applyWithRepresentation(x: tf.Tensor2D, positionOneHot: tf.Tensor2D, head: number): [tf.Tensor2D, tf.Tensor2D];
  /** Head `head`'s linear readout of its representation, and its bias per position. */
  readout(head: number): HeadReadout;
  /** Sets every position's output bias to these per-head logits (base rates, before the first training). */
  setOutputBias(bias: Float32Array): void;
  /** Multiply-adds per example of `apply`. */
  readonly multiplyAdds: number;
  /** The training pass over typed copies of the current weights (trainer.ts; written back by RankerModel.assignWeights). */
  trainable(): TrainableNetwork;
  /**
   * Writes `apply` at position 0 (serving) into an ONNX graph reading [batch, dim] features `x`,
   * with the current weights: the logits, and with `head` the representation that head reads.
   */
  servingGraph(graph: OnnxGraph, x: string, head: number | null): ServingOutputs;
}

/** Names of a serving graph's outputs. */
export interface ServingOutputs {
  readonly logits: string;
  /** The representation of the head asked for (null when none was). */
  readonly representation: string | null;
}

export interface HeadReadout {
  readonly weights: Float32Array;
  readonly positionBias: Float32Array;
}

/** Logits and the representation of one head, both flat and row-major. */
export interface RepresentedPrediction {
  /** n × heads. */
  readonly logits: Float32Array;
  /** n × representationDim. */
  readonly representation: Float32Array;
}

export class RankerModel {
  readonly network: RankerNetwork;
  /** Serving sessions on ONNX Runtime with the current weights, by representation head (-1: none); null where it is unavailable. */
  private readonly sessions = new Map<number, OnnxSession | null>();

  constructor(
    config: RankerConfig,
    readonly dim: number,
    readonly heads: number,
    rng: Rng,
  ) {
    this.network = buildRankerNetwork(config, { dim, heads, positions: MAX_POSITIONS, rng });
  }

  get variables(): tf.Variable[] {
    return this.network.variables;
  }

  /** Multiply-adds per candidate at serving. */
  get multiplyAddsPerCandidate(): number {
    return this.network.multiplyAdds;
  }

  /** Logits with each example's position bias ([batch, MAX_POSITIONS] one-hot). */
  forward(x: tf.Tensor2D, positionOneHot: tf.Tensor2D): tf.Tensor2D {
    return this.network.apply(x, positionOneHot);
  }

  /** Sets every position's output bias to these per-head logits (see RankerNetwork.setOutputBias). */
  setOutputBias(bias: Float32Array): void {
    this.network.setOutputBias(bias);
    this.weightsChanged();
  }

  /** Sets every variable to the given values (in the order and layout of `variables`), e.g. trained copies. */
  assignWeights(values: readonly Float32Array[]): void {
    const variables = this.variables;
    if (values.length !== variables.length) throw new RangeError(`ranker: ${values.length} weight arrays for ${variables.length} variables`);
    tf.tidy(() => variables.forEach((v, k) => v.assign(tf.tensor(values[k], v.shape))));
    this.weightsChanged();
  }

  /** The weights were changed (trained, or their output bias set): serving sessions are rebuilt on next use. */
  weightsChanged(): void {
    for (const session of this.sessions.values()) session?.dispose();
    this.sessions.clear();
  }

  /**
   * Logits for n rows of features (row-major, n × dim), as a flat n × heads array. With
   * `positions` each row gets its logged position's bias (for held-out evaluation, on tfjs);
   * without, position 0's (serving, on ONNX Runtime where it is available).
   */
  predict(x: Float32Array, n: number, positions: Int32Array | null = null): Float32Array {
    const out = new Float32Array(n * this.heads);
    const session = positions === null ? this.servingSession(null) : null;
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, n - start);
      if (session) {
        out.set(session.run(x.subarray(start * this.dim), rows, this.dim)[0], start * this.heads);
        continue;
      }
      const logits = tf.tidy(() => {
        const xs = tf.tensor2d(x.subarray(start * this.dim, (start + rows) * this.dim), [rows, this.dim]);
        const shown = positions === null ? new Int32Array(rows) : positions.subarray(start, start + rows);
        return this.forward(xs, tf.tensor2d(positionOneHot(shown), [rows, MAX_POSITIONS]));
      });
      out.set(logits.dataSync(), start * this.heads);
      logits.dispose();
    }
    return out;
  }

  /**
   * Like predict (position 0 unless `positions`), plus the representation head `head` reads for
   * every row, from the same forward pass.
   */
  predictWithRepresentation(x: Float32Array, n: number, head: number, positions: Int32Array | null = null): RepresentedPrediction {
    const width = this.network.representationDim;
    const logits = new Float32Array(n * this.heads);
    const representation = new Float32Array(n * width);
    const session = positions === null ? this.servingSession(head) : null;
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, n - start);
      if (session) {
        const [l, r] = session.run(x.subarray(start * this.dim), rows, this.dim);
        logits.set(l, start * this.heads);
        representation.set(r, start * width);
        continue;
      }
      const [l, r] = tf.tidy(() => {
        const xs = tf.tensor2d(x.subarray(start * this.dim, (start + rows) * this.dim), [rows, this.dim]);
        const shown = positions === null ? new Int32Array(rows) : positions.subarray(start, start + rows);
        return this.network.applyWithRepresentation(xs, tf.tensor2d(positionOneHot(shown), [rows, MAX_POSITIONS]), head);
      });
      logits.set(l.dataSync(), start * this.heads);
      representation.set(r.dataSync(), start * width);
      l.dispose();
      r.dispose();
    }
    return { logits, representation };
  }

  dispose(): void {
    this.weightsChanged();
    for (const v of this.variables) v.dispose();
  }

  private servingSession(head: number | null): OnnxSession | null {
    const key = head ?? -1;
    let session = this.sessions.get(key);
    if (session === undefined) {
      const graph = new OnnxGraph();
      const x = graph.input('x', ['batch', this.dim]);
      const outputs = this.network.servingGraph(graph, x, head);
      const names = outputs.representation === null ? [outputs.logits] : [outputs.logits, outputs.representation];
      graph.output(outputs.logits, ['batch', this.heads]);
      if (outputs.representation !== null) graph.output(outputs.representation, ['batch', this.network.representationDim]);
      session = OnnxSession.open(graph.serialise('ranker'), x, names);
      this.sessions.set(key, session);
    }
    return session;
  }
}

/** Row-major one-hot of positions, clipped to MAX_POSITIONS - 1. */
export function positionOneHot(positions: ArrayLike<number>, out = new Float32Array(positions.length * MAX_POSITIONS)): Float32Array {
  out.fill(0, 0, positions.length * MAX_POSITIONS);
  for (let i = 0; i < positions.length; i++) out[i * MAX_POSITIONS + Math.min(MAX_POSITIONS - 1, Math.max(0, positions[i]))] = 1;
  return out;
}

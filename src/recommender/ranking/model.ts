/**
 * The ranker's network with its position tower. The network (DCN-V2 or MMoE, listed in
 * models.ts) maps features to one logit per head; the position tower (position one-hot → one learned bias per head) is added
 * during training, so the network does not have to explain position bias as relevance. At
 * serving every candidate is scored as if shown at position 0.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../rng/index.js';
import type { RankerConfig } from './config.js';
import { buildRankerNetwork } from './models.js';

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

  /**
   * Logits for n rows of features (row-major, n × dim), as a flat n × heads array. With
   * `positions` each row gets its logged position's bias (for held-out evaluation); without,
   * position 0's (serving).
   */
  predict(x: Float32Array, n: number, positions: Int32Array | null = null): Float32Array {
    const out = new Float32Array(n * this.heads);
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, n - start);
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
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const rows = Math.min(PREDICT_CHUNK, n - start);
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
    for (const v of this.variables) v.dispose();
  }
}

/** Row-major one-hot of positions, clipped to MAX_POSITIONS - 1. */
export function positionOneHot(positions: ArrayLike<number>, out = new Float32Array(positions.length * MAX_POSITIONS)): Float32Array {
  out.fill(0, 0, positions.length * MAX_POSITIONS);
  for (let i = 0; i < positions.length; i++) out[i * MAX_POSITIONS + Math.min(MAX_POSITIONS - 1, Math.max(0, positions[i]))] = 1;
  return out;
}

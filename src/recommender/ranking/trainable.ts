/**
 * A ranker network's training pass in typed arrays: copies of its weights, a forward pass to the
 * logits and a hand-written backward pass to every weight's gradient. Under tfjs's tape a step
 * was hundreds of small kernels (forward, gradients, Adam); here the products run on the
 * backend (typed-matmul.ts) and the rest are a few passes in JS. The tfjs variables stay the one
 * source of the weights between trainings: the trainer copies them out, trains the copies and
 * writes them back (RankerModel.assignWeights).
 */

export interface TrainableNetwork {
  /** The weights, in the order and layout (row-major) of RankerNetwork.variables. */
  readonly parameters: readonly Float32Array[];
  /** Gradients of the last backward pass, as `parameters`. */
  readonly gradients: readonly Float32Array[];
  /**
   * Logits (rows × heads) of `rows` feature rows (rows × dim) shown at `positions` (already
   * clipped to the network's positions); keeps what `backward` needs.
   */
  forward(x: Float32Array, positions: Int32Array, rows: number): Float32Array;
  /** Every weight's gradient from d loss / d logits of the last forward pass. */
  backward(dLogits: Float32Array): void;
}

/** Fresh copies of tfjs values, and gradient arrays of the same sizes. */
export function copiesOf(values: readonly Float32Array[]): { parameters: Float32Array[]; gradients: Float32Array[] } {
  return { parameters: values.map((v) => Float32Array.from(v)), gradients: values.map((v) => new Float32Array(v.length)) };
}

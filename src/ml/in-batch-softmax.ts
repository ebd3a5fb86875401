/**
 * The two-tower in-batch softmax as one op with a hand-written gradient. Written with tfjs ops
 * it was ~30 kernels per step, and on the wasm backend the n × n ones dominated: Exp (scalar,
 * ~18 ns an element), logSoftmax's gradient, and the transposes of the n × n gradient. Here
 * the tower outputs are read out once (n × dim, small), normalised in JS, the n × n logits come
 * from one untransposed wasm matmul, and softmax, loss and the logits' gradient are computed in
 * typed arrays; the backward pass is two more untransposed matmuls and the normalisation's
 * gradient in JS.
 *
 * Loss, for raw tower outputs x_b (users) and y_j (items), u = x/‖x‖, v = y/‖y‖:
 *   logits[b, j] = u_b·v_j / T − logQ[j] + (mask where j ≠ b and ids[j] = ids[b])
 *   loss = −(1/n) Σ_b log softmax(logits[b])[b]
 */
import * as tf from '@tensorflow/tfjs';
import { matMul, matMulsSharing, transpose } from './typed-matmul.js';

export interface InBatchSoftmaxOptions {
  /** 1 / temperature. */
  readonly invTemperature: number;
  /** log q of each column's item, subtracted from that column's logits; null for no correction. */
  readonly logQ: Float32Array | null;
  /** Each example's positive item: another example's positive of the same item is masked, not a negative. */
  readonly ids: Int32Array;
  /** Added to a masked logit (large and negative). */
  readonly duplicateMask: number;
}

/** Added under the square root, as tfjs's normalisation did: a zero row stays finite. */
const NORM_EPSILON = 1e-12;

export interface InBatchSoftmaxResult {
  /** Mean loss over the batch. */
  readonly loss: number;
  /** d loss / d user outputs, [n × dim]. */
  readonly dUser: Float32Array;
  /** d loss / d item outputs, [n × dim]. */
  readonly dItem: Float32Array;
}

/** Loss and gradients of [n × dim] user and item tower outputs (row b's positive is item row b), in typed arrays. */
export function inBatchSoftmax(userOut: Float32Array, itemOut: Float32Array, n: number, dim: number, options: InBatchSoftmaxOptions): InBatchSoftmaxResult {
  if (userOut.length !== n * dim || itemOut.length !== n * dim) throw new RangeError(`inBatchSoftmax: ${userOut.length} user and ${itemOut.length} item values for [${n} × ${dim}]`);
  if (options.ids.length !== n || (options.logQ && options.logQ.length !== n)) throw new RangeError(`inBatchSoftmax: ids/logQ do not have ${n} entries`);
  const u = normaliseRows(userOut, n, dim);
  const v = normaliseRows(itemOut, n, dim);
  const scores = matMul(u.unit, n, dim, transpose(v.unit, n, dim), n);
  const { loss, dLogits } = softmaxCrossEntropy(scores, n, options);
  // dU = dL·V (n × dim); dVᵀ = Uᵀ·dL (dim × n): both untransposed products, one upload of dL.
  const [dU, dVt] = matMulsSharing(dLogits, n, n, { right: v.unit, cols: dim }, { left: transpose(u.unit, n, dim), rows: dim });
  const dV = transpose(dVt, dim, n);
  return { loss, dUser: normaliseGradient(dU, u, n, dim), dItem: normaliseGradient(dV, v, n, dim) };
}

/** The same as a tfjs op, for code differentiated by tfjs (and for testing against tfjs's own gradient). */
export function inBatchSoftmaxLoss(userOut: tf.Tensor2D, itemOut: tf.Tensor2D, options: InBatchSoftmaxOptions): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y] = args as [tf.Tensor2D, tf.Tensor2D];
    const [n, dim] = x.shape;
    if (y.shape[0] !== n || y.shape[1] !== dim) throw new RangeError(`inBatchSoftmaxLoss: user outputs [${x.shape}] and item outputs [${y.shape}] differ`);
    const result = inBatchSoftmax(x.dataSync() as Float32Array, y.dataSync() as Float32Array, n, dim, options);
    return {
      value: tf.scalar(result.loss),
      gradFunc: (dy: tf.Tensor) => {
        const scale = (dy.dataSync() as Float32Array)[0];
        return [tf.tensor2d(result.dUser.map((g) => g * scale), [n, dim]), tf.tensor2d(result.dItem.map((g) => g * scale), [n, dim])];
      },
    };
  });
  return op(userOut, itemOut) as tf.Scalar;
}

interface Normalised {
  /** Rows scaled to unit length, [n × dim]. */
  readonly unit: Float32Array;
  /** 1 / sqrt(‖row‖² + ε) per row. */
  readonly inverseNorm: Float64Array;
}

export function normaliseRows(x: Float32Array, n: number, dim: number): Normalised {
  const unit = new Float32Array(n * dim);
  const inverseNorm = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    const base = b * dim;
    let sq = 0;
    for (let d = 0; d < dim; d++) sq += x[base + d] * x[base + d];
    const r = 1 / Math.sqrt(sq + NORM_EPSILON);
    inverseNorm[b] = r;
    for (let d = 0; d < dim; d++) unit[base + d] = x[base + d] * r;
  }
  return { unit, inverseNorm };
}

/** Gradient with respect to the raw rows x from the one with respect to u = x·r: r·(g − u (u·g)). */
function normaliseGradient(g: Float32Array, rows: Normalised, n: number, dim: number): Float32Array {
  const { unit, inverseNorm } = rows;
  const out = new Float32Array(n * dim);
  for (let b = 0; b < n; b++) {
    const base = b * dim;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += unit[base + d] * g[base + d];
    const r = inverseNorm[b];
    for (let d = 0; d < dim; d++) out[base + d] = r * (g[base + d] - unit[base + d] * dot);
  }
  return out;
}

/**
 * Softmax of each row of the logits against its diagonal label: the mean loss, and the loss's
 * gradient with respect to the raw scores (u·v, before 1/T), [n × n].
 */
export function softmaxCrossEntropy(scores: Float32Array, n: number, options: InBatchSoftmaxOptions): { loss: number; dLogits: Float32Array } {
  const { invTemperature, logQ, ids, duplicateMask } = options;
  const duplicates = hasDuplicates(ids);
  const dLogits = new Float32Array(n * n);
  const row = new Float64Array(n);
  const minusLogQ = new Float64Array(n);
  if (logQ) for (let j = 0; j < n; j++) minusLogQ[j] = -logQ[j];
  const toScores = invTemperature / n;
  let total = 0;
  for (let b = 0; b < n; b++) {
    const base = b * n;
    let top = -Infinity;
    for (let j = 0; j < n; j++) {
      const z = scores[base + j] * invTemperature + minusLogQ[j];
      row[j] = z;
      if (z > top) top = z;
    }
    const label = row[b];
    if (duplicates) {
      const id = ids[b];
      for (let j = 0; j < n; j++) if (ids[j] === id && j !== b) row[j] += duplicateMask;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = exp(row[j] - top);
      row[j] = e;
      sum += e;
    }
    total += top + Math.log(sum) - label;
    // d loss / d score[b, j] = (softmax[b, j] − [j = b]) / (n T).
    const toRow = toScores / sum;
    for (let j = 0; j < n; j++) dLogits[base + j] = row[j] * toRow;
    dLogits[base + b] -= toScores;
  }
  return { loss: total / n, dLogits };
}

/** 2^k for k = −POW2_OFFSET .. POW2_OFFSET − 1, the scale step of `exp`. */
const POW2_OFFSET = 1100;
const POW2 = Float64Array.from({ length: 2 * POW2_OFFSET }, (_, i) => Math.pow(2, i - POW2_OFFSET));
/** Adding and subtracting 1.5·2^52 rounds a double to the nearest integer (faster than Math.round). */
const ROUND_SHIFT = 6755399441055744;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;

/**
 * e^x to ~1e-8 relative error, 2–3× faster than Math.exp under V8 (the softmax's n² exponentials
 * were its largest cost): x = k ln2 + r with |r| ≤ ln2/2, e^r by its degree-7 Taylor polynomial,
 * times 2^k from a table. Exported for its test.
 */
export function exp(x: number): number {
  if (!(x > -740)) return x !== x ? NaN : 0;
  if (x > 709) return Infinity;
  const k = x * Math.LOG2E + ROUND_SHIFT - ROUND_SHIFT;
  const r = x - k * LN2_HI - k * LN2_LO;
  const p = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  return p * POW2[k + POW2_OFFSET];
}

function hasDuplicates(ids: Int32Array): boolean {
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

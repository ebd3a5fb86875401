/**
 * The two-tower in-batch softmax as one computation with a hand-written gradient. Written with
 * tfjs ops it was ~30 kernels per step, and on the wasm backend the n × n ones dominated: Exp
 * (scalar, ~18 ns an element), logSoftmax's gradient, and transposes of the n × n gradient.
 * Here the tower outputs are normalised in JS, the n × n scores come from one untransposed
 * matmul on the backend, and one pass over them computes each logit's exponential, the loss and
 * the unnormalised softmax; the backward pass is two more untransposed matmuls sharing that
 * matrix, and the normalisation's gradient in JS.
 *
 * Loss, for raw tower outputs x_b (users) and y_j (items), u = x/‖x‖, v = y/‖y‖:
 *   logits[b, j] = u_b·v_j / T − logQ[j], and −∞ where j ≠ b and ids[j] = ids[b]
 *   loss = −(1/n) Σ_b log softmax(logits[b])[b]
 */
import * as tf from '@tensorflow/tfjs-core';
import { inBatchSoftmaxOnnx } from './onnx/in-batch-softmax-graph.js';
import { matMul, matMulsSharing, transpose } from './typed-matmul.js';

export interface InBatchSoftmaxOptions {
  /** 1 / temperature. */
  readonly invTemperature: number;
  /** log q of each column's item, subtracted from that column's logits; null for no correction. */
  readonly logQ: Float32Array | null;
  /** Each example's positive item: another example's positive of the same item is masked out, not a negative. */
  readonly ids: Int32Array;
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
  const onnx = inBatchSoftmaxOnnx(u.unit, v.unit, n, dim, options.invTemperature, options.logQ, options.ids);
  if (onnx) return { loss: onnx.loss, dUser: normaliseGradient(onnx.dUnitUser, u, n, dim), dItem: normaliseGradient(onnx.dUnitItem, v, n, dim) };
  const scores = matMul(u.unit, n, dim, transpose(v.unit, n, dim), n);
  const { loss, exps, inverseSums } = softmaxCrossEntropy(scores, n, options);
  // d loss / d score[b, j] = (e[b, j]/sum_b − [j = b]) / (n T). With E the unnormalised
  // exponentials: dU = (diag(1/sum)·E·V − V)/(nT), dV = (Eᵀ·diag(1/sum)·U − U)/(nT); the first
  // terms are E·V and (diag(1/sum)·U)ᵀ·E, two untransposed products sharing E.
  const scaledUt = new Float32Array(dim * n);
  for (let b = 0; b < n; b++) for (let d = 0; d < dim; d++) scaledUt[d * n + b] = u.unit[b * dim + d] * inverseSums[b];
  const [ev, ut] = matMulsSharing(exps, n, n, { right: v.unit, cols: dim }, { left: scaledUt, rows: dim });
  const toScores = options.invTemperature / n;
  const dU = new Float32Array(n * dim);
  const dV = new Float32Array(n * dim);
  for (let b = 0; b < n; b++) {
    for (let d = 0; d < dim; d++) {
      const k = b * dim + d;
      dU[k] = toScores * (ev[k] * inverseSums[b] - v.unit[k]);
      dV[k] = toScores * (ut[d * n + b] - u.unit[k]);
    }
  }
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
 * One pass over the scores: each row's exponentials (unnormalised, duplicates zeroed), their
 * sum, and the loss. The shift that keeps exp in range is one bound for every row, T⁻¹ + max_j
 * (−logQ[j]) (a cosine is at most 1), which saves a pass for each row's maximum; when the
 * logits span too much for that (float32 would underflow below e^−87), each row's own maximum
 * over its unmasked columns is used instead.
 */
function softmaxCrossEntropy(scores: Float32Array, n: number, options: InBatchSoftmaxOptions): { loss: number; exps: Float32Array; inverseSums: Float64Array } {
  const { invTemperature, logQ, ids } = options;
  const duplicates = duplicateColumns(ids);
  const exps = scratchExps(n * n);
  const inverseSums = new Float64Array(n);
  const minusLogQ = new Float64Array(n);
  if (logQ) for (let j = 0; j < n; j++) minusLogQ[j] = -logQ[j];
  let lowest = Infinity;
  let highest = -Infinity;
  for (let j = 0; j < n; j++) {
    lowest = Math.min(lowest, minusLogQ[j]);
    highest = Math.max(highest, minusLogQ[j]);
  }
  const sharedShift = 2 * invTemperature + (highest - lowest) < MAX_SHARED_SPAN;
  let total = 0;
  for (let b = 0; b < n; b++) {
    const base = b * n;
    let top = invTemperature + highest;
    if (!sharedShift) {
      // The maximum of the columns left after masking: a masked duplicate far above them all would
      // shift them below float32's range, and their sum to 0.
      top = -Infinity;
      for (let j = 0; j < n; j++) if (j === b || ids[j] !== ids[b]) top = Math.max(top, scores[base + j] * invTemperature + minusLogQ[j]);
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = exp(scores[base + j] * invTemperature + minusLogQ[j] - top);
      exps[base + j] = e;
      sum += e;
    }
    if (duplicates.starts[b] < duplicates.starts[b + 1]) {
      for (let k = duplicates.starts[b]; k < duplicates.starts[b + 1]; k++) exps[base + duplicates.columns[k]] = 0;
      // Summed again rather than subtracted: a dominant masked term would cancel badly.
      sum = 0;
      for (let j = 0; j < n; j++) sum += exps[base + j];
    }
    inverseSums[b] = 1 / sum;
    total += top + Math.log(sum) - (scores[base + b] * invTemperature + minusLogQ[b]);
  }
  return { loss: total / n, exps, inverseSums };
}

/**
 * One n × n buffer reused across steps: a megabyte of garbage a step otherwise, which V8 counts
 * as external memory and lets pile up between collections (+70 MiB peak RSS in the two-stage
 * bench). Safe to reuse: its only reader, the tensor made from it in matMulsSharing, is
 * disposed before inBatchSoftmax returns.
 */
let exps = new Float32Array(0);
function scratchExps(size: number): Float32Array {
  if (exps.length < size) exps = new Float32Array(size);
  // Every element is written by the pass that takes it.
  return exps.subarray(0, size);
}

/** Widest logit range (max − min over a batch) the shared shift takes: e^−80 is still a normal float32. */
const MAX_SHARED_SPAN = 80;

/** For each row b, the other rows whose id equals b's (compressed: columns[starts[b] .. starts[b+1])). */
function duplicateColumns(ids: Int32Array): { starts: Int32Array; columns: Int32Array } {
  const n = ids.length;
  const rowsOf = new Map<number, number[]>();
  for (let b = 0; b < n; b++) {
    const rows = rowsOf.get(ids[b]);
    if (rows) rows.push(b);
    else rowsOf.set(ids[b], [b]);
  }
  const starts = new Int32Array(n + 1);
  const columns: number[] = [];
  for (let b = 0; b < n; b++) {
    for (const j of rowsOf.get(ids[b]) ?? []) if (j !== b) columns.push(j);
    starts[b + 1] = columns.length;
  }
  return { starts, columns: Int32Array.from(columns) };
}

/** 2^k for k = −POW2_OFFSET .. POW2_OFFSET − 1, the scale step of `exp`. */
const POW2_OFFSET = 1100;
const POW2 = Float64Array.from({ length: 2 * POW2_OFFSET }, (_, i) => Math.pow(2, i - POW2_OFFSET));
/** Adding and subtracting 1.5·2^52 rounds a double to the nearest integer (faster than Math.round). */
const ROUND_SHIFT = 6755399441055744;
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
/** ln of the largest double: above it e^x overflows. */
const LN_MAX_DOUBLE = Math.log(Number.MAX_VALUE);

/**
 * e^x to ~1e-8 relative error, 2–3× faster than Math.exp under V8 (the softmax's n² exponentials
 * were its largest cost): x = k ln2 + r with |r| ≤ ln2/2, e^r by its degree-7 Taylor polynomial,
 * times 2^k from a table. Exported for its test.
 */
export function exp(x: number): number {
  if (!(x > -740)) return x !== x ? NaN : 0;
  if (x > LN_MAX_DOUBLE) return Infinity;
  const k = x * Math.LOG2E + ROUND_SHIFT - ROUND_SHIFT;
  const r = x - k * LN2_HI - k * LN2_LO;
  const p = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040)))))));
  // 2^1024 itself overflows: the top of the range takes it in two steps.
  return k > 1023 ? p * POW2[k - 1 + POW2_OFFSET] * 2 : p * POW2[k + POW2_OFFSET];
}

/**
 * The wasm backend multiplies through XNNPACK only when neither operand is transposed; with
 * `transposeA` or `transposeB` it falls back to a plain loop that runs 3–10× slower (measured
 * here: 0.1–0.5 against 1.3–5 GFLOP/s at the ranker's shapes). Every backward pass of a matMul
 * asks for exactly those two products (dA = dY·Bᵀ, dB = Aᵀ·dY), so training ran mostly in the
 * slow loop. This wraps the backend's two matmul kernels so that the product always runs on the
 * fast path, after copying out transposed whichever operands need it (a memory move).
 *
 * A plain product has two ways there: C = op(A)·op(B) with the transposed operands copied, or
 * Cᵀ = op(B)ᵀ·op(A)ᵀ, where a transposed operand is used as it is stored and the others and
 * the result are copied. The second wins when a large operand is the transposed one, as in a
 * gradient like dV = dLᵀ·U with dL batch × batch.
 */
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

let installed = false;

/** Installs the wrapped kernels once; call after the wasm backend is set. */
export function useFastWasmMatMul(): void {
  if (installed) return;
  installed = true;
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm backend: no Transpose kernel');
  for (const name of MATMUL_KERNELS) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) throw new Error(`wasm backend: no ${name} kernel`);
    tf.unregisterKernel(name, 'wasm');
    // The fused kernel adds a bias along C's columns, so only the plain product may go through Cᵀ.
    const mayTransposeResult = name === 'BatchMatMul';
    const untransposedMatMul = (args: KernelArgs) => multiplyUntransposed(args, original.kernelFunc, transpose.kernelFunc, mayTransposeResult);
    tf.registerKernel({ ...original, kernelFunc: untransposedMatMul });
  }
}

function multiplyUntransposed(args: KernelArgs, matMul: tf.KernelFunc, transpose: tf.KernelFunc, mayTransposeResult: boolean): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const transposeA = attrs?.transposeA === true;
  const transposeB = attrs?.transposeB === true;
  if (!transposeA && !transposeB) return matMul(args) as tf.TensorInfo;
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  const copies: tf.TensorInfo[] = [];
  const swapLastAxes = (x: tf.TensorInfo): tf.TensorInfo => {
    const rank = x.shape.length;
    const perm = [...x.shape.keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    return transpose({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
  };
  const copied = (x: tf.TensorInfo): tf.TensorInfo => {
    const copy = swapLastAxes(x);
    copies.push(copy);
    return copy;
  };
  const plain = { ...attrs, transposeA: false, transposeB: false };
  const size = (x: tf.TensorInfo): number => x.shape.reduce((p, d) => p * d, 1);
  const rows = a.shape[a.shape.length - (transposeA ? 1 : 2)];
  const cols = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  const batch = size(a) / (a.shape[a.shape.length - 1] * a.shape[a.shape.length - 2]);
  const copiedDirect = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
  const copiedViaResult = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + batch * rows * cols;
  let out: tf.TensorInfo;
  if (mayTransposeResult && copiedViaResult < copiedDirect) {
    const resultT = matMul({ inputs: { a: transposeB ? b : copied(b), b: transposeA ? a : copied(a) }, backend, attrs: plain }) as tf.TensorInfo;
    out = swapLastAxes(resultT);
    copies.push(resultT);
  } else {
    out = matMul({ inputs: { ...inputs, a: transposeA ? copied(a) : a, b: transposeB ? copied(b) : b }, backend, attrs: plain }) as tf.TensorInfo;
  }
  // The kernel runs on the active backend, which owns the copies.
  for (const copy of copies) tf.backend().disposeData(copy.dataId);
  return out;
}

/**
 * The wasm backend multiplies through XNNPACK only when neither operand is transposed; with
 * `transposeA` or `transposeB` it falls back to a plain loop that runs 3–10× slower (measured
 * here: 0.1–0.5 against 1.3–5 GFLOP/s at the ranker's shapes). Every backward pass of a matMul
 * asks for exactly those two products (dA = dY·Bᵀ, dB = Aᵀ·dY), so training ran mostly in the
 * slow loop. This wraps the backend's two matmul kernels: a transposed operand is first copied
 * out transposed (a memory move), then multiplied on the fast path.
 */
import * as tf from '@tensorflow/tfjs';

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
    const untransposedMatMul = (args: KernelArgs) => multiplyUntransposed(args, original.kernelFunc, transpose.kernelFunc);
    tf.registerKernel({ ...original, kernelFunc: untransposedMatMul });
  }
}

function multiplyUntransposed(args: KernelArgs, matMul: tf.KernelFunc, transpose: tf.KernelFunc): ReturnType<tf.KernelFunc> {
  const { inputs, backend, attrs } = args;
  const transposeA = attrs?.transposeA === true;
  const transposeB = attrs?.transposeB === true;
  if (!transposeA && !transposeB) return matMul(args);
  const copies: tf.TensorInfo[] = [];
  const untransposed = (operand: tf.TensorInfo): tf.TensorInfo => {
    const rank = operand.shape.length;
    const perm = [...operand.shape.keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    const copy = transpose({ inputs: { x: operand }, backend, attrs: { perm } }) as tf.TensorInfo;
    copies.push(copy);
    return copy;
  };
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  const out = matMul({
    inputs: { ...inputs, a: transposeA ? untransposed(a) : a, b: transposeB ? untransposed(b) : b },
    backend,
    attrs: { ...attrs, transposeA: false, transposeB: false },
  });
  // The kernel runs on the active backend, which owns the copies.
  for (const copy of copies) tf.backend().disposeData(copy.dataId);
  return out;
}

/**
 * Row-major float products on ONNX Runtime's Gemm, one thread: at the training shapes here
 * (1024 × 83 · 83 × 339, 512 × 32 · 32 × 512, …) 4–15× the tfjs wasm backend's rate, and it reads
 * a transposed operand in place instead of copying it (`npx tsx bench/matmul.ts`). One session per
 * layout, opened on first use; where ONNX Runtime is unavailable (or RECLOOP_INFERENCE=tfjs)
 * `gemm` returns null and the caller multiplies on tfjs.
 */
import { OnnxGraph } from './graph.js';
import { inferenceBackend, OnnxSession } from './runtime.js';

/** Which operands are read transposed. */
type Layout = 'nn' | 'tn' | 'nt' | 'tt';

const sessions = new Map<Layout, OnnxSession | null>();

function sessionFor(transA: boolean, transB: boolean): OnnxSession | null {
  const layout: Layout = `${transA ? 't' : 'n'}${transB ? 't' : 'n'}`;
  let session = sessions.get(layout);
  if (session === undefined) {
    const graph = new OnnxGraph();
    const a = graph.input('a', transA ? ['k', 'm'] : ['m', 'k']);
    const b = graph.input('b', transB ? ['n', 'k'] : ['k', 'n']);
    const c = graph.node('Gemm', [a, b], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 });
    graph.output(c, ['m', 'n']);
    session = OnnxSession.open(graph.serialise(`gemm_${layout}`), a, [c]);
    sessions.set(layout, session);
  }
  return session;
}

/**
 * op(a)·op(b) with a stored as `aDims` and b as `bDims` (row-major, before the transposes), or
 * null where ONNX Runtime does not run.
 */
export function gemm(a: Float32Array, aDims: readonly [number, number], b: Float32Array, bDims: readonly [number, number], transA: boolean, transB: boolean): Float32Array | null {
  if (inferenceBackend() !== 'onnxruntime') return null;
  const session = sessionFor(transA, transB);
  if (!session) return null;
  return session.runInputs({ a: { data: a, dims: aDims }, b: { data: b, dims: bDims } })[0];
}

const affineSessions = new Map<boolean, OnnxSession | null>();

/**
 * x·w + bias (bias along the columns), through a ReLU when `relu`, in one call: a dense layer's
 * forward pass, or null where ONNX Runtime does not run.
 */
export function affineGemm(x: Float32Array, rows: number, fanIn: number, w: Float32Array, fanOut: number, bias: Float32Array, relu: boolean): Float32Array | null {
  if (inferenceBackend() !== 'onnxruntime') return null;
  let session = affineSessions.get(relu);
  if (session === undefined) {
    const graph = new OnnxGraph();
    const input = graph.input('x', ['m', 'k']);
    graph.input('w', ['k', 'n']);
    graph.input('b', ['n']);
    const z = graph.node('Gemm', [input, 'w', 'b']);
    const out = relu ? graph.node('Relu', [z]) : z;
    graph.output(out, ['m', 'n']);
    session = OnnxSession.open(graph.serialise(relu ? 'affine_relu' : 'affine'), input, [out]);
    affineSessions.set(relu, session);
  }
  if (!session) return null;
  return session.runInputs({ x: { data: x, dims: [rows, fanIn] }, w: { data: w, dims: [fanIn, fanOut] }, b: { data: bias, dims: [fanOut] } })[0];
}

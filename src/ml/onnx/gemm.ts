/**
 * Row-major float products on ONNX Runtime's Gemm, one thread: at the training shapes here
 * (1024 × 83 · 83 × 339, 512 × 32 · 32 × 512, …) 4–15× the tfjs wasm backend's rate, and it reads
 * a transposed operand in place instead of copying it (`npx tsx bench/matmul.ts`). One session per
 * graph, opened on first use; where ONNX Runtime is unavailable (or RECLOOP_INFERENCE=tfjs)
 * `gemm` returns null and the caller multiplies on tfjs.
 */
import { OnnxGraph } from './graph.js';
import { inferenceBackend, OnnxSession } from './runtime.js';

/** Sessions opened so far, by graph name (null where ONNX Runtime would not open one). */
const sessions = new Map<string, OnnxSession | null>();

/** The session of the graph `name`, built by `build` (which returns its input and outputs) on first use. */
function sessionOf(name: string, build: (graph: OnnxGraph) => { input: string; outputs: string[] }): OnnxSession | null {
  let session = sessions.get(name);
  if (session === undefined) {
    const graph = new OnnxGraph();
    const { input, outputs } = build(graph);
    session = OnnxSession.open(graph.serialise(name), input, outputs);
    sessions.set(name, session);
  }
  return session;
}

/**
 * op(a)·op(b) with a stored as `aDims` and b as `bDims` (row-major, before the transposes), or
 * null where ONNX Runtime does not run.
 */
export function gemm(a: Float32Array, aDims: readonly [number, number], b: Float32Array, bDims: readonly [number, number], transA: boolean, transB: boolean): Float32Array | null {
  if (inferenceBackend() !== 'onnxruntime') return null;
  const session = sessionOf(`gemm_${transA ? 't' : 'n'}${transB ? 't' : 'n'}`, (graph) => {
    const x = graph.input('a', transA ? ['k', 'm'] : ['m', 'k']);
    graph.input('b', transB ? ['n', 'k'] : ['k', 'n']);
    const c = graph.node('Gemm', [x, 'b'], { transA: transA ? 1 : 0, transB: transB ? 1 : 0 });
    graph.output(c, ['m', 'n']);
    return { input: x, outputs: [c] };
  });
  if (!session) return null;
  return session.runInputs({ a: { data: a, dims: aDims }, b: { data: b, dims: bDims } })[0];
}

/**
 * x·w + bias (bias along the columns), through a ReLU when `relu`, in one call: a dense layer's
 * forward pass, or null where ONNX Runtime does not run.
 */
export function affineGemm(x: Float32Array, rows: number, fanIn: number, w: Float32Array, fanOut: number, bias: Float32Array, relu: boolean): Float32Array | null {
  if (inferenceBackend() !== 'onnxruntime') return null;
  const session = sessionOf(relu ? 'affine_relu' : 'affine', (graph) => {
    const input = graph.input('x', ['m', 'k']);
    graph.input('w', ['k', 'n']);
    graph.input('b', ['n']);
    const z = graph.node('Gemm', [input, 'w', 'b']);
    const out = relu ? graph.node('Relu', [z]) : z;
    graph.output(out, ['m', 'n']);
    return { input, outputs: [out] };
  });
  if (!session) return null;
  return session.runInputs({ x: { data: x, dims: [rows, fanIn] }, w: { data: w, dims: [fanIn, fanOut] }, b: { data: bias, dims: [fanOut] } })[0];
}

/**
 * A serving session for an MLP (ReLU between layers, linear output) with these weights baked in
 * as constants: `weights[l]` is sizes[l] × sizes[l + 1], `biases[l]` sizes[l + 1]. ONNX Runtime
 * packs constant weights once, when the session opens, so a call costs about half of one that
 * feeds them (two rows through 136 → 64 → 32: ~14 against ~29 µs), and a row's output is the same
 * whatever rows share its call, where fed weights take another kernel for a single row. Null where
 * ONNX Runtime does not run.
 */
export function mlpSession(sizes: readonly number[], weights: readonly Float32Array[], biases: readonly Float32Array[]): OnnxSession | null {
  if (inferenceBackend() !== 'onnxruntime') return null;
  const graph = new OnnxGraph();
  const input = graph.input('x', ['m', sizes[0]]);
  const layers = sizes.length - 1;
  let h = input;
  for (let l = 0; l < layers; l++) {
    const z = graph.node('Gemm', [h, graph.floats(weights[l], [sizes[l], sizes[l + 1]]), graph.floats(biases[l], [sizes[l + 1]])]);
    h = l + 1 < layers ? graph.node('Relu', [z]) : z;
  }
  graph.output(h, ['m', sizes[layers]]);
  return OnnxSession.open(graph.serialise('mlp'), input, [h]);
}

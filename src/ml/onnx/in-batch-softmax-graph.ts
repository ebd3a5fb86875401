/**
 * The in-batch softmax's loss and its gradient with respect to the unit vectors, as one ONNX
 * Runtime graph: the n × n scores, the masked softmax (its exponentials vectorised there, where
 * JavaScript takes one call a logit) and both gradient products in one native call.
 * Where ONNX Runtime does not run, `inBatchSoftmaxOnnx` returns null and in-batch-softmax.ts
 * computes the same in typed arrays.
 */
import { OnnxGraph } from './graph.js';
import { inferenceBackend, OnnxSession } from './runtime.js';

/** Added to the logit of a column that repeats the row's item: its exponential is exactly 0. */
const MASKED = -1e30;
/** Item ids travel as float32: exact below 2^24. */
const LARGEST_EXACT_ID = 2 ** 24;

let session: OnnxSession | null | undefined;

function open(): OnnxSession | null {
  const graph = new OnnxGraph();
  const u = graph.input('u', ['n', 'd']);
  graph.input('v', ['n', 'd']);
  graph.input('minus_log_q', [1, 'n']);
  graph.input('ids_row', [1, 'n']);
  graph.input('ids_col', ['n', 1]);
  graph.input('inv_t', [1]);
  graph.input('inv_n', [1]);
  const scores = graph.node('Gemm', [u, 'v'], { transB: 1 });
  const eye = graph.node('EyeLike', [scores]);
  // Columns whose item is the row's, other than the diagonal: masked out, not negatives.
  const same = graph.node('Cast', [graph.node('Equal', ['ids_col', 'ids_row'])], { to: 1 });
  const mask = graph.node('Mul', [graph.node('Sub', [same, eye]), graph.floats(Float32Array.of(MASKED), [1])]);
  const logits = graph.node('Add', [graph.node('Add', [graph.node('Mul', [scores, 'inv_t']), 'minus_log_q']), mask]);
  const logP = graph.node('LogSoftmax', [logits], { axis: 1 });
  const loss = graph.node('Mul', [graph.node('ReduceSum', [graph.node('Mul', [logP, eye])], { keepdims: 0 }), graph.node('Neg', ['inv_n'])]);
  // d loss / d score = (softmax − I) / (n T).
  const dScores = graph.node('Mul', [graph.node('Sub', [graph.node('Exp', [logP]), eye]), graph.node('Mul', ['inv_t', 'inv_n'])]);
  const dU = graph.node('MatMul', [dScores, 'v']);
  const dV = graph.node('Gemm', [dScores, u], { transA: 1 });
  graph.output(loss, [1]);
  graph.output(dU, ['n', 'd']);
  graph.output(dV, ['n', 'd']);
  return OnnxSession.open(graph.serialise('in_batch_softmax'), u, [loss, dU, dV]);
}

export interface UnitGradients {
  readonly loss: number;
  /** d loss / d unit user vectors, [n × dim]. */
  readonly dUnitUser: Float32Array;
  /** d loss / d unit item vectors, [n × dim]. */
  readonly dUnitItem: Float32Array;
}

/**
 * Loss and unit-vector gradients for unit user rows `u` and item rows `v` ([n × dim]), or null
 * where ONNX Runtime does not run.
 */
export function inBatchSoftmaxOnnx(u: Float32Array, v: Float32Array, n: number, dim: number, invTemperature: number, logQ: Float32Array | null, ids: Int32Array): UnitGradients | null {
  if (inferenceBackend() !== 'onnxruntime') return null;
  if (session === undefined) session = open();
  if (!session) return null;
  const minusLogQ = new Float32Array(n);
  if (logQ) for (let j = 0; j < n; j++) minusLogQ[j] = -logQ[j];
  const idValues = Float32Array.from(ids, (id) => {
    if (id < 0 || id >= LARGEST_EXACT_ID) throw new RangeError(`inBatchSoftmax: item id ${id} is outside float32's exact whole numbers [0, 2^24)`);
    return id;
  });
  const [loss, dUnitUser, dUnitItem] = session.runInputs({
    u: { data: u, dims: [n, dim] },
    v: { data: v, dims: [n, dim] },
    minus_log_q: { data: minusLogQ, dims: [1, n] },
    ids_row: { data: idValues, dims: [1, n] },
    ids_col: { data: idValues, dims: [n, 1] },
    inv_t: { data: Float32Array.of(invTemperature), dims: [1] },
    inv_n: { data: Float32Array.of(1 / n), dims: [1] },
  });
  return { loss: loss[0], dUnitUser, dUnitItem };
}

/**
 * DCN-V2's training pass as two ONNX Runtime graphs, forward and backward, with the weights fed
 * in as inputs at every step: the same network and arithmetic as dcn-training.ts, but each pass
 * is one native call instead of a product per layer plus JavaScript loops over every
 * activation (the ReLU masks, the cross terms, the bias sums, the column slices). Opened only
 * where ONNX Runtime runs; dcn-training.ts is the pass elsewhere, and the reference in tests.
 */
import { OnnxGraph } from '../../ml/onnx/graph.js';
import { OnnxSession } from '../../ml/onnx/runtime.js';
import { copiesOf, type TrainableNetwork } from './trainable.js';
import type { DcnV2Shape } from './dcn-training.js';

/** Names of the weight inputs, in the order of DcnV2Network.variables. */
function weightNames(layout: Layout): string[] {
  const range = (n: number, prefix: string) => Array.from({ length: n }, (_, l) => `${prefix}${l}`);
  const { cross, ups, deep } = layout;
  return ['first', 'first_bias', ...range(cross, 'cross'), ...range(cross, 'cross_bias'), ...range(ups, 'up'), ...range(ups, 'up_bias'), ...range(deep, 'deep'), ...range(deep, 'deep_bias'), 'head'];
}

/** Each weight's dimensions, in weightNames order. */
function weightDims(shape: DcnV2Shape, layout: Layout): number[][] {
  const { dim, width: C, firstDeep: F, shared: S } = layout;
  const sizes = shape.deepSizes;
  const range = (n: number, dims: (l: number) => number[]) => Array.from({ length: n }, (_, l) => dims(l));
  return [
    [dim, C + F],
    [C + F],
    ...range(layout.cross, () => [dim, C]),
    ...range(layout.cross, () => [C]),
    ...range(layout.ups, () => [C, dim]),
    ...range(layout.ups, () => [dim]),
    ...range(layout.deep, (l) => [sizes[l + 1], sizes[l + 2]]),
    ...range(layout.deep, (l) => [sizes[l + 2]]),
    [S + shape.positions, shape.heads],
  ];
}

interface Layout {
  readonly dim: number;
  /** Columns of a cross layer's first product: dim, or the rank. */
  readonly width: number;
  /** Width of the first deep layer (0 without a deep tower). */
  readonly firstDeep: number;
  /** Width of the representation the heads read. */
  readonly shared: number;
  /** Cross layers after the first. */
  readonly cross: number;
  /** Low rank: every cross layer's V; else 0. */
  readonly ups: number;
  readonly deep: number;
}

function layoutOf(shape: DcnV2Shape): Layout {
  const sizes = shape.deepSizes;
  return {
    dim: shape.dim,
    width: shape.crossRank ?? shape.dim,
    firstDeep: sizes.length > 1 ? sizes[1] : 0,
    shared: shape.dim + (sizes.length > 1 ? sizes[sizes.length - 1] : 0),
    cross: shape.crossLayers - 1,
    ups: shape.crossRank === null ? 0 : shape.crossLayers,
    deep: Math.max(0, sizes.length - 2),
  };
}

/** Columns [from, to) of a rows × width matrix. */
function columns(graph: OnnxGraph, x: string, from: number, to: number): string {
  return graph.node('Slice', [x, graph.ints([from]), graph.ints([to]), graph.ints([1])]);
}

function rowsOf(graph: OnnxGraph, x: string, from: number, to: number): string {
  return graph.node('Slice', [x, graph.ints([from]), graph.ints([to]), graph.ints([0])]);
}

/**
 * Outputs: logits, then what the backward pass reads: the cross layers' inputs x_1 … x_{L−1},
 * at low rank their bottlenecks z_0 … z_{L−1}, the deep ReLU outputs, the shared representation.
 */
function forwardGraph(shape: DcnV2Shape, layout: Layout): { model: Uint8Array; outputs: string[] } {
  const { dim, width: C, firstDeep: F, shared: S } = layout;
  const graph = new OnnxGraph();
  const x0 = graph.input('x0', ['n', dim]);
  const onehot = graph.input('positions', ['n', shape.positions]);
  const dims = weightDims(shape, layout);
  weightNames(layout).forEach((name, k) => graph.input(name, dims[k]));
  const first = graph.node('Gemm', [x0, 'first', 'first_bias']);
  const deep: string[] = [];
  let w0 = first;
  if (F > 0) {
    w0 = columns(graph, first, 0, C);
    let h = graph.node('Relu', [columns(graph, first, C, C + F)]);
    deep.push(h);
    for (let l = 0; l < layout.deep; l++) {
      h = graph.node('Relu', [graph.node('Gemm', [h, `deep${l}`, `deep_bias${l}`])]);
      deep.push(h);
    }
  }
  const xs: string[] = [];
  const zs: string[] = [];
  const up = (w: string, l: number) => {
    if (layout.ups === 0) return w;
    zs.push(w);
    return graph.node('Gemm', [w, `up${l}`, `up_bias${l}`]);
  };
  let x = graph.node('Add', [graph.node('Mul', [x0, up(w0, 0)]), x0]);
  for (let l = 0; l < layout.cross; l++) {
    xs.push(x);
    x = graph.node('Add', [graph.node('Mul', [x0, up(graph.node('Gemm', [x, `cross${l}`, `cross_bias${l}`]), l + 1)]), x]);
  }
  const shared = F > 0 ? graph.node('Concat', [x, deep[deep.length - 1]], { axis: 1 }) : x;
  const logits = graph.node('Add', [graph.node('MatMul', [shared, rowsOf(graph, 'head', 0, S)]), graph.node('MatMul', [onehot, rowsOf(graph, 'head', S, S + shape.positions)])]);
  const outputs = [logits, ...xs, ...zs, ...deep, shared];
  const widths = [shape.heads, ...xs.map(() => dim), ...zs.map(() => C), ...deep.map((_, l) => shape.deepSizes[l + 1]), S];
  outputs.forEach((name, k) => graph.output(name, ['n', widths[k]]));
  return { model: graph.serialise('dcn_v2_forward'), outputs };
}

/** Outputs: every weight's gradient, in weightNames order. */
function backwardGraph(shape: DcnV2Shape, layout: Layout): { model: Uint8Array; outputs: string[] } {
  const { dim, width: C, firstDeep: F, shared: S } = layout;
  const graph = new OnnxGraph();
  const dLogits = graph.input('d_logits', ['n', shape.heads]);
  const x0 = graph.input('x0', ['n', dim]);
  const onehot = graph.input('positions', ['n', shape.positions]);
  const xs = Array.from({ length: layout.cross }, (_, l) => graph.input(`x${l + 1}`, ['n', dim]));
  const zs = Array.from({ length: layout.ups }, (_, l) => graph.input(`z${l}`, ['n', C]));
  const deep = F > 0 ? Array.from({ length: layout.deep + 1 }, (_, l) => graph.input(`h${l}`, ['n', shape.deepSizes[l + 1]])) : [];
  const shared = graph.input('shared', ['n', S]);
  const dims = weightDims(shape, layout);
  weightNames(layout).forEach((name, k) => graph.input(name, dims[k]));
  const sumRows = (d: string) => graph.node('ReduceSum', [d, graph.ints([0])], { keepdims: 0 });
  const weightGradient = (input: string, d: string) => graph.node('Gemm', [input, d], { transA: 1 });
  const inputGradient = (d: string, w: string) => graph.node('Gemm', [d, w], { transB: 1 });
  // ReLU outputs are ≥ 0: their sign is the ReLU's derivative.
  const throughRelu = (d: string, activated: string) => graph.node('Mul', [d, graph.node('Sign', [activated])]);

  const head = graph.node('Concat', [weightGradient(shared, dLogits), weightGradient(onehot, dLogits)], { axis: 0 });
  const dShared = inputGradient(dLogits, rowsOf(graph, 'head', 0, S));
  let dCross = dShared;
  const deepWeights: string[] = [];
  const deepBiases: string[] = [];
  let dDeepIn = '';
  if (F > 0) {
    dCross = columns(graph, dShared, 0, dim);
    let dh = columns(graph, dShared, dim, S);
    for (let l = layout.deep - 1; l >= 0; l--) {
      dh = throughRelu(dh, deep[l + 1]);
      deepWeights[l] = weightGradient(deep[l], dh);
      deepBiases[l] = sumRows(dh);
      dh = inputGradient(dh, `deep${l}`);
    }
    dDeepIn = throughRelu(dh, deep[0]);
  }
  const crossWeights: string[] = [];
  const crossBiases: string[] = [];
  const upWeights: string[] = [];
  const upBiases: string[] = [];
  // d loss / d of layer l's first product, from d loss / d x_{l+1}.
  const throughLayer = (dx: string, l: number) => {
    const dw = graph.node('Mul', [dx, x0]);
    if (layout.ups === 0) return dw;
    upWeights[l] = weightGradient(zs[l], dw);
    upBiases[l] = sumRows(dw);
    return inputGradient(dw, `up${l}`);
  };
  let dx = dCross;
  for (let l = layout.cross - 1; l >= 0; l--) {
    const dw = throughLayer(dx, l + 1);
    crossWeights[l] = weightGradient(xs[l], dw);
    crossBiases[l] = sumRows(dw);
    dx = graph.node('Add', [inputGradient(dw, `cross${l}`), dx]);
  }
  const dw0 = throughLayer(dx, 0);
  const dFirst = F > 0 ? graph.node('Concat', [dw0, dDeepIn], { axis: 1 }) : dw0;
  const first = [weightGradient(x0, dFirst), sumRows(dFirst)];
  const outputs = [...first, ...crossWeights, ...crossBiases, ...upWeights, ...upBiases, ...deepWeights, ...deepBiases, head];
  outputs.forEach((name, k) => graph.output(name, dims[k]));
  return { model: graph.serialise('dcn_v2_backward'), outputs };
}

export class DcnV2OnnxTrainable implements TrainableNetwork {
  readonly parameters: Float32Array[];
  readonly gradients: Float32Array[];
  private readonly names: string[];
  private readonly layout: Layout;
  private readonly dims: number[][];
  /** The last forward pass's feeds and outputs, for backward. */
  private pass: { rows: number; x0: Float32Array; onehot: Float32Array; outputs: Float32Array[] } | null = null;

  private constructor(
    private readonly shape: DcnV2Shape,
    values: readonly Float32Array[],
    private readonly forwardSession: OnnxSession,
    private readonly backwardSession: OnnxSession,
  ) {
    this.layout = layoutOf(shape);
    this.names = weightNames(this.layout);
    this.dims = weightDims(shape, this.layout);
    if (values.length !== this.names.length) throw new RangeError(`dcn_v2: ${values.length} weight arrays for ${this.names.length}`);
    ({ parameters: this.parameters, gradients: this.gradients } = copiesOf(values));
  }

  /** The pass on ONNX Runtime, or null where it does not run. */
  static open(shape: DcnV2Shape, values: readonly Float32Array[]): DcnV2OnnxTrainable | null {
    const layout = layoutOf(shape);
    const forward = forwardGraph(shape, layout);
    const forwardSession = OnnxSession.open(forward.model, 'x0', forward.outputs);
    if (!forwardSession) return null;
    const backward = backwardGraph(shape, layout);
    const backwardSession = OnnxSession.open(backward.model, 'd_logits', backward.outputs);
    if (!backwardSession) return null;
    return new DcnV2OnnxTrainable(shape, values, forwardSession, backwardSession);
  }

  forward(x0: Float32Array, positions: Int32Array, rows: number): Float32Array {
    const { dim } = this.shape;
    const P = this.shape.positions;
    const onehot = new Float32Array(rows * P);
    for (let r = 0; r < rows; r++) onehot[r * P + positions[r]] = 1;
    const feeds = { ...this.weightFeeds(), x0: { data: x0.subarray(0, rows * dim), dims: [rows, dim] }, positions: { data: onehot, dims: [rows, P] } };
    const outputs = this.forwardSession.runInputs(feeds);
    this.pass = { rows, x0: feeds.x0.data, onehot, outputs };
    return outputs[0];
  }

  backward(dLogits: Float32Array): void {
    const pass = this.pass;
    if (!pass) throw new Error('dcn_v2: backward before forward');
    const { rows, outputs } = pass;
    const { dim, heads, positions } = this.shape;
    const { cross, ups, width: C, firstDeep: F, deep, shared: S } = this.layout;
    const feeds: Record<string, { data: Float32Array; dims: readonly number[] }> = {
      ...this.weightFeeds(),
      d_logits: { data: dLogits, dims: [rows, heads] },
      x0: { data: pass.x0, dims: [rows, dim] },
      positions: { data: pass.onehot, dims: [rows, positions] },
      shared: { data: outputs[outputs.length - 1], dims: [rows, S] },
    };
    for (let l = 0; l < cross; l++) feeds[`x${l + 1}`] = { data: outputs[1 + l], dims: [rows, dim] };
    for (let l = 0; l < ups; l++) feeds[`z${l}`] = { data: outputs[1 + cross + l], dims: [rows, C] };
    if (F > 0) {
      const sizes = this.shape.deepSizes;
      for (let l = 0; l <= deep; l++) feeds[`h${l}`] = { data: outputs[1 + cross + ups + l], dims: [rows, sizes[l + 1]] };
    }
    this.backwardSession.runInputs(feeds).forEach((g, k) => this.gradients[k].set(g));
  }

  /** The current weights as feeds, with their shapes. */
  private weightFeeds(): Record<string, { data: Float32Array; dims: readonly number[] }> {
    const feeds: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
    this.names.forEach((name, k) => (feeds[name] = { data: this.parameters[k], dims: this.dims[k] }));
    return feeds;
  }
}

/**
 * The pieces the ranker networks' hand-written training passes share, over row-major
 * Float32Arrays: a dense layer's forward product and its two gradient products (on the backend,
 * typed-matmul.ts, which leaves the transposes to it), bias sums, and the DCN-V2 cross network
 * forward and backward.
 * No gradient flows to the input features: they are data.
 */
import { affine } from '../../ml/dense.js';
import { matMulTransposedA, matMulTransposedB } from '../../ml/typed-matmul.js';

export { affine };

/** d loss / d w of a layer: inputᵀ (input rows × fanIn) · dz (rows × fanOut), into `into`. */
export function weightGradient(input: Float32Array, rows: number, fanIn: number, dz: Float32Array, fanOut: number, into: Float32Array): void {
  into.set(matMulTransposedA(input, rows, fanIn, dz, fanOut));
}

/** d loss / d input of a layer: dz (rows × fanOut) · wᵀ (w is fanIn × fanOut). A new array. */
export function inputGradient(dz: Float32Array, rows: number, fanOut: number, w: Float32Array, fanIn: number): Float32Array {
  return matMulTransposedB(dz, rows, fanOut, w, fanIn);
}

/** Column sums of rows × cols values (a bias's gradient), written over `into`. */
export function columnSums(d: Float32Array, rows: number, cols: number, into: Float32Array): void {
  into.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) into[c] += d[base + c];
  }
}

/** Zeroes d where the ReLU output it flows back through was not positive (in place). */
export function throughRelu(d: Float32Array, activated: Float32Array): void {
  for (let k = 0; k < d.length; k++) if (!(activated[k] > 0)) d[k] = 0;
}

/** Columns [start, start + count) of a rows × width matrix, as a rows × count matrix. */
export function sliceColumns(x: Float32Array, rows: number, width: number, start: number, count: number): Float32Array {
  const out = new Float32Array(rows * count);
  // Index loops: a subarray view per row was most of the cost at 1,024 rows.
  for (let r = 0; r < rows; r++) {
    const from = r * width + start;
    const to = r * count;
    for (let c = 0; c < count; c++) out[to + c] = x[from + c];
  }
  return out;
}

/** [a | b]: a rows × aWidth and b rows × bWidth side by side. */
export function concatColumns(a: Float32Array, aWidth: number, b: Float32Array, bWidth: number, rows: number): Float32Array {
  const width = aWidth + bWidth;
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    const to = r * width;
    for (let c = 0; c < aWidth; c++) out[to + c] = a[r * aWidth + c];
    for (let c = 0; c < bWidth; c++) out[to + aWidth + c] = b[r * bWidth + c];
  }
  return out;
}

/** Positions clipped to [0, count − 1], as the one-hot input clips them. */
export function clipPositions(positions: Int32Array, count: number, into: Int32Array): void {
  for (let i = 0; i < positions.length; i++) into[i] = Math.min(count - 1, Math.max(0, positions[i]));
}

/** What a cross network's forward pass keeps for its backward pass. */
export interface CrossPass {
  /** x_0 (the input), x_1, …, x_L: layer l reads x_l, the network's output is x_L. */
  readonly xs: Float32Array[];
  /** Low rank: each layer's bottleneck x_l U_l + c_l (rows × rank), which its V reads; else empty. */
  readonly zs: Float32Array[];
}

/** A low-rank cross network's V_l (rank × dim) and b_l, for every layer; their gradients in the backward pass. */
export interface CrossUp {
  readonly rank: number;
  readonly weights: readonly Float32Array[];
  readonly biases: readonly Float32Array[];
}

/**
 * x_{l+1} = x0 ⊙ w_l + x_l with w_l = x_l·W_l + b_l, or at low rank w_l = (x_l·U_l + c_l)·V_l + b_l.
 * The first layer's first product is given (it may be shared with another layer reading x0);
 * `weights`/`biases` are layers 1 … L−1's W (or U) and b (or c).
 */
export function crossForward(
  x0: Float32Array,
  rows: number,
  dim: number,
  w0: Float32Array,
  weights: readonly Float32Array[],
  biases: readonly Float32Array[],
  up: CrossUp | null = null,
): CrossPass {
  const width = up ? up.rank : dim;
  const xs = [x0];
  const zs: Float32Array[] = [];
  const toDim = (w: Float32Array, l: number) => {
    if (!up) return w;
    zs.push(w);
    return affine(w, rows, width, up.weights[l], dim, up.biases[l], false);
  };
  let x = crossStep(x0, toDim(w0, 0), x0);
  xs.push(x);
  for (let l = 0; l < weights.length; l++) {
    x = crossStep(x0, toDim(affine(x, rows, dim, weights[l], width, biases[l], false), l + 1), x);
    xs.push(x);
  }
  return { xs, zs };
}

/** x0 ⊙ w + x, in w's array. */
function crossStep(x0: Float32Array, w: Float32Array, x: Float32Array): Float32Array {
  for (let k = 0; k < w.length; k++) w[k] = x0[k] * w[k] + x[k];
  return w;
}

/**
 * From d loss / d x_L: the gradients of layers 1 … L−1 (into `weightGrads`/`biasGrads`; at low
 * rank every layer's V and b into `upGrads`) and d loss / d of the first layer's first product,
 * returned for that product's own gradient.
 */
export function crossBackward(
  pass: CrossPass,
  rows: number,
  dim: number,
  dOut: Float32Array,
  weights: readonly Float32Array[],
  weightGrads: readonly Float32Array[],
  biasGrads: readonly Float32Array[],
  up: CrossUp | null = null,
  upGrads: { readonly weights: readonly Float32Array[]; readonly biases: readonly Float32Array[] } | null = null,
): Float32Array {
  const x0 = pass.xs[0];
  const width = up ? up.rank : dim;
  // d loss / d of layer l's first product, from d loss / d x_{l+1}.
  const throughLayer = (dx: Float32Array, l: number): Float32Array => {
    const dw = new Float32Array(dx.length);
    for (let k = 0; k < dw.length; k++) dw[k] = dx[k] * x0[k];
    if (!up) return dw;
    if (!upGrads) throw new Error('crossBackward: a low-rank cross network needs its V gradients');
    weightGradient(pass.zs[l], rows, width, dw, dim, upGrads.weights[l]);
    columnSums(dw, rows, dim, upGrads.biases[l]);
    return inputGradient(dw, rows, dim, up.weights[l], width);
  };
  // dx accumulates d loss / d x_l: x_{l+1} passes it on unchanged and through w_l.
  let dx = Float32Array.from(dOut);
  for (let l = weights.length; l >= 1; l--) {
    const dw = throughLayer(dx, l);
    weightGradient(pass.xs[l], rows, dim, dw, width, weightGrads[l - 1]);
    columnSums(dw, rows, width, biasGrads[l - 1]);
    const through = inputGradient(dw, rows, width, weights[l - 1], dim);
    for (let k = 0; k < dx.length; k++) through[k] += dx[k];
    dx = through;
  }
  return throughLayer(dx, 0);
}

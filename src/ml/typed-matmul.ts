/**
 * Matrix products of plain Float32Arrays, for code that keeps its own arrays and differentiates
 * by hand: on ONNX Runtime's Gemm where it runs (onnx/gemm.ts), else on the active tfjs backend
 * (XNNPACK under wasm, ~30× faster than a JS loop).
 */
import * as tf from '@tensorflow/tfjs-core';
import { gemm } from './onnx/gemm.js';

/** a (rows × inner) · b (inner × cols), row-major. */
export function matMul(a: Float32Array, rows: number, inner: number, b: Float32Array, cols: number): Float32Array {
  if (a.length !== rows * inner || b.length !== inner * cols) throw new RangeError(`matMul: [${rows} × ${inner}]·[${inner} × ${cols}] given ${a.length} and ${b.length} values`);
  const onnx = gemm(a, [rows, inner], b, [inner, cols], false, false);
  if (onnx) return onnx;
  const at = tf.tensor2d(a, [rows, inner]);
  const bt = tf.tensor2d(b, [inner, cols]);
  const c = tf.matMul(at, bt);
  // A copy on wasm; on the cpu backend the backend's own array, which nothing else holds once c is gone.
  const values = c.dataSync() as Float32Array;
  at.dispose();
  bt.dispose();
  c.dispose();
  return values;
}

/**
 * aᵀ·b for a (rows × aCols) and b (rows × bCols): a layer's weight gradient, inputᵀ·dz. The
 * transpose is left to the backend (wasm-matmul.ts copies whichever side is cheaper there, in
 * wasm, much faster than a JS loop over a column-strided write).
 */
export function matMulTransposedA(a: Float32Array, rows: number, aCols: number, b: Float32Array, bCols: number): Float32Array {
  if (a.length !== rows * aCols || b.length !== rows * bCols) throw new RangeError(`matMulTransposedA: [${rows} × ${aCols}]ᵀ·[${rows} × ${bCols}] given ${a.length} and ${b.length} values`);
  return product(a, [rows, aCols], b, [rows, bCols], true, false);
}

/** a·bᵀ for a (rows × inner) and b (bRows × inner): a layer's input gradient, dz·wᵀ. */
export function matMulTransposedB(a: Float32Array, rows: number, inner: number, b: Float32Array, bRows: number): Float32Array {
  if (a.length !== rows * inner || b.length !== bRows * inner) throw new RangeError(`matMulTransposedB: [${rows} × ${inner}]·[${bRows} × ${inner}]ᵀ given ${a.length} and ${b.length} values`);
  return product(a, [rows, inner], b, [bRows, inner], false, true);
}

function product(a: Float32Array, aShape: [number, number], b: Float32Array, bShape: [number, number], transposeA: boolean, transposeB: boolean): Float32Array {
  const onnx = gemm(a, aShape, b, bShape, transposeA, transposeB);
  if (onnx) return onnx;
  const at = tf.tensor2d(a, aShape);
  const bt = tf.tensor2d(b, bShape);
  const c = tf.matMul(at, bt, transposeA, transposeB);
  const values = c.dataSync() as Float32Array;
  at.dispose();
  bt.dispose();
  c.dispose();
  return values;
}

/**
 * Two products with one shared operand m (rows × cols), uploaded once: m·right and left·m.
 * (The two-tower's batch × batch gradient is the large operand of both of its products.)
 */
export function matMulsSharing(
  m: Float32Array,
  rows: number,
  cols: number,
  after: { readonly right: Float32Array; readonly cols: number },
  before: { readonly left: Float32Array; readonly rows: number },
): [Float32Array, Float32Array] {
  if (m.length !== rows * cols || after.right.length !== cols * after.cols || before.left.length !== before.rows * rows) {
    throw new RangeError(`matMulsSharing: operands do not fit [${rows} × ${cols}]`);
  }
  const onnxFirst = gemm(m, [rows, cols], after.right, [cols, after.cols], false, false);
  if (onnxFirst) return [onnxFirst, matMul(before.left, before.rows, rows, m, cols)];
  let first = new Float32Array(0);
  let second = new Float32Array(0);
  // Nothing is returned through tidy: it would walk a typed array element by element.
  tf.tidy(() => {
    const shared = tf.tensor2d(m, [rows, cols]);
    first = tf.matMul(shared, tf.tensor2d(after.right, [cols, after.cols])).dataSync() as Float32Array;
    second = tf.matMul(tf.tensor2d(before.left, [before.rows, rows]), shared).dataSync() as Float32Array;
  });
  return [first, second];
}

/** The transpose of a row-major rows × cols matrix. */
export function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = x[from + c];
  }
  return out;
}

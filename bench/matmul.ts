/**
 * The typed-array products the hand-differentiated models train with (ml/typed-matmul.ts), at
 * their shapes, on ONNX Runtime's Gemm and on the tfjs backend (RECLOOP_INFERENCE=tfjs for the
 * second): milliseconds per product and GFLOP/s, for a·b, aᵀ·b (weight gradients) and a·bᵀ
 * (input gradients).
 *
 *   npx tsx bench/matmul.ts
 */
import { initBackend } from '../src/ml/backend.js';
import { matMul, matMulTransposedA, matMulTransposedB } from '../src/ml/typed-matmul.js';

await initBackend();

/** [rows, inner, cols]: the DCN-V2 ranker's first product, its deep layer and heads, the two-tower's in-batch logits and tower layer. */
const SHAPES: readonly [number, number, number][] = [
  [1024, 83, 339],
  [1024, 256, 256],
  [1024, 339, 5],
  [512, 32, 512],
  [512, 140, 64],
];

function msPer(run: () => unknown): number {
  for (let i = 0; i < 10; i++) run();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < 300) {
    run();
    n++;
  }
  return (performance.now() - start) / n;
}

function filled(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898));
}

const engines = ['onnxruntime', 'tfjs'] as const;
// One product of each shape on each engine first: sessions open, kernels compile.
for (const engine of engines) {
  if (engine === 'tfjs') process.env.RECLOOP_INFERENCE = 'tfjs';
  else delete process.env.RECLOOP_INFERENCE;
  for (const [rows, inner, cols] of SHAPES) msPer(() => matMul(filled(rows * inner), rows, inner, filled(inner * cols), cols));
}
console.log('shape (rows × inner × cols)   engine        a·b ms (GFLOP/s)   aᵀ·b ms   a·bᵀ ms');
for (const [rows, inner, cols] of SHAPES) {
  const a = filled(rows * inner);
  const b = filled(inner * cols);
  const dy = filled(rows * cols);
  const flop = 2 * rows * inner * cols;
  for (const engine of engines) {
    if (engine === 'tfjs') process.env.RECLOOP_INFERENCE = 'tfjs';
    else delete process.env.RECLOOP_INFERENCE;
    const plain = msPer(() => matMul(a, rows, inner, b, cols));
    const weightGradient = msPer(() => matMulTransposedA(a, rows, inner, dy, cols));
    const inputGradient = msPer(() => matMulTransposedB(dy, rows, cols, b, inner));
    console.log(
      `${`${rows} × ${inner} × ${cols}`.padEnd(29)} ${engine.padEnd(13)} ${plain.toFixed(3).padStart(7)} (${(flop / plain / 1e6).toFixed(1).padStart(5)})   ${weightGradient.toFixed(3).padStart(8)}  ${inputGradient.toFixed(3).padStart(8)}`,
    );
  }
}
delete process.env.RECLOOP_INFERENCE;

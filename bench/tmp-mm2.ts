import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm'); await tf.ready();
console.log(tf.getBackend(), tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT'));
const time = (f: () => void, reps = 5) => { f(); const t = performance.now(); for (let i = 0; i < reps; i++) f(); return (performance.now() - t) / reps; };
for (const [m, k, n] of [[256, 256, 256], [1024, 44, 44], [4096, 44, 44]]) {
  const a = tf.randomNormal([m, k]); const b = tf.randomNormal([k, n]);
  const ms = time(() => tf.tidy(() => tf.matMul(a, b).dataSync()));
  console.log(m, k, n, ms.toFixed(2), 'ms', (2 * m * k * n / ms / 1e6).toFixed(2), 'GFLOP/s');
}

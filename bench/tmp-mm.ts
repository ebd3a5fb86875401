import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/ml/backend.js';
console.log(await initBackend());
const time = (f: () => void, reps = 5) => { f(); const t = performance.now(); for (let i = 0; i < reps; i++) f(); return (performance.now() - t) / reps; };
for (const [m, k, n] of [[256, 256, 256], [1024, 44, 44], [4096, 44, 44], [1024, 44, 64], [1024, 64, 44]]) {
  const a = tf.randomNormal([m, k]); const b = tf.randomNormal([k, n]);
  const ms = time(() => tf.tidy(() => tf.matMul(a, b).dataSync()));
  console.log(m, k, n, ms.toFixed(2), 'ms', (2 * m * k * n / ms / 1e6).toFixed(2), 'GFLOP/s');
  const at = tf.randomNormal([k, m]);
  const ms2 = time(() => tf.tidy(() => tf.matMul(at, b, true, false).dataSync()));
  console.log('  transposeA', ms2.toFixed(2), 'ms');
  const bt = tf.randomNormal([n, k]);
  const ms3 = time(() => tf.tidy(() => tf.matMul(a, bt, false, true).dataSync()));
  console.log('  transposeB', ms3.toFixed(2), 'ms');
}

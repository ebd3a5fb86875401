import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/ml/backend.js';
await initBackend();
const N = Number(process.argv[2] ?? 640), reps = 400, dim = 83;
const X = tf.randomNormal([N, dim]) as tf.Tensor2D;
const W = tf.randomNormal([dim, 149]) as tf.Tensor2D, b = tf.randomNormal([149]);
const W2 = tf.randomNormal([dim, dim]) as tf.Tensor2D, b2 = tf.randomNormal([dim]);
const H = tf.randomNormal([N, 64]) as tf.Tensor2D, W3 = tf.randomNormal([64, 32]) as tf.Tensor2D, b3 = tf.randomNormal([32]);
const S = tf.randomNormal([N, 83 + 32 + 32]) as tf.Tensor2D, W4 = tf.randomNormal([147, 5]) as tf.Tensor2D;
const xs = new Float32Array(N * dim);
const cases: [string, () => tf.Tensor | tf.Tensor[]][] = [
  ['upload x', () => tf.tensor2d(xs, [N, dim])],
  ['first fused mm', () => tf.fused.matMul({ a: X, b: W, bias: b })],
  ['cross2 fused mm', () => tf.fused.matMul({ a: X, b: W2, bias: b2 })],
  ['deep2 fused relu', () => tf.fused.matMul({ a: H, b: W3, bias: b3, activation: 'relu' })],
  ['heads mm', () => tf.matMul(S, W4)],
  ['split', () => tf.split(tf.randomNormal([1,1]).add(0).reshape([1,1]).tile([N,149]) as tf.Tensor2D, [83, 66], 1)],
  ['mul', () => tf.mul(X, X)],
  ['add', () => tf.add(X, X)],
  ['concat', () => tf.concat([X, H, tf.zeros([N, 32])], 1)],
  ['relu', () => tf.relu(H)],
];
for (const [name, f] of cases) {
  const g = () => { const t = tf.tidy(f); const ts = Array.isArray(t) ? t : [t]; ts[0].dataSync(); ts.forEach((q) => q.dispose()); };
  for (let i = 0; i < 20; i++) g();
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) g();
  const cpu = process.cpuUsage(c0);
  console.log(name.padEnd(20), 'cpu ms', ((cpu.user + cpu.system) / 1000 / reps).toFixed(3));
}

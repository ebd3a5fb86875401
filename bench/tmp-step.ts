import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/ml/backend.js';
import { RankerModel } from '../src/recommender/ranking/model.js';
import { train } from '../src/recommender/ranking/trainer.js';
import { Rng } from '../src/rng/index.js';
console.log(await initBackend());
const dim = 44, H = 6, n = 40000;
const rng = new Rng('x');
const x = Float32Array.from({ length: n * dim }, () => rng.normal());
const labels = Float32Array.from({ length: n * H }, () => (rng.next() < 0.1 ? 1 : 0));
const data = { dim, heads: H, x, positions: Int32Array.from({ length: n }, () => rng.int(5)), labels, mask: new Float32Array(n * H).fill(1), weights: new Float32Array(n).fill(1) };
const rows = Int32Array.from({ length: n }, (_, i) => i);
for (const model of ['dcn_v2', 'mmoe'] as const) for (const batch of [256, 512, 1024, 2048, 4096]) {
  const m = new RankerModel({ model, heads: ['click'], cross_layers: 2, hidden: [64, 32], experts: 4, epochs: 1, batch_size: batch, learning_rate: 0.003, max_examples: 1, ips: { enabled: false, clip: 10 }, calibration: 'none', holdout: 0.1 }, dim, H, rng);
  const opt = tf.train.adam(0.003);
  train(m, opt, data, rows.subarray(0, batch * 4), 1, batch, rng);
  const r = train(m, opt, data, rows, 1, batch, rng);
  console.log(model, batch, 'ms/step', (r.seconds * 1000 / r.steps).toFixed(1), 'ex/s', Math.round(r.examples / r.seconds), 'tensors', tf.memory().numTensors);
  m.dispose(); opt.dispose();
}

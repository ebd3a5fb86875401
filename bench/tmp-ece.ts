import { initBackend } from '../src/ml/backend.js';
import { Simulation } from '../src/simulation/simulation.js';
import { parseScenario } from '../src/scenario/index.js';
import { TrainingLog } from '../src/training/training-log.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import { RankerModel } from '../src/recommender/ranking/model.js';
import { initHeadBias, train, trainingRows } from '../src/recommender/ranking/trainer.js';
import { expectedCalibrationError, fitCalibrator, sigmoid } from '../src/recommender/ranking/calibration.js';
import { Rng } from '../src/rng/index.js';
import * as tf from '@tensorflow/tfjs';
const text = `
name: ranker-bar
seed: ${process.env.SEED ?? 11}
horizon: { days: 6 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: 1500, signups_per_day: 20 }
  items: { count: 500, uploads_per_day: 40, creators: 40 }
  response: { survey_rate: 1, like_base: 0.05, completion_threshold: 0.7 }
recommender:
  kind: two_stage
  slate_size: 5
  ranker: { heads: [click, watch, complete, like, survey], holdout: ${process.env.HOLD ?? 0.1} }
logs: { impressions: false }
`;
const scenario = parseScenario(text, 'r.yaml');
if (scenario.recommender.kind !== 'two_stage') throw new Error();
const cfg = scenario.recommender;
await initBackend();
let ranker!: MultiTaskRanker;
const log = new TrainingLog(14);
const sim = new Simulation(scenario, { recommender: (ctx) => { const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.stream('random')); ranker = new MultiTaskRanker(cfg.ranker, cfg.score, ctx.catalog, ctx.users, ctx.streams.stream('ranker')); return { name: 'random', serve: (r) => random.serve(r), observe: (f) => ranker.observe(f), retrain: () => {} }; } });
let end = 0;
await sim.run((r) => { log.add({ epoch: r.bounds.epoch, start: r.bounds.start, end: r.bounds.end, impressions: r.impressions }); end = r.bounds.end; });
const set = ranker.trainingSet(log, end);
const H = set.heads.length;
const data = { dim: set.dim, heads: H, x: set.x, positions: set.positions, labels: set.labels, mask: set.trainMask, weights: set.weights };
const rows = trainingRows(data);
import { IsotonicCalibrator } from '../src/recommender/ranking/calibration.js';
function kfold(kind: 'platt' | 'isotonic' | 'iso1', z: Float64Array, y: Float64Array, K: number) {
  const p = new Float64Array(z.length);
  for (let f = 0; f < K; f++) {
    const fz: number[] = [], fy: number[] = [];
    for (let i = 0; i < z.length; i++) if (i % K !== f) { fz.push(z[i]); fy.push(y[i]); }
    const c = kind === 'iso1' ? IsotonicCalibrator.fit(fz, fy, 1) : fitCalibrator(kind, fz, fy);
    for (let i = f; i < z.length; i += K) p[i] = c.apply(z[i]);
  }
  return expectedCalibrationError(p, y);
}
for (const [epochs, lr] of [[4, 0.005]] as const) {
  const model = new RankerModel({ ...cfg.ranker, cross_layers: 1, hidden: [32] }, set.dim, H, new Rng('m'));
  initHeadBias(model, data, rows);
  train(model, tf.train.adam(lr), data, rows, epochs, 1024, new Rng('t'));
  const logits = model.predict(set.x, set.n, set.positions);
  for (const [h, head] of set.heads.entries()) {
    const r = set.holdout[h];
    const z = Float64Array.from(r, (i) => logits[i * H + h]);
    const y = Float64Array.from(r, (i) => set.labels[i * H + h]);
    console.log(`e${epochs} ${head.padEnd(8)} n${r.length} raw ${expectedCalibrationError(Array.from(z, sigmoid), y).toFixed(4)} platt2 ${kfold('platt', z, y, 2).toFixed(4)} platt5 ${kfold('platt', z, y, 5).toFixed(4)} iso2 ${kfold('isotonic', z, y, 2).toFixed(4)} iso5 ${kfold('isotonic', z, y, 5).toFixed(4)} iso10 ${kfold('isotonic', z, y, 10).toFixed(4)} | plain-iso2 ${kfold('iso1', z, y, 2).toFixed(4)} plain-iso5 ${kfold('iso1', z, y, 5).toFixed(4)}`);
  }
}

import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/ml/backend.js';
import { Simulation } from '../src/simulation/simulation.js';
import { parseScenario } from '../src/scenario/index.js';
import { TrainingLog } from '../src/training/training-log.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import { LogisticBaseline } from '../src/recommender/ranking/logistic-baseline.js';
import { initHeadBias, train, trainingRows } from '../src/recommender/ranking/trainer.js';
import { RankerModel } from '../src/recommender/ranking/model.js';
import { auc } from '../src/recommender/ranking/auc.js';
import { Rng } from '../src/rng/index.js';

const text = `
name: ranker
seed: ${process.env.SEED ?? 11}
horizon: { days: ${process.env.DAYS ?? 5} }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: ${process.env.USERS ?? 800}, signups_per_day: 20 }
  items: { count: 500, uploads_per_day: 40, creators: 40 }
  response: { survey_rate: ${process.env.SURVEY ?? 0.5}, like_base: 0.05, completion_threshold: 0.7 }
recommender:
  kind: two_stage
  slate_size: 5
  ranker: { heads: [click, watch, complete, like, survey] }
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
console.log('rows', log.rows, 'train', rows.length);
function report(name: string, score: (i: number, h: number) => number) {
  const parts = set.heads.map((head, h) => { const r = set.holdout[h]; return `${head} ${auc(Array.from(r, (i) => score(i, h)), Array.from(r, (i) => set.labels[i * H + h])).toFixed(4)}`; });
  // train auc for click
  const tr = Array.from(rows.subarray(0, 5000));
  const tauc = auc(tr.map((i) => score(i, 0)), tr.map((i) => set.labels[i * H]));
  console.log(name.padEnd(28), parts.join('  '), ' | train click', tauc.toFixed(4));
}
const lr = new LogisticBaseline(set.dim, H);
lr.fit(data, rows, new Rng('lr'));
const z = new Float64Array(H);
report('logistic-ts', (i, h) => lr.logits(set.x, i, set.positions[i], z)[h]);


const variants: [string, object, number, number, number][] = JSON.parse(process.env.VARIANTS ?? '[]');
for (const [name, over, epochs, batch, lrate] of variants) {
  const rc = { ...cfg.ranker, ...over };
  const model = new RankerModel(rc, set.dim, H, new Rng('m'));
  initHeadBias(model, data, rows);
  const opt = tf.train.adam(lrate);
  const t = performance.now();
  const run = train(model, opt, data, rows, epochs, batch, new Rng('t'));
  const logits = model.predict(set.x, set.n, set.positions);
  report(`${name} e${epochs} b${batch} lr${lrate} ${((performance.now() - t) / 1000).toFixed(0)}s`, (i, h) => logits[i * H + h]);
  model.dispose(); opt.dispose();
}

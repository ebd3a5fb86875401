import { initBackend } from '../src/ml/backend.js';
import { Simulation } from '../src/simulation/simulation.js';
import { parseScenario } from '../src/scenario/index.js';
import { TrainingLog } from '../src/training/training-log.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import { LogisticBaseline } from '../src/recommender/ranking/logistic-baseline.js';
import { trainingRows } from '../src/recommender/ranking/trainer.js';
import { auc } from '../src/recommender/ranking/auc.js';
import { Rng } from '../src/rng/index.js';

const days = Number(process.argv[2] ?? 5);
const model = process.argv[3] ?? 'dcn_v2';
const text = `
name: ranker
seed: 11
horizon: { days: ${days} }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: ${process.argv[7] ?? 800}, signups_per_day: 20 }
  items: { count: 500, uploads_per_day: 40, creators: 40 }
  response: { survey_rate: 0.5, like_base: 0.05, completion_threshold: 0.7 }
recommender:
  kind: two_stage
  slate_size: 5
  retrain: { every: 1d, window: 14d }
  ranker: { model: ${model}, epochs: ${process.argv[4] ?? 3}, batch_size: ${process.argv[6] ?? 512}, learning_rate: ${process.argv[5] ?? 0.003}, heads: [click, watch, complete, like, survey, return] }
  score: 0.5*click + 0.5*watch
logs: { impressions: false }
`;
const scenario = parseScenario(text, 'r.yaml');
if (scenario.recommender.kind !== 'two_stage') throw new Error();
const cfg = scenario.recommender;
console.log('backend', await initBackend());
let ranker!: MultiTaskRanker;
const log = new TrainingLog(14);
const t0 = performance.now();
const sim = new Simulation(scenario, {
  recommender: (ctx) => {
    const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.stream('random'));
    ranker = new MultiTaskRanker(cfg.ranker, cfg.score, ctx.catalog, ctx.users, ctx.streams.stream('ranker'));
    return { name: 'random', serve: (r) => random.serve(r), observe: (f) => ranker.observe(f), retrain: () => {} };
  },
});
let end = 0;
await sim.run((r) => { log.add({ epoch: r.bounds.epoch, start: r.bounds.start, end: r.bounds.end, impressions: r.impressions }); end = r.bounds.end; });
console.log('sim s', (performance.now() - t0) / 1000, 'rows', log.rows);
const t1 = performance.now();
await ranker.retrain(log, end);
console.log('retrain s', (performance.now() - t1) / 1000, ranker.lastTraining, 'madds', ranker.multiplyAddsPerCandidate);

const set = ranker.trainingSet(log, end);
const data = { dim: set.dim, heads: set.heads.length, x: set.x, positions: set.positions, labels: set.labels, mask: set.trainMask, weights: set.weights };
const lr = new LogisticBaseline(set.dim, set.heads.length);
const t2 = performance.now();
lr.fit(data, trainingRows(data), new Rng('lr'));
console.log('lr s', (performance.now() - t2) / 1000);
const z = new Float64Array(set.heads.length);
for (const [h, head] of set.heads.entries()) {
  const rows = set.holdout[h];
  const s = Array.from(rows, (i) => lr.logits(set.x, i, set.positions[i], z)[h]);
  const y = Array.from(rows, (i) => set.labels[i * set.heads.length + h]);
  const rep = ranker.headReports[h];
  console.log(head, 'n', rows.length, 'ranker', rep.auc.toFixed(4), 'lr', auc(s, y).toFixed(4), 'ece', rep.eceRaw.toFixed(4), '->', rep.eceCalibrated.toFixed(4));
}

{
  const w = sim.world;
  const h = 0; const rows = set.holdout[h];
  // map holdout rows to log rows: set rows are the last n rows of the log
  const cols: { user: number; item: number; pos: number }[] = [];
  for (const chunk of log.chunks) { const c = chunk.impressions.columns; for (let i = 0; i < c.time.length; i++) cols.push({ user: c.user_id[i], item: c.item_id[i], pos: c.position[i] }); }
  const offset = cols.length - set.n;
  const s = Array.from(rows, (i) => { const r = cols[offset + i]; const u = w.users.stateOf(r.user); const it = w.items.truthOf(r.item); return w.utility.affinity(u, it) + it.appeal + Math.log(0.85) * r.pos; });
  const y = Array.from(rows, (i) => set.labels[i * set.heads.length + h]);
  console.log('oracle click auc (affinity+appeal+position)', auc(s, y).toFixed(4));
  const s2 = Array.from(rows, (i) => { const r = cols[offset + i]; const it = w.items.truthOf(r.item); return it.appeal + Math.log(0.85) * r.pos; });
  console.log('oracle click auc (appeal+position only)', auc(s2, y).toFixed(4));
}

/**
 * Two-tower training cost: the backend in use and its own 1024×1024 matmul rate, training
 * examples/s through the real trainer (wall time, and the process's CPU seconds per training
 * epoch, which a shared machine disturbs less), and the time of one training step with a
 * 10k-item and a 200k-item catalog (id tables are updated sparsely, so the two should be about
 * equal).
 *
 *   npx tsx bench/two-tower.ts
 *   npx tsx bench/two-tower.ts --batch 1024 --examples 50000
 *   npx tsx bench/two-tower.ts --examples 60000 --items 2500 --retrains 4   # two-stage.yaml's settings
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/ml/backend.js';
import { collectExamples } from '../src/recommender/two-tower/examples.js';
import { IdEvidence } from '../src/recommender/two-tower/id-evidence.js';
import { deviceIndex, hourOfDay, itemInputs, UserQueries, userInputs } from '../src/recommender/two-tower/features.js';
import { TwoTowerModel } from '../src/recommender/two-tower/model.js';
import { trainTwoTower } from '../src/recommender/two-tower/trainer.js';
import { SparseEmbedding } from '../src/ml/sparse-embedding.js';
import { RandomStreams, Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { DEVICES, PublicRegistry, type PublicCatalog, type PublicItem, type PublicUser, type PublicUsers } from '../src/world/public.js';
import { matmulGflops } from './support/matmul-rate.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '512' },
    examples: { type: 'string', default: '30000' },
    dim: { type: 'string', default: '32' },
    history: { type: 'string', default: '20' },
    steps: { type: 'string', default: '40' },
    items: { type: 'string', default: '10000' },
    /** Trainings of the same model on the same examples, as the daily retrains are (the first pays for JIT warm-up). */
    retrains: { type: 'string', default: '1' },
  },
});
const BATCH = Number(values.batch);
const EXAMPLES = Number(values.examples);
const DIM = Number(values.dim);
const HISTORY = Number(values.history);
const STEPS = Number(values.steps);
const ITEMS = Number(values.items);
const RETRAINS = Number(values.retrains);
const USERS = 20_000;

function catalogOf(items: number, rng: Rng): PublicCatalog {
  const catalog = new PublicRegistry<PublicItem>();
  for (let id = 0; id < items; id++) {
    const topics = [rng.int(20), rng.int(20)].filter((t, k, all) => all.indexOf(t) === k);
    catalog.add({ id, creatorId: rng.int(Math.max(10, Math.floor(items / 40))), topics, lengthMinutes: rng.lognormal(1.5, 0.8), uploadTime: -rng.uniform(0, 30) });
  }
  return catalog;
}

function usersOf(count: number, rng: Rng): PublicUsers {
  const users = new PublicRegistry<PublicUser>();
  for (let id = 0; id < count; id++) users.add({ id, country: rng.int(8), device: DEVICES[rng.int(3)], typicalHour: rng.int(24), signupTime: 0 });
  return users;
}

/** A click log over `days`: each row a click by a random user on a random item, in time order. */
function clickLog(examples: number, items: number, rng: Rng): TrainingLog {
  const buffer = new ImpressionBuffer(examples);
  for (let e = 0; e < examples; e++) {
    const time = (7 * e) / examples;
    buffer.append({
      time, epoch: 0, slateId: e, userId: rng.int(USERS), itemId: rng.int(items), position: 0, arm: 'bench', source: 'bench',
      propensity: 1, clicked: true, watchMinutes: 1, watchFraction: 0.5, completed: false, liked: false, survey: null,
    });
  }
  const log = new TrainingLog(14);
  log.add({ epoch: 0, start: 0, end: 7, impressions: buffer });
  return log;
}

function model(items: number, catalog: PublicCatalog): TwoTowerModel {
  const m = new TwoTowerModel({ dim: DIM, temperature: 0.1, learningRate: 0.01 }, new RandomStreams('bench-two-tower'));
  let tags = 0;
  let creators = 0;
  for (const item of catalog.all()) {
    creators = Math.max(creators, item.creatorId + 1);
    for (const t of item.topics) tags = Math.max(tags, t + 1);
  }
  m.ensureRows({ item: items, tag: tags, creator: creators, country: 8 });
  return m;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}


/** Median time of one full step (features, pooling, tfjs forward/backward, sparse update) with `items` in the catalog. */
function stepTime(items: number): { stepMs: number; featureMs: number } {
  const rng = new Rng(`bench-two-tower/steps/${items}`);
  const catalog = catalogOf(items, rng);
  const users = usersOf(USERS, rng);
  const m = model(items, catalog);
  const evidence = new IdEvidence(10);
  evidence.update(Int32Array.from({ length: 50_000 }, () => rng.int(items)), items);
  const steps: number[] = [];
  const features: number[] = [];
  for (let s = 0; s < STEPS + 5; s++) {
    // Items drawn from the whole catalog, so the touched rows spread over the whole table.
    const q = new UserQueries(BATCH, HISTORY);
    const itemIds = new Int32Array(BATCH);
    const times = new Float64Array(BATCH).fill(7);
    for (let b = 0; b < BATCH; b++) {
      const user = users.get(rng.int(USERS));
      q.userIds[b] = user.id;
      q.times[b] = 7;
      q.hours[b] = hourOfDay(7.3);
      q.devices[b] = deviceIndex(user.device);
      q.historyCounts[b] = HISTORY;
      for (let j = 0; j < HISTORY; j++) {
        q.historyItems[b * HISTORY + j] = rng.int(items);
        q.historyTimes[b * HISTORY + j] = 7 - 0.1 * j;
      }
      itemIds[b] = rng.int(items);
    }
    const t0 = performance.now();
    const user = userInputs(q, catalog, users, 3, evidence);
    const item = itemInputs(itemIds, times, catalog, evidence);
    const t1 = performance.now();
    m.trainStep({ user, item, itemIds, logQ: new Float32Array(BATCH).fill(Math.log(1 / items)) });
    const t2 = performance.now();
    if (s >= 5) {
      steps.push(t2 - t0);
      features.push(t1 - t0);
    }
  }
  m.dispose();
  return { stepMs: median(steps), featureMs: median(features) };
}

const backend = await initBackend();
console.log(`bench/two-tower.ts  node ${process.version}, tfjs backend: ${backend}`);
console.log(`matmul 1024x1024 on ${backend}: ${matmulGflops().toFixed(1)} GFLOP/s`);

{
  const items = ITEMS;
  const rng = new Rng('bench-two-tower/train');
  const catalog = catalogOf(items, rng);
  const users = usersOf(USERS, rng);
  const log = clickLog(EXAMPLES, items, rng);
  const m = model(items, catalog);
  const collectStart = performance.now();
  const examples = collectExamples(log, HISTORY, EXAMPLES);
  const collectSeconds = (performance.now() - collectStart) / 1000;
  const evidence = new IdEvidence(10);
  evidence.update(examples.itemIds, items);
  const shuffle = new Rng('shuffle');
  for (let r = 0; r < RETRAINS; r++) {
    const cpuStart = process.cpuUsage();
    const report = trainTwoTower(m, examples, { epochs: 1, batchSize: BATCH, logQCorrection: true, historyHalfLife: 3, evidence }, catalog, users, shuffle);
    const cpu = process.cpuUsage(cpuStart);
    console.log(
      `training${RETRAINS > 1 ? ` ${r + 1}/${RETRAINS}` : ''}: ${report.examples.toLocaleString('en')} examples, ${items.toLocaleString('en')} items, batch ${BATCH}, dim ${DIM}, history ${HISTORY}: ` +
        `${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU s, ${(report.examples / report.seconds).toFixed(0)} examples/s (${report.steps} steps, ${((1000 * report.seconds) / report.steps).toFixed(1)} ms/step; ` +
        `collecting examples from the log took ${collectSeconds.toFixed(2)} s)`,
    );
  }
  m.dispose();
}

/** Median time of the sparse Adam update alone: one item-table step touching a batch's target and history rows. */
function sparseUpdateTime(items: number): number {
  const rng = new Rng(`bench-two-tower/sparse/${items}`);
  const table = new SparseEmbedding('items', DIM, rng, { learningRate: 0.01, initialRows: items });
  const ids = new Int32Array(BATCH * (1 + HISTORY));
  const grad = Float32Array.from({ length: ids.length * DIM }, () => 1e-3 * rng.normal());
  const times: number[] = [];
  for (let s = 0; s < STEPS + 5; s++) {
    for (let k = 0; k < ids.length; k++) ids[k] = rng.int(items);
    const start = performance.now();
    table.applyGradient(ids, grad);
    if (s >= 5) times.push(performance.now() - start);
  }
  return median(times);
}

for (const items of [10_000, 200_000]) {
  const { stepMs, featureMs } = stepTime(items);
  const sparseMs = sparseUpdateTime(items);
  console.log(
    `step time, ${items.toLocaleString('en').padStart(7)} items, batch ${BATCH}: median ${stepMs.toFixed(1)} ms ` +
      `(feature building ${featureMs.toFixed(1)} ms); sparse item-table update alone (${(BATCH * (1 + HISTORY)).toLocaleString('en')} rows) ${sparseMs.toFixed(1)} ms`,
  );
}

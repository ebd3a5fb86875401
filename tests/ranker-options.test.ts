/**
 * The ranker's options on a small simulated log: MMoE, Platt and no calibration, IPS weights,
 * the return head, and warm starts across retrains.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import type { Candidate, RecRequest } from '../src/recommender/types.js';
import { parseScenario } from '../src/scenario/index.js';
import { buildPartsWith } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { TrainingLog } from '../src/training/training-log.js';
import type { PublicCatalog, PublicUsers } from '../src/world/public.js';
import { servingBatch } from './support/serving-batch.js';

const WORLD = `
name: ranker-options
seed: 4
horizon: { days: 4 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 6
  users: { count: 700, signups_per_day: 20 }
  items: { count: 300, uploads_per_day: 30, creators: 30 }
  response: { survey_rate: 0.5 }
recommender: { kind: random, slate_size: 5 }
logs: { impressions: false }
`;

const BASE: RankerConfig = {
  model: 'dcn_v2',
  heads: ['click', 'watch', 'survey', 'return'],
  cross_layers: 1,
  hidden: [16],
  experts: 3,
  cross_rank: 'full',
  epochs: 2,
  batch_size: 512,
  learning_rate: 0.005,
  max_examples: 300_000,
  ips: { enabled: false, clip: 10 },
  calibration: 'isotonic',
  holdout: 0.2, on_divergence: 'stop',
};

const FORMULA = 'click + watch';

/** The log after each day, and the rankers that observed the run. */
const logs: { log: TrainingLog; now: number }[] = [];
const rankers = new Map<string, MultiTaskRanker>();
let catalog: PublicCatalog;
let users: PublicUsers;

const VARIANTS: Record<string, Partial<RankerConfig>> = {
  mmoe: { model: 'mmoe', calibration: 'platt' },
  ips: { ips: { enabled: true, clip: 50 }, calibration: 'none' },
  warm: { learning_rate: 1e-9, epochs: 1 },
};

beforeAll(async () => {
  await initBackend();
  const sim = new Simulation(
    buildPartsWith(parseScenario(WORLD, 'ranker-options.yaml'), (ctx) => {
      catalog = ctx.catalog;
      users = ctx.users;
      for (const [name, change] of Object.entries(VARIANTS)) {
        rankers.set(name, new MultiTaskRanker({ ...BASE, ...change }, FORMULA, ctx.catalog, ctx.users, ctx.streams.stream(`ranker-${name}`)));
      }
      const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random'));
      return { name: 'random', serve: (r) => random.serve(r), observe: (f) => rankers.forEach((k) => k.observe(f)), retrain: () => {} };
    }),
  );
  const log = new TrainingLog(14);
  await sim.run((epoch) => {
    log.add({ epoch: epoch.bounds.epoch, start: epoch.bounds.start, end: epoch.bounds.end, impressions: epoch.impressions });
    const window = new TrainingLog(14);
    for (const chunk of log.chunks) window.add(chunk);
    logs.push({ log: window, now: epoch.bounds.end });
  });
  const last = logs[logs.length - 1];
  for (const name of ['mmoe', 'ips']) await rankers.get(name)?.retrain(last.log, last.now);
}, 120_000);

function get(name: string): MultiTaskRanker {
  const ranker = rankers.get(name);
  if (!ranker) throw new Error(`no ranker ${name}`);
  return ranker;
}

function batch(): { requests: RecRequest[]; candidates: Candidate[][] } {
  return servingBatch({ seed: 'options/serving', users, catalog, requests: 20, candidatesPerRequest: 30, time: 4.1, pastSessions: 2 });
}

describe('ranker options', () => {
  it('MMoE with Platt scaling learns every head, the return head included', () => {
    const reports = get('mmoe').headReports;
    expect(reports.map((r) => r.head)).toEqual(['click', 'watch', 'survey', 'return']);
    for (const r of reports) {
      expect(r.holdout, r.head).toBeGreaterThan(100);
      // Next-day return follows the user's satisfaction, which a candidate's features barely show in
      // this world: its AUC sits at 0.5 give or take noise (0.49 on this seed), so only its holdout
      // and its predictions are checked.
      if (r.head !== 'return') expect(r.auc, r.head).toBeGreaterThan(0.55);
    }
    // Return is masked over the last day of the window, so its holdout lies further back.
    const [click, , , ret] = reports;
    expect(ret.holdout).toBeLessThan(click.holdout);
    const { requests, candidates } = batch();
    for (const prediction of get('mmoe').predictHeads(requests, candidates)) {
      for (const column of prediction.values()) for (const p of column) expect(p >= 0 && p <= 1).toBe(true);
    }
  });

  it('without calibration reports the raw ECE as the calibrated one and serves the raw sigmoid', () => {
    const ranker = get('ips');
    const { metrics } = ranker.diagnostics();
    for (const head of BASE.heads) expect(metrics[`ece_${head}_calibrated`]).toBe(metrics[`ece_${head}_raw`]);
    const { requests, candidates } = batch();
    const raw = ranker.predictHeads(requests, candidates, false);
    const served = ranker.predictHeads(requests, candidates);
    expect(Array.from(served[0].get('click') ?? [])).toEqual(Array.from(raw[0].get('click') ?? []));
  });

  it('writes reliability tables in the report’s calibration.json shape', () => {
    const tables = get('mmoe').calibrationTables();
    expect(tables?.format).toBe('recloop-calibration/1');
    expect(tables?.method).toBe('platt');
    const click = tables?.heads.click;
    expect(click?.raw.bins.reduce((n, b) => n + b.count, 0)).toBe(get('mmoe').headReports[0].holdout);
    expect(click?.calibrated.ece).toBe(get('mmoe').diagnostics().metrics.ece_click_calibrated);
    expect(get('warm').calibrationTables()).toBeNull();
  });

  it('warm-starts: a retrain continues from the previous weights instead of starting over', async () => {
    const ranker = get('warm');
    const { requests, candidates } = batch();
    const { log, now } = logs[logs.length - 1];
    await ranker.retrain(log, now);
    const first = ranker.predictHeads(requests, candidates, false);
    // Same log, so the same features and item statistics; with a learning rate of 1e-9 the weights
    // barely move. A warm start predicts as before; a fresh initialisation (from a stream that
    // has moved on) would put predictions anywhere in (0, 1).
    await ranker.retrain(log, now);
    const second = ranker.predictHeads(requests, candidates, false);
    let largest = 0;
    for (let r = 0; r < requests.length; r++) {
      for (const head of BASE.heads) {
        const a = first[r].get(head) ?? new Float64Array();
        const b = second[r].get(head) ?? new Float64Array();
        for (let c = 0; c < a.length; c++) largest = Math.max(largest, Math.abs(a[c] - b[c]));
      }
    }
    expect(largest).toBeLessThan(1e-4);
    expect(ranker.lastTraining?.examples).toBeGreaterThan(0);
  });
});

/**
 * What the multi-task ranker reports and serves, recomputed from its parts: before the first
 * retrain (source scores, 0.5 per head, zero figures); after one, each head's holdout figures
 * from the network's raw logits on that head's held-out rows, the diagnostics and calibration
 * tables built from them, and served predictions as each head's calibrator (fitted on its
 * holdout) applied to the network's logit at position 0.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { auc } from '../src/recommender/ranking/auc.js';
import { expectedCalibrationError, reliabilityBins, sigmoid, type ReliabilityBin } from '../src/recommender/ranking/calibration.js';
import { crossFittedPredictions, fitCalibrator } from '../src/recommender/ranking/calibrators.js';
import { MAX_POSITIONS, positionOneHot } from '../src/recommender/ranking/model.js';
import { UserSummary } from '../src/recommender/ranking/features.js';
import { MultiTaskRanker, RANKER_HISTORY_LENGTH } from '../src/recommender/ranking/multi-task-ranker.js';
import { UserEngagement } from '../src/recommender/ranking/user-engagement.js';
import type { SlateFeedback } from '../src/recommender/types.js';
import { UserHistory } from '../src/training/user-history.js';
import { compileScoreFormula, FormulaError } from '../src/recommender/ranking/score-formula.js';
import { trainingRows } from '../src/recommender/ranking/trainer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { Rng } from '../src/rng/index.js';
import { replayAndRetrain, simulateRankerWorld, TINY_FORMULA, TINY_RANKER, type RankerWorld } from './support/ranker-world.js';
import { servingBatch } from './support/serving-batch.js';

const CONFIG = TINY_RANKER;
const FORMULA = TINY_FORMULA;

let world: RankerWorld;

beforeAll(async () => {
  await initBackend();
  world = await simulateRankerWorld();
}, 120_000);

const newRanker = (seed: string) => new MultiTaskRanker(CONFIG, FORMULA, world.catalog, world.users, new Rng(seed));
const batch = () =>
  servingBatch({ seed: 'ranker-reports/serving', users: world.users, catalog: world.catalog, requests: 4, candidatesPerRequest: 6, time: 2.1, pastSessions: 1 });

describe('before the first retrain', () => {
  it('serves source scores and 0.5 per head, and reports zeros', async () => {
    const ranker = newRanker('untrained');
    // An empty log trains nothing.
    await ranker.retrain(new TrainingLog(14), world.now);
    expect(ranker.trained).toBe(false);
    expect(ranker.network).toBeNull();
    expect(ranker.multiplyAddsPerCandidate).toBe(0);
    expect(ranker.lastTraining).toBeNull();
    expect(ranker.headReports).toEqual([]);
    expect(ranker.calibrationTables()).toBeNull();
    const { requests, candidates } = batch();
    const sourced = candidates.map((list, r) => list.map((c, k) => ({ ...c, sourceScore: r + k / 10 })));
    expect(ranker.score(requests, sourced).map((s) => Array.from(s))).toEqual(sourced.map((list) => list.map((c) => c.sourceScore)));
    const heads = ranker.predictHeads(requests, candidates);
    expect(heads.length).toBe(4);
    for (const perHead of heads) {
      expect([...perHead.keys()]).toEqual(['click', 'watch']);
      for (const p of perHead.values()) expect(Array.from(p)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    }
    const { metrics, files, timings } = ranker.diagnostics();
    expect(metrics).toEqual({
      ece_click_raw: 0,
      ece_click_calibrated: 0,
      ranker_auc_click: 0,
      ranker_holdout_click: 0,
      ece_watch_raw: 0,
      ece_watch_calibrated: 0,
      ranker_auc_watch: 0,
      ranker_holdout_watch: 0,
      ranker_train_examples: 0,
      ranker_divergences: 0,
    });
    expect(files).toEqual({});
    expect(timings).toEqual({ ranker_train_seconds: 0, ranker_train_examples_per_second: 0, ranker_serve_seconds: 0, ranker_serve_candidates_per_second: 0 });
    // Nothing to free yet.
    expect(() => ranker.dispose()).not.toThrow();
  });

  it('exports one head\'s representation: the same one again, another refused', () => {
    const ranker = newRanker('export');
    const exported = ranker.exportRepresentation('watch');
    expect(exported.head).toBe('watch');
    expect(ranker.exportRepresentation('watch')).toBe(exported);
    expect(() => ranker.exportRepresentation('click')).toThrow(new Error("ranker: already exports the watch head's representation"));
  });

  it('refuses a score formula compiled for other heads', () => {
    const ranker = newRanker('formula');
    const { requests, candidates } = batch();
    expect(() => ranker.scoreWith(compileScoreFormula('click', ['click', 'like']), requests, candidates)).toThrow(FormulaError);
    expect(() => ranker.scoreWith(compileScoreFormula('click', ['click', 'like']), requests, candidates)).toThrow('score formula "click" was compiled for heads click, like, not click, watch');
    expect(() => ranker.scoreWith(compileScoreFormula('click', ['watch', 'click']), requests, candidates)).toThrow(FormulaError);
    expect(ranker.scoreWith(compileScoreFormula('click', ['click', 'watch']), requests, candidates).length).toBe(4);
  });
});

describe('after a retrain', () => {
  it('with nothing held out, reports zeros and serves each head\'s raw sigmoid', async () => {
    const ranker = new MultiTaskRanker({ ...CONFIG, holdout: 0, calibration: 'isotonic' }, FORMULA, world.catalog, world.users, new Rng('no-holdout'));
    await replayAndRetrain(ranker, world);
    expect(ranker.headReports.map(({ head, holdout, auc }) => ({ head, holdout, auc }))).toEqual([
      { head: 'click', holdout: 0, auc: 0 },
      { head: 'watch', holdout: 0, auc: 0 },
    ]);
    const { requests, candidates } = batch();
    const raw = ranker.predictHeads(requests, candidates, false);
    const calibrated = ranker.predictHeads(requests, candidates);
    expect(calibrated.map((perHead) => [...perHead.values()].map((p) => Array.from(p)))).toEqual(raw.map((perHead) => [...perHead.values()].map((p) => Array.from(p))));
    // Not a constant: the raw sigmoid of each candidate's own logit.
    expect(new Set(raw.flatMap((perHead) => Array.from(perHead.get('click') ?? []))).size).toBeGreaterThan(1);
    ranker.dispose();
  });

  it('warm-starts a later retrain: the head biases are set from the base rates on the first only', async () => {
    // At learning rate 0 training moves nothing, so what a retrain leaves is what it set.
    const ranker = new MultiTaskRanker({ ...CONFIG, learning_rate: 0 }, FORMULA, world.catalog, world.users, new Rng('warm-start'));
    await replayAndRetrain(ranker, world);
    const network = ranker.network;
    if (!network) throw new Error('untrained');
    const baseRate = network.readout(0).positionBias[0];
    network.setOutputBias(Float32Array.of(1.5, -2));
    await ranker.retrain(world.log, world.now);
    expect(baseRate).not.toBeCloseTo(1.5, 2);
    expect(network.readout(0).positionBias[0]).toBeCloseTo(1.5, 6);
    expect(network.readout(1).positionBias[0]).toBeCloseTo(-2, 6);
    ranker.dispose();
  });

  it('serves a user by what it observed of them: a click seen after the retrain changes their predictions', async () => {
    const clicked = newRanker('observe');
    const skipped = newRanker('observe');
    await replayAndRetrain(clicked, world);
    await replayAndRetrain(skipped, world);
    // A click on the slate's first position: position 0 is a click like any other.
    const shown = world.feedback.find((f) => f.clicked === 0);
    if (!shown) throw new Error('no click at the first position in the world');
    // The same slate seen again, clicked by one ranker's account and not by the other's.
    clicked.observe(shown);
    skipped.observe({ ...shown, clicked: -1 });
    const request = { ...shown.request, time: world.now };
    const candidates = [shown.slate.entries.map((e) => ({ itemId: e.itemId, sources: ['a'], sourceScore: 0 }))];
    const values = (ranker: MultiTaskRanker) => [...ranker.predictHeads([request], candidates, false)[0].values()].map((p) => Array.from(p));
    expect(values(clicked)).not.toEqual(values(skipped));
    clicked.dispose();
    skipped.dispose();
  });

  it('serves a user the history and engagement of the slates it observed: the clicked item only, every shown one', async () => {
    // Trained on the log without observing the world's slates, so the user's summary holds only what follows.
    const ranker = newRanker('observed-summary');
    await ranker.retrain(world.log, world.now);
    const f = world.feedback[0];
    const userId = f.request.userId;
    const slate = (items: number[], time: number, clicked: number): SlateFeedback => ({
      ...f,
      request: { ...f.request, time },
      slate: { ...f.slate, entries: items.map((itemId, k) => ({ ...f.slate.entries[k], itemId })) },
      clicked,
    });
    // Item 1 shown and not clicked; then item 0 clicked at the first position.
    ranker.observe(slate([1, 2, 3], world.now - 0.2, -1));
    ranker.observe(slate([0, 4], world.now - 0.1, 0));
    const request = { ...f.request, time: world.now };
    ranker.predictHeads([request], [[{ itemId: 5, sources: ['a'], sourceScore: 0 }]]);
    // The same summary worked out from the two slates by hand.
    const history = new UserHistory(RANKER_HISTORY_LENGTH);
    history.record(userId, 0, world.now - 0.1);
    const engagement = new UserEngagement(ranker.layout.topics, world.catalog);
    engagement.addSlate(userId, world.now - 0.2, [1, 2, 3], -1);
    engagement.addSlate(userId, world.now - 0.1, [0, 4], 0);
    const globalRate = ranker.trainingSet(world.log, world.now).stats.globalClickRate(world.now);
    const want = new UserSummary(ranker.layout.topics).fill(history, engagement, userId, world.now, globalRate, world.catalog);
    // The summary the served rows were written from (the last request's).
    const served = ranker['servingSummary'];
    if (!served) throw new Error('no summary served');
    expect({ size: served.size, clicks: served.clicks, userRate: served.userRate }).toEqual({ size: 1, clicks: 1, userRate: want.userRate });
    expect(Array.from(served.topicShare)).toEqual(Array.from(want.topicShare));
    expect(Array.from(served.recentShare)).toEqual(Array.from(want.recentShare));
    expect(Array.from(served.topicRate)).toEqual(Array.from(want.topicRate));
    expect([0, 1, 2, 3, 4].map((item) => served.clickedRecently(item))).toEqual([true, false, false, false, false]);
    const creator = world.catalog.get(0).creatorId;
    expect(served.creatorClicks(creator)).toBe(1);
    ranker.dispose();
  });

  it("reports each head's ECE, AUC and reliability bins on its own held-out rows, and the run's size", async () => {
    const ranker = newRanker('reports');
    await replayAndRetrain(ranker, world);
    const network = ranker.network;
    if (!network) throw new Error('untrained');
    expect(ranker.trained).toBe(true);
    // The same examples, standardized the same way: the ranker's standardizer is fixed by now.
    const set = ranker.trainingSet(world.log, world.now);
    const H = 2;
    const trained = trainingRows({ dim: set.dim, heads: H, x: set.x, positions: set.positions, labels: set.labels, mask: set.trainMask, weights: set.weights });
    expect(ranker.lastTraining?.examples).toBe(trained.length * CONFIG.epochs);
    expect(ranker.lastTraining?.steps).toBe(Math.ceil(trained.length / CONFIG.batch_size) * CONFIG.epochs);
    const reports = ranker.headReports;
    expect(reports.map((r) => r.head)).toEqual(['click', 'watch']);
    for (let h = 0; h < H; h++) {
      const held = set.holdout[h];
      expect(held.length).toBeGreaterThan(100);
      const z = logitsAt(network, set.x, set.dim, held, set.positions, h, H);
      const y = Float64Array.from(held, (row) => set.labels[row * H + h]);
      const raw = Float64Array.from(z, sigmoid);
      const calibrated = crossFittedPredictions('platt', z, y);
      const report = reports[h];
      expect(report.holdout).toBe(held.length);
      expect(report.eceRaw).toBeCloseTo(expectedCalibrationError(raw, y), 5);
      expect(report.eceCalibrated).toBeCloseTo(expectedCalibrationError(calibrated, y), 5);
      expect(report.auc).toBeCloseTo(auc(z, y), 5);
      expect(report.auc).toBeGreaterThan(0.5);
      expectBins(report.rawBins, reliabilityBins(raw, y));
      expectBins(report.calibratedBins, reliabilityBins(calibrated, y));
    }
    const { metrics, files } = ranker.diagnostics();
    expect(metrics).toEqual({
      ece_click_raw: reports[0].eceRaw,
      ece_click_calibrated: reports[0].eceCalibrated,
      ranker_auc_click: reports[0].auc,
      ranker_holdout_click: reports[0].holdout,
      ece_watch_raw: reports[1].eceRaw,
      ece_watch_calibrated: reports[1].eceCalibrated,
      ranker_auc_watch: reports[1].auc,
      ranker_holdout_watch: reports[1].holdout,
      ranker_train_examples: trained.length,
      ranker_divergences: 0,
    });
    const tables = ranker.calibrationTables();
    expect(files).toEqual({ 'calibration.json': tables });
    expect(tables).toEqual({
      format: 'recloop-calibration/1',
      day: world.now,
      method: 'platt',
      heads: Object.fromEntries(reports.map((r) => [r.head, { raw: { ece: r.eceRaw, bins: r.rawBins }, calibrated: { ece: r.eceCalibrated, bins: r.calibratedBins } }])),
    });
    ranker.dispose();
    expect(ranker.trained).toBe(false);
    expect(ranker.network).toBeNull();
  });

  it("serves each head's calibrator, fitted on its holdout, over the network's logit at position 0, and scores with the formula", async () => {
    const ranker = newRanker('serving');
    await replayAndRetrain(ranker, world);
    const network = ranker.network;
    if (!network) throw new Error('untrained');
    expect(ranker.multiplyAddsPerCandidate).toBe(network.multiplyAdds);
    const set = ranker.trainingSet(world.log, world.now);
    const { requests, candidates } = batch();
    // A batch of two rows first: the serving buffer must grow for the next one.
    const small = ranker.predictHeads([requests[1]], [candidates[1].slice(0, 2)], false);
    const raw = ranker.predictHeads(requests, candidates, false);
    // Each request's rows are written where the network reads them: alone or in a batch, the same.
    for (const head of ['click', 'watch'] as const) {
      const alone = Array.from(small[0].get(head) ?? []);
      expect(alone).toHaveLength(2);
      alone.forEach((p, k) => expect(raw[1].get(head)?.[k]).toBeCloseTo(p, 6));
    }
    const calibrated = ranker.predictHeads(requests, candidates);
    const started = performance.now();
    const scores = ranker.score(requests, candidates);
    const scoreSeconds = (performance.now() - started) / 1000;
    const fitted = (['click', 'watch'] as const).map((head, h) => {
      const held = set.holdout[h];
      const z = logitsAt(network, set.x, set.dim, held, set.positions, h, 2);
      return fitCalibrator('platt', z, Float64Array.from(held, (row) => set.labels[row * 2 + h]));
    });
    let spread = 0;
    for (const [r, list] of candidates.entries()) {
      const click = raw[r].get('click');
      const watch = raw[r].get('watch');
      if (!click || !watch) throw new Error('missing head');
      for (let k = 0; k < list.length; k++) {
        const zClick = Math.log(click[k] / (1 - click[k]));
        const zWatch = Math.log(watch[k] / (1 - watch[k]));
        const pClick = fitted[0].apply(zClick);
        const pWatch = fitted[1].apply(zWatch);
        expect(calibrated[r].get('click')?.[k]).toBeCloseTo(pClick, 6);
        expect(calibrated[r].get('watch')?.[k]).toBeCloseTo(pWatch, 6);
        expect(scores[r][k]).toBeCloseTo(pClick + 2 * pWatch, 6);
        spread = Math.max(spread, Math.abs(pClick - fitted[0].apply(0)));
      }
    }
    // The calibrators are not the identity and the candidates differ.
    expect(spread).toBeGreaterThan(1e-3);
    const furthest = Math.max(...[-3, -2, -1, 0, 1, 2, 3].map((z) => Math.abs(fitted[0].apply(z) - sigmoid(z))));
    expect(furthest).toBeGreaterThan(0.05);
    // Timings: the last retrain's run, and the serving of the epoch before it (none yet).
    const run = ranker.lastTraining;
    if (!run) throw new Error('no training run');
    expect(ranker.diagnostics().timings).toEqual({
      ranker_train_seconds: run.seconds,
      ranker_train_examples_per_second: run.examples / run.seconds,
      ranker_serve_seconds: 0,
      ranker_serve_candidates_per_second: 0,
    });
    // The next retrain reports the 24 candidates score() served since this one (predictHeads is not serving).
    await ranker.retrain(world.log, world.now);
    const { timings } = ranker.diagnostics();
    // Seconds, not milliseconds: at most the time the score() call took.
    expect(timings.ranker_serve_seconds).toBeGreaterThan(0);
    expect(timings.ranker_serve_seconds).toBeLessThanOrEqual(scoreSeconds);
    expect(timings.ranker_serve_candidates_per_second * timings.ranker_serve_seconds).toBeCloseTo(24, 6);
    ranker.dispose();
  });
});

function expectBins(actual: readonly ReliabilityBin[], expected: readonly ReliabilityBin[]): void {
  expect(actual.map(({ lower, upper, count, observed }) => ({ lower, upper, count, observed }))).toEqual(
    expected.map(({ lower, upper, count, observed }) => ({ lower, upper, count, observed })),
  );
  actual.forEach((bin, k) => expect(bin.predicted).toBeCloseTo(expected[k].predicted, 5));
}

/** Head h's logits for the given rows at their logged positions, straight from the network. */
function logitsAt(network: NonNullable<MultiTaskRanker['network']>, x: Float32Array, dim: number, rows: Int32Array, positions: Int32Array, h: number, heads: number): Float64Array {
  const features = new Float32Array(rows.length * dim);
  rows.forEach((row, k) => features.set(x.subarray(row * dim, (row + 1) * dim), k * dim));
  const logits = tf.tidy(() =>
    network.apply(tf.tensor2d(features, [rows.length, dim]), tf.tensor2d(positionOneHot(Array.from(rows, (row) => positions[row])), [rows.length, MAX_POSITIONS])),
  );
  const all = logits.dataSync();
  logits.dispose();
  return Float64Array.from(rows, (_, k) => all[k * heads + h]);
}

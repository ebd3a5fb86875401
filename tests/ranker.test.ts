/**
 * The multi-task ranker against the bar of issue #3, on logs from the real simulator: uniformly
 * random slates for five days on a small world, over ten seeds (worlds), with the ranker
 * observing every slate as it would inside the pipeline. Trained once per seed on the whole
 * window, it must (a) beat a logistic regression on the same features in held-out AUC, by more
 * than the spread over seeds allows by chance, on the click and watch heads, and be no worse on
 * the sparse ones; (b) after calibration, be as well calibrated as the
 * holdout can tell, and undo a deliberate miscalibration; (c) pick different winners when the
 * score formula weights different heads. The test prints its figures.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import { auc } from '../src/recommender/ranking/auc.js';
import { expectedCalibrationError, sigmoid } from '../src/recommender/ranking/calibration.js';
import { crossFittedPredictions } from '../src/recommender/ranking/calibrators.js';
import type { RankerConfig } from '../src/recommender/ranking/config.js';
import { LogisticBaseline } from '../src/recommender/ranking/logistic-baseline.js';
import { MAX_POSITIONS, positionOneHot } from '../src/recommender/ranking/model.js';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import { compileScoreFormula } from '../src/recommender/ranking/score-formula.js';
import { trainingRows, type TrainingData } from '../src/recommender/ranking/trainer.js';
import type { TrainingSet } from '../src/recommender/ranking/training-set.js';
import type { Candidate, RecRequest } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';
import { parseScenario } from '../src/scenario/index.js';
import { buildPartsWith } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { TrainingLog } from '../src/training/training-log.js';

/** Seeds of the world and the ranker; all checks run on each. */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Heads with too few positives here for the ranker's edge over a logistic regression to show (a). */
const SPARSE_HEADS: ReadonlySet<string> = new Set(['complete', 'like', 'survey']);

/**
 * Every click is followed by a survey answer (survey_rate 1) and completion needs 70% of the item
 * rather than 90%: without that the survey and complete heads have a few dozen held-out positives,
 * too few for an AUC comparison to mean anything. About 75k impressions per seed.
 */
const world = (seed: number): string => `
name: ranker-bar
seed: ${seed}
horizon: { days: 5 }
schedule: { kind: continuous, batch_window: 5m }
world:
  topics: 8
  users: { count: 1200, signups_per_day: 20 }
  items: { count: 500, uploads_per_day: 40, creators: 40 }
  response: { survey_rate: 1, like_base: 0.05, completion_threshold: 0.7 }
recommender: { kind: random, slate_size: 5 }
logs: { impressions: false }
`;

const HEADS = ['click', 'watch', 'complete', 'like', 'survey'] as const;

const CONFIG: RankerConfig = {
  model: 'dcn_v2',
  heads: [...HEADS],
  cross_layers: 1,
  hidden: [32],
  experts: 4,
  cross_rank: 'full',
  epochs: 4,
  batch_size: 1024,
  learning_rate: 0.005,
  max_examples: 300_000,
  ips: { enabled: false, clip: 10 },
  calibration: 'isotonic',
  holdout: 0.2, on_divergence: 'stop',
};

/** Enough for the logistic regression to converge on this many rows (more epochs change its AUC by < 0.001). */
const LOGISTIC_EPOCHS = 5;

const FORMULA = '0.3*click + 0.4*watch + 0.1*complete + 0.1*like + 0.1*survey';

/** One-sided 95% quantile of Student's t with SEEDS.length − 1 = 9 degrees of freedom. */
const T_95 = 1.833;

/** An overconfident, shifted distortion of a logit, for (b). */
const distort = (z: number): number => 2.5 * z + 1;

interface HeadHoldout {
  readonly logits: Float64Array;
  readonly labels: Float64Array;
}

interface SeedRun {
  readonly seed: number;
  readonly sim: Simulation;
  readonly ranker: MultiTaskRanker;
  readonly log: TrainingLog;
  readonly now: number;
  readonly set: TrainingSet;
  readonly logisticAuc: number[];
  /** Per head, the ranker's raw logits on that head's holdout and the labels. */
  readonly holdout: HeadHoldout[];
}

const runs: SeedRun[] = [];
let untrained: MultiTaskRanker;

async function runSeed(seed: number): Promise<SeedRun> {
  let ranker: MultiTaskRanker | null = null;
  const log = new TrainingLog(14);
  let now = 0;
  const sim = new Simulation(
    buildPartsWith(parseScenario(world(seed), 'ranker-bar.yaml'), (ctx) => {
      const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random'));
      const observer = new MultiTaskRanker(CONFIG, FORMULA, ctx.catalog, ctx.users, ctx.streams.stream('ranker'));
      ranker = observer;
      untrained ??= new MultiTaskRanker(CONFIG, FORMULA, ctx.catalog, ctx.users, ctx.streams.stream('untrained'));
      return { name: 'random', serve: (r) => random.serve(r), observe: (f) => observer.observe(f), retrain: () => {} };
    }),
  );
  await sim.run((epoch) => {
    log.add({ epoch: epoch.bounds.epoch, start: epoch.bounds.start, end: epoch.bounds.end, impressions: epoch.impressions });
    now = epoch.bounds.end;
  });
  if (!ranker) throw new Error('the simulation built no recommender');
  const trained: MultiTaskRanker = ranker;
  await trained.retrain(log, now);

  // The same examples, standardized the same way, for the baseline and the calibration checks.
  const set = trained.trainingSet(log, now);
  const H = HEADS.length;
  const data: TrainingData = { dim: set.dim, heads: H, x: set.x, positions: set.positions, labels: set.labels, mask: set.trainMask, weights: set.weights };
  const baseline = new LogisticBaseline(set.dim, H);
  baseline.fit(data, trainingRows(data), new Rng('logistic'), { epochs: LOGISTIC_EPOCHS });
  const z = new Float64Array(H);
  const labelsOf = (h: number): Float64Array => Float64Array.from(set.holdout[h], (i) => set.labels[i * H + h]);
  const logisticAuc = HEADS.map((_, h) => auc(Array.from(set.holdout[h], (i) => baseline.logits(set.x, i, set.positions[i], z)[h]), labelsOf(h)));
  const holdout = HEADS.map((_, h) => ({ logits: heldOutLogits(trained, set, h), labels: labelsOf(h) }));
  return { seed, sim, ranker: trained, log, now, set, logisticAuc, holdout };
}

/** The trained network's logits for head h on its held-out rows, at their logged positions (as the ranker's own calibration sees them). */
function heldOutLogits(ranker: MultiTaskRanker, set: TrainingSet, h: number): Float64Array {
  const network = ranker.network;
  if (!network) throw new Error('ranker not trained');
  const rows = set.holdout[h];
  const x = new Float32Array(rows.length * set.dim);
  rows.forEach((row, k) => x.set(set.x.subarray(row * set.dim, (row + 1) * set.dim), k * set.dim));
  const out = tf.tidy(() =>
    network.apply(tf.tensor2d(x, [rows.length, set.dim]), tf.tensor2d(positionOneHot(Array.from(rows, (row) => set.positions[row])), [rows.length, MAX_POSITIONS])),
  );
  const all = out.dataSync();
  out.dispose();
  return Float64Array.from(rows, (_, k) => all[k * HEADS.length + h]);
}

/**
 * The ECE a perfectly calibrated predictor would show on this holdout by chance: labels redrawn
 * from the predictions themselves, 20 times; mean + 3 sd. Below it, calibration error is noise.
 * (Redrawn as 0/1: for the soft watch label, which varies less, the bound is a little loose.)
 */
function eceNoiseBound(predictions: Float64Array, rng: Rng): number {
  const draws = Array.from({ length: 20 }, () => expectedCalibrationError(predictions, Float64Array.from(predictions, (p) => (rng.bernoulli(p) ? 1 : 0))));
  const { mean, sd } = meanSd(draws);
  return mean + 3 * sd;
}

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
  return { mean, sd };
}

beforeAll(async () => {
  await initBackend();
  for (const seed of SEEDS) runs.push(await runSeed(seed));
}, 300_000);

describe('multi-task ranker on simulated logs', () => {
  it('trained on the log window with a holdout per head', () => {
    for (const { ranker, log, set, holdout } of runs) {
      expect(log.rows).toBeGreaterThan(60_000);
      expect(set.unobservedSlates).toBe(0);
      const [click, , , , survey] = ranker.headReports;
      expect(click.holdout).toBe(Math.round(0.2 * set.n));
      expect(survey.holdout).toBeGreaterThan(1_500);
      // Every epoch passes over each row that trains at least one head.
      const { metrics } = ranker.diagnostics();
      expect(metrics.ranker_train_examples).toBeGreaterThan(0.75 * set.n);
      expect(ranker.lastTraining?.examples).toBe(CONFIG.epochs * metrics.ranker_train_examples);
      // The test's held-out logits are the ones the ranker scored itself on.
      ranker.headReports.forEach((report, h) => expect(auc(holdout[h].logits, holdout[h].labels), report.head).toBeCloseTo(report.auc, 6));
    }
  });

  /**
   * Paired by seed: d = ranker AUC − logistic AUC on the same holdout. Per head, a one-sided paired
   * t-test at 5% over the seeds: mean(d) > t₀.₉₅,₉ · sd(d)/√n, sd from the same seeds. Measured on
   * seeds 1–10 (mean/sd of d), with the random start-up's slates keyed by request: click
   * 0.011/0.006, watch 0.009/0.007 — a t of 4–6 — but complete 0.003/0.009, like 0.002/0.012 and
   * survey −0.003/0.008; with the earlier in-order slate draws (same law, other slates) complete was
   * 0.007/0.004, like 0.006/0.015, survey 0.004/0.007. On the three sparse heads (completion at a
   * 70% watch share, a 5% like rate, ~2k answered surveys held out) the difference is within noise
   * at this data size, so there the test asks only that the ranker is not worse:
   * mean(d) > −t₀.₉₅,₉ · sd(d)/√n. Five seeds left watch's margin within 10% of its mean.
   */
  it('(a) beats a logistic regression on the same features in held-out AUC, paired by seed', () => {
    const lines: string[] = [];
    const checks: (() => void)[] = [];
    for (const [h, head] of HEADS.entries()) {
      const d = runs.map((r) => r.ranker.headReports[h].auc - r.logisticAuc[h]);
      const { mean, sd } = meanSd(d);
      const margin = (T_95 * sd) / Math.sqrt(d.length);
      lines.push(`${head.padEnd(8)} ranker − logistic per seed ${d.map((v) => v.toFixed(4)).join(' ')}  mean ${mean.toFixed(4)}  margin ${margin.toFixed(4)}`);
      checks.push(() => {
        if (SPARSE_HEADS.has(head)) expect(mean, head).toBeGreaterThan(-margin);
        else expect(mean, head).toBeGreaterThan(margin);
        for (const r of runs) expect(r.ranker.headReports[h].auc, `${head}, seed ${r.seed}`).toBeGreaterThan(0.6);
      });
    }
    console.log(`held-out AUC, seeds ${SEEDS.join(', ')}\n${lines.join('\n')}`);
    for (const check of checks) check();
  });

  it('(b) after calibration, every head is within the ECE a perfectly calibrated predictor shows by chance', () => {
    const rng = new Rng('ranker-test/ece-noise');
    const lines: string[] = [];
    for (const r of runs) {
      const { metrics } = r.ranker.diagnostics();
      for (const [h, head] of HEADS.entries()) {
        const bound = eceNoiseBound(Float64Array.from(r.holdout[h].logits, sigmoid), rng);
        const calibrated = metrics[`ece_${head}_calibrated`];
        lines.push(`seed ${r.seed} ${head.padEnd(8)} raw ${metrics[`ece_${head}_raw`].toFixed(4)} calibrated ${calibrated.toFixed(4)} noise bound ${bound.toFixed(4)}`);
        expect(calibrated, `${head}, seed ${r.seed}`).toBeLessThan(bound);
      }
    }
    console.log(`held-out ECE (10 equal-width bins; calibrated = cross-fitted on the holdout)\n${lines.join('\n')}`);
  });

  it('(b) calibration undoes a deliberate miscalibration of the ranker’s held-out logits', () => {
    const rng = new Rng('ranker-test/ece-distorted');
    for (const r of runs) {
      for (const [h, head] of HEADS.entries()) {
        const { logits, labels } = r.holdout[h];
        const distorted = Float64Array.from(logits, distort);
        const raw = Float64Array.from(distorted, sigmoid);
        // Calibration estimates the probabilities behind the labels, so its output is held to the
        // noise of a calibrated predictor with the ranker's own spread (the undistorted logits),
        // not to that of the distorted, overconfident probabilities (a tighter bound it cannot see).
        const bound = eceNoiseBound(Float64Array.from(logits, sigmoid), rng);
        const before = expectedCalibrationError(raw, labels);
        const after = expectedCalibrationError(crossFittedPredictions(CONFIG.calibration, distorted, labels), labels);
        expect(before, `${head}, seed ${r.seed}: the distortion is well beyond noise`).toBeGreaterThan(3 * bound);
        expect(after, `${head}, seed ${r.seed}`).toBeLessThan(bound);
        expect(after, `${head}, seed ${r.seed}`).toBeLessThan(0.25 * before);
      }
    }
  });

  it('(c) changing the weights of the formula changes which candidate wins', () => {
    const lines: string[] = [];
    for (const r of runs) {
      const { requests, candidates } = servingBatch(r, 200, 60);
      const top = (formula: string): number[] =>
        r.ranker.scoreWith(compileScoreFormula(formula, HEADS), requests, candidates).map((scores, k) => candidates[k][argmax(scores)].itemId);
      const byClick = top('click');
      const byWatch = top('watch');
      const bySurvey = top('survey');
      const differ = (a: number[], b: number[]): number => a.filter((id, k) => id !== b[k]).length / a.length;
      // Truth, read by the test only: clickbait wins clicks, not satisfaction.
      const clickbait = (winners: number[]): number => winners.filter((id) => r.sim.world.items.truthOf(id).clickbait).length / winners.length;
      lines.push(
        `seed ${r.seed}: winners differ: click vs watch ${(100 * differ(byClick, byWatch)).toFixed(0)}%, click vs survey ${(100 * differ(byClick, bySurvey)).toFixed(0)}%; ` +
          `clickbait among winners: by click ${(100 * clickbait(byClick)).toFixed(0)}%, by survey ${(100 * clickbait(bySurvey)).toFixed(0)}%`,
      );
      expect(differ(byClick, byWatch)).toBeGreaterThan(0.2);
      expect(differ(byClick, bySurvey)).toBeGreaterThan(0.5);
      expect(clickbait(byClick)).toBeGreaterThan(2 * clickbait(bySurvey));
    }
    console.log(lines.join('\n'));
  });

  it('scores a batch in one pass: the same scores as request by request, combined by the formula', () => {
    const [first] = runs;
    const { ranker } = first;
    const { requests, candidates } = servingBatch(first, 6, 40);
    const batch = ranker.score(requests, candidates);
    const heads = ranker.predictHeads(requests, candidates);
    for (let r = 0; r < requests.length; r++) {
      const alone = ranker.score([requests[r]], [candidates[r]])[0];
      for (let c = 0; c < candidates[r].length; c++) {
        expect(batch[r][c]).toBeCloseTo(alone[c], 6);
        const p = (head: (typeof HEADS)[number]): number => heads[r].get(head)?.[c] ?? Number.NaN;
        expect(batch[r][c]).toBeCloseTo(0.3 * p('click') + 0.4 * p('watch') + 0.1 * p('complete') + 0.1 * p('like') + 0.1 * p('survey'), 9);
        for (const head of HEADS) expect(p(head)).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('reports the same diagnostic keys before and after training', () => {
    const { ranker } = runs[0];
    const before = untrained.diagnostics();
    const after = ranker.diagnostics();
    expect(Object.keys(after.metrics).sort()).toEqual(Object.keys(before.metrics).sort());
    for (const head of HEADS) {
      for (const key of [`ece_${head}_raw`, `ece_${head}_calibrated`, `ranker_auc_${head}`, `ranker_holdout_${head}`]) {
        expect(before.metrics[key]).toBe(0);
        expect(Number.isFinite(after.metrics[key])).toBe(true);
      }
    }
    expect(after.timings.ranker_train_examples_per_second).toBeGreaterThan(0);
    expect(ranker.multiplyAddsPerCandidate).toBeGreaterThan(0);
  });

  it('before its first retrain, passes the source scores through and predicts 0.5', () => {
    const { requests, candidates } = servingBatch(runs[0], 3, 5);
    const scores = untrained.score(requests, candidates);
    expect(scores.map((s) => Array.from(s))).toEqual(candidates.map((list) => list.map((c) => c.sourceScore)));
    for (const prediction of untrained.predictHeads(requests, candidates)) for (const column of prediction.values()) expect(Array.from(column).every((p) => p === 0.5)).toBe(true);
  });
});

/** Requests from random existing users of a seed's world, each with its own random candidates (source score = rank). */
function servingBatch(run: SeedRun, requestCount: number, candidateCount: number): { requests: RecRequest[]; candidates: Candidate[][] } {
  const rng = new Rng('ranker-test/serving');
  const catalog = run.sim.world.items.public;
  const users = run.sim.world.users.public;
  const now = run.now;
  const requests: RecRequest[] = [];
  const candidates: Candidate[][] = [];
  for (let r = 0; r < requestCount; r++) {
    const userId = rng.int(users.size);
    requests.push({ slateId: 10_000_000 + r, userId, time: now + 0.1, hourOfDay: 2, device: users.get(userId).device, requestInSession: 0, pastSessions: 4 });
    candidates.push(rng.sampleIndices(catalog.size, candidateCount).map((itemId, k) => ({ itemId, sources: ['test'], sourceScore: -k })));
  }
  return { requests, candidates };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

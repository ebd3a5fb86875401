/**
 * The ranking cascade: the linear pre-ranker's fit and selection on exact data, the pipeline's
 * reading of NaN as dropped, and the cascade inside the multi-task ranker on a small real world
 * (which candidates reach the network, and that the network's scores of them are unchanged).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/ml/backend.js';
import { orderByScore } from '../src/recommender/pipeline.js';
import { sigmoid } from '../src/recommender/ranking/calibration.js';
import { MAX_POSITIONS, positionOneHot } from '../src/recommender/ranking/model.js';
import { MultiTaskRanker, PRERANK_FIT_ROWS, PRERANK_RECALL_EVERY, sampledForRecall } from '../src/recommender/ranking/multi-task-ranker.js';
import { PreRanker } from '../src/recommender/ranking/pre-ranker.js';
import type { Candidate } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';
import { TrainingLog } from '../src/training/training-log.js';
import { replayAndRetrain, simulateRankerWorld, TINY_FORMULA, TINY_RANKER, type RankerWorld } from './support/ranker-world.js';
import { servingBatch } from './support/serving-batch.js';

function candidates(sources: readonly string[]): Candidate[] {
  return sources.map((source, itemId) => ({ itemId, sources: [source], sourceScore: 0 }));
}

describe('PreRanker', () => {
  const dim = 3;
  const truth = [2, -1, 0.5];
  const rng = new Rng('pre-ranker');
  const n = 400;
  const x = Float32Array.from({ length: n * dim }, () => rng.normal());
  const target = Array.from({ length: n }, (_, i) => 3 + truth[0] * x[i * dim] + truth[1] * x[i * dim + 1] + truth[2] * x[i * dim + 2]);

  it('keeps each request\'s best by the fitted linear score, plus bypassing sources', () => {
    const pre = new PreRanker({ keep: 2, bypass: ['fresh'], bypass_kept: 'all' }, dim);
    expect(pre.fitted).toBe(false);
    pre.fit(x, n, target);
    expect(pre.fitted).toBe(true);
    // Request 0: rows 0-4 (one fresh, row 1, which also comes from a source that does not
    // bypass: one bypassing source is enough); request 1: rows 5-6, fewer than keep.
    const lists = [candidates(['a', 'a', 'a', 'a', 'a']), candidates(['a', 'a'])];
    lists[0][1] = { ...lists[0][1], sources: ['a', 'fresh'] };
    const kept = new Uint8Array(7).fill(9);
    const count = pre.select(x, lists, kept);
    const best = [0, 1, 2, 3, 4].sort((a, b) => target[b] - target[a]).slice(0, 2);
    expect(best).not.toContain(1);
    const want = [0, 1, 2, 3, 4].map((k) => (best.includes(k) || k === 1 ? 1 : 0));
    expect([...kept.subarray(0, 5)]).toEqual(want);
    expect([...kept.subarray(5)]).toEqual([1, 1]);
    expect(count).toBe(want.reduce((s: number, v) => s + v, 0) + 2);
    expect(pre.takeFigures()).toEqual({ recall: 0, keptShare: count / 7 });
  });

  it('with bypass_kept proportional, trims the bypassing candidates in proportion too, keeping their best and the rest\'s', () => {
    const pre = new PreRanker({ keep: 5, bypass: ['fresh'], bypass_kept: 'proportional' }, 1);
    pre.fit(Float32Array.from([0, 1, 2, 3]), 4, [0, 1, 2, 3]);
    // Ten candidates, four of them fresh (rows 1, 4, 6, 9): round(5 · 4 / 10) = 2 fresh kept, the
    // two fresh scored highest (rows 9 and 6), and the three best of the rest (rows 8, 0, 2),
    // though fresh row 4 scores above rows 0 and 2.
    const scores = Float32Array.from([7, 3, 6, 1, 8, 2, 9, 5, 10, 11]);
    const lists = [candidates(['a', 'fresh', 'a', 'a', 'fresh', 'a', 'fresh', 'a', 'a', 'fresh'])];
    const kept = new Uint8Array(10);
    expect(pre.select(scores, lists, kept)).toBe(5);
    expect([...kept]).toEqual([1, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
    // A request without bypassing candidates keeps its best five, as without a bypass.
    const plain = new Uint8Array(10);
    pre.select(scores, [candidates(new Array<string>(10).fill('a'))], plain);
    expect([...plain]).toEqual([1, 0, 0, 0, 1, 0, 1, 0, 1, 1]);
    // Three fresh of ten: a share of 1.5 rounds to 2 (rows 6 and 4), the rest get 3 (rows 9, 8, 0).
    const half = new Uint8Array(10);
    pre.select(scores, [candidates(['a', 'fresh', 'a', 'a', 'fresh', 'a', 'fresh', 'a', 'a', 'a'])], half);
    expect([...half]).toEqual([1, 0, 0, 0, 1, 0, 1, 0, 1, 1]);
    // Two of ten (rows 4 and 6): exactly 1 (row 6); the rest get 4 (rows 9, 8, 0, 2).
    const one = new Uint8Array(10);
    pre.select(scores, [candidates(['a', 'a', 'a', 'a', 'fresh', 'a', 'fresh', 'a', 'a', 'a'])], one);
    expect([...one]).toEqual([1, 0, 1, 0, 0, 0, 1, 0, 1, 1]);
  });

  it('keeps rows in order across requests shorter than keep, and refuses to select before it is fitted', () => {
    const pre = new PreRanker({ keep: 1, bypass: [], bypass_kept: 'all' }, 1);
    expect(() => pre.select(Float32Array.of(1), [candidates(['a'])], new Uint8Array(1))).toThrow(new Error('pre-ranker: not fitted'));
    pre.fit(Float32Array.from([0, 1, 2, 3]), 4, [0, 1, 2, 3]);
    // A one-candidate request, then one of three whose best is its last row.
    const kept = new Uint8Array(4);
    expect(pre.select(Float32Array.from([5, 1, 2, 3]), [candidates(['a']), candidates(['a', 'a', 'a'])], kept)).toBe(2);
    expect([...kept]).toEqual([1, 0, 0, 1]);
    expect(pre.takeFigures()).toEqual({ recall: 0, keptShare: 0.5 });
  });

  it('breaks ties at the cut by list position and counts what it kept', () => {
    const pre = new PreRanker({ keep: 2, bypass: [], bypass_kept: 'all' }, 1);
    pre.fit(Float32Array.from([0, 1, 2, 3]), 4, [0, 1, 2, 3]);
    const kept = new Uint8Array(4);
    // Scores 1, 1, 1, 0: the first two of the tied three are kept.
    expect(pre.select(Float32Array.from([1, 1, 1, 0]), [candidates(['a', 'a', 'a', 'a'])], kept)).toBe(2);
    expect([...kept]).toEqual([1, 1, 0, 0]);
    expect(pre.takeFigures()).toEqual({ recall: 0, keptShare: 0.5 });
    expect(pre.takeFigures()).toEqual({ recall: 0, keptShare: 0 });
    // Scores 0, 1, 1, 5, 1 with keep 2: the 5, then the first of the tied 1s (one place is left for them).
    const above = new Uint8Array(5);
    expect(pre.select(Float32Array.from([0, 1, 1, 5, 1]), [candidates(['a', 'a', 'a', 'a', 'a'])], above)).toBe(2);
    expect([...above]).toEqual([0, 1, 0, 1, 0]);
  });

  it('measures recall against the full list\'s own top', () => {
    const pre = new PreRanker({ keep: 2, bypass: [], bypass_kept: 'all' }, 1);
    // Full scores 5, 4, 3, 2 at offset 1 of the kept flags; kept: items 0 and 2 of the list.
    pre.recordRecall([5, 4, 3, 2], Uint8Array.from([0, 1, 0, 1, 0]), 1, 2);
    expect(pre.takeFigures().recall).toBe(0.5);
    // Unsorted, with a tie at the cut taken by list position: the top 2 of 3, 5, 3, 1 are items 1
    // and 0 (not 2), of which item 0 is kept; the top 3 of a two-item list is both.
    pre.recordRecall([3, 5, 3, 1], Uint8Array.from([1, 0, 0, 1]), 0, 2);
    expect(pre.takeFigures().recall).toBe(0.5);
    // All tied: the first two by position.
    pre.recordRecall([2, 2, 2, 2], Uint8Array.from([1, 1, 0, 0]), 0, 2);
    expect(pre.takeFigures().recall).toBe(1);
    pre.recordRecall([1, 2, 3, 4, 5], Uint8Array.from([1, 1, 1, 0, 0]), 0, 2);
    expect(pre.takeFigures().recall).toBe(0);
    pre.recordRecall([2, 1], Uint8Array.from([0, 1]), 0, 3);
    expect(pre.takeFigures().recall).toBe(0.5);
  });

  it('hands its counts over and takes the run\'s in their place (a run split by users), and its weights to another thread\'s copy', () => {
    const pre = new PreRanker({ keep: 1, bypass: [], bypass_kept: 'all' }, 1);
    pre.fit(Float32Array.from([0, 1, 2, 3]), 4, [0, 1, 2, 3]);
    pre.select(Float32Array.from([5, 1, 2, 3]), [candidates(['a']), candidates(['a', 'a', 'a'])], new Uint8Array(4));
    pre.recordRecall([3, 5, 3, 1], Uint8Array.from([1, 0, 0, 1]), 0, 2);
    // Recall hits and total, rows kept and seen; taking them leaves them in place.
    expect([...pre.tally.take()]).toEqual([1, 2, 2, 4]);
    expect([...pre.tally.take()]).toEqual([1, 2, 2, 4]);
    // The run's sums replace this thread's counts: the figures are the run's.
    pre.tally.replace(Float64Array.of(3, 4, 2, 8));
    expect(pre.takeFigures()).toEqual({ recall: 0.75, keptShare: 0.25 });
    expect([...pre.tally.take()]).toEqual([0, 0, 0, 0]);
    expect(() => pre.tally.replace(Float64Array.of(1, 2, 3))).toThrow(/a tally of 3 counts, not 4/);
    // Another copy serves with the fitted weights it adopts (here a negative weight: the lowest score is kept).
    const fitted = pre.fittedWeights;
    expect(fitted?.length).toBe(1);
    const other = new PreRanker({ keep: 1, bypass: [], bypass_kept: 'all' }, 1);
    expect(other.fittedWeights).toBeNull();
    other.adoptWeights(Float32Array.of(-1));
    expect(other.fitted).toBe(true);
    const kept = new Uint8Array(3);
    other.select(Float32Array.from([5, 1, 2]), [candidates(['a', 'a', 'a'])], kept);
    expect([...kept]).toEqual([0, 1, 0]);
    other.adoptWeights(fitted ?? new Float32Array(0));
    other.select(Float32Array.from([5, 1, 2]), [candidates(['a', 'a', 'a'])], kept.fill(0));
    expect([...kept]).toEqual([1, 0, 0]);
    expect(() => other.adoptWeights(Float32Array.of(1, 2))).toThrow(/2 weights for 1 features/);
  });

  it('refuses a keep of zero', () => {
    expect(() => new PreRanker({ keep: 0, bypass: [], bypass_kept: 'all' }, 1)).toThrow(/prerank.keep/);
  });
});

describe('orderByScore', () => {
  it('leaves out candidates scored NaN', () => {
    const list = candidates(['a', 'a', 'a', 'a']);
    expect(orderByScore(list, [0.1, Number.NaN, 0.3, Number.NaN]).map((c) => c.itemId)).toEqual([2, 0]);
    expect(orderByScore(list, [0.4, Number.NaN, 0.3, 0.2], 2).map((c) => c.itemId)).toEqual([0, 2]);
  });
});

const CONFIG = TINY_RANKER;
const FORMULA = TINY_FORMULA;

describe('the cascade in the multi-task ranker', () => {
  let world: RankerWorld;
  beforeAll(async () => {
    await initBackend();
    world = await simulateRankerWorld();
  });

  it('fits the pre-ranker on the most recent PRERANK_FIT_ROWS training rows, to the network\'s scores at position 0', async () => {
    // The world's epoch four times over: more training rows than the pre-ranker fits on.
    const log = new TrainingLog(14);
    for (let epoch = 0; epoch < 4; epoch++) log.add({ ...world.log.chunks[0], epoch });
    // Uncalibrated, so the combined score is the formula over the heads' sigmoids; 90% held out: little to train.
    const settings = { keep: 5, bypass: [], bypass_kept: 'all' as const };
    const cascade = new MultiTaskRanker({ ...CONFIG, calibration: 'none', holdout: 0.9, prerank: settings }, FORMULA, world.catalog, world.users, new Rng('cascade-fit'));
    for (const f of world.feedback) cascade.observe(f);
    await cascade.retrain(log, world.now);
    const network = cascade.network;
    if (!network) throw new Error('untrained');
    const set = cascade.trainingSet(log, world.now);
    expect(set.n).toBeGreaterThan(PRERANK_FIT_ROWS);
    const x = set.x.slice((set.n - PRERANK_FIT_ROWS) * set.dim, set.n * set.dim);
    const logits = tf.tidy(() =>
      network.apply(tf.tensor2d(x, [PRERANK_FIT_ROWS, set.dim]), tf.tensor2d(positionOneHot(new Array<number>(PRERANK_FIT_ROWS).fill(0)), [PRERANK_FIT_ROWS, MAX_POSITIONS])),
    );
    const z = logits.dataSync();
    logits.dispose();
    const target = Float64Array.from({ length: PRERANK_FIT_ROWS }, (_, i) => sigmoid(z[2 * i]) + 2 * sigmoid(z[2 * i + 1]));
    const want = new PreRanker(settings, set.dim);
    want.fit(x, PRERANK_FIT_ROWS, target);
    // Both select on the same rows, taken as requests of 20 candidates.
    const requests = 200;
    const rows = set.x.subarray(0, requests * 20 * set.dim);
    const lists = Array.from({ length: requests }, () => candidates(new Array<string>(20).fill('ranker')));
    const fitted = cascade['preRanker'];
    if (!fitted) throw new Error('no pre-ranker');
    const got = new Uint8Array(requests * 20);
    const expected = new Uint8Array(requests * 20);
    fitted.select(rows, lists, got);
    want.select(rows, lists, expected);
    expect(Array.from(got)).toEqual(Array.from(expected));
    cascade.dispose();
  });

  it('scores only the kept candidates, with the network\'s own scores, and reports its recall', async () => {
    const cascade = new MultiTaskRanker({ ...CONFIG, prerank: { keep: 5, bypass: ['fresh'], bypass_kept: 'all' } }, FORMULA, world.catalog, world.users, new Rng('cascade'));
    const plain = new MultiTaskRanker(CONFIG, FORMULA, world.catalog, world.users, new Rng('cascade'));
    // Before the first retrain: no figures yet, reported as zeros.
    expect(cascade.diagnostics().metrics).toMatchObject({ prerank_recall_at_10: 0, prerank_kept_share: 0 });
    await replayAndRetrain(cascade, world);
    await replayAndRetrain(plain, world);
    const batch = servingBatch({ seed: 'cascade-batch', users: world.users, catalog: world.catalog, requests: 4 * PRERANK_RECALL_EVERY, candidatesPerRequest: 20, time: world.now, pastSessions: 2 });
    // One candidate per request comes from the fresh source: it bypasses the pre-ranker.
    const lists = batch.candidates.map((list) => list.map((c, k) => (k === 19 ? { ...c, sources: ['fresh'] } : c)));
    const started = performance.now();
    const scores = cascade.score(batch.requests, lists);
    const scoreSeconds = (performance.now() - started) / 1000;
    const full = plain.score(batch.requests, lists);
    let keptMean = 0;
    let allMean = 0;
    for (const [r, list] of scores.entries()) {
      const kept = [...list.keys()].filter((k) => !Number.isNaN(list[k]));
      expect(kept.length === 5 || (kept.length === 6 && kept.includes(19))).toBe(true);
      expect(kept).toContain(19);
      // Same seed, same replay: the network is the same, so its scores of the kept ones are too.
      for (const k of kept) expect(list[k]).toBeCloseTo(full[r][k], 5);
      const chosen = kept.filter((k) => k !== 19);
      keptMean += chosen.reduce((s, k) => s + full[r][k], 0) / chosen.length / scores.length;
      allMean += full[r].reduce((s, v) => s + v, 0) / full[r].length / scores.length;
    }
    // Distilled from the network, the pre-ranker keeps what the network scores above average.
    expect(keptMean).toBeGreaterThan(allMean);
    // Requests sampled by their identity are scored in full: recall is the
    // share of the network's top 10 of each (ties by list position) that the pre-ranker kept,
    // and the network scored their other candidates too.
    let hits = 0;
    let sampled = 0;
    let served = 0;
    for (const [r, request] of batch.requests.entries()) {
      const kept = scores[r].filter((v) => !Number.isNaN(v)).length;
      if (!sampledForRecall(request)) {
        served += kept;
        continue;
      }
      sampled++;
      served += lists[r].length;
      const top = [...full[r].keys()].sort((a, b) => full[r][b] - full[r][a] || a - b).slice(0, 10);
      hits += top.filter((k) => !Number.isNaN(scores[r][k])).length;
    }
    expect(sampled).toBeGreaterThanOrEqual(2);
    expect(hits).toBeLessThan(10 * sampled);
    await cascade.retrain(world.log, world.now);
    const { metrics, timings } = cascade.diagnostics();
    expect(metrics.prerank_kept_share).toBeGreaterThan(5 / 20);
    expect(metrics.prerank_kept_share).toBeLessThanOrEqual(6 / 20);
    expect(metrics.prerank_recall_at_10).toBeCloseTo(hits / (10 * sampled), 10);
    expect(timings.ranker_serve_candidates_per_second * timings.ranker_serve_seconds).toBeCloseTo(served, 6);
    // Seconds, not milliseconds: at most the time the score() call took.
    expect(timings.ranker_serve_seconds).toBeGreaterThan(0);
    expect(timings.ranker_serve_seconds).toBeLessThanOrEqual(scoreSeconds);
  });
});

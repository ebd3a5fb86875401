/**
 * Linear Thompson sampling as a policy: a posterior far ahead picks its item with an estimated
 * propensity of 1; feedback learns from the rows the slate was scored on (not from features
 * looked up again later); slates it did not serve teach it when features need no scoring; the
 * diagnostics stay defined for empty or one-outcome epochs.
 */
import { describe, expect, it } from 'vitest';
import { BayesianLinearModel } from '../src/recommender/explore/bayes-linear.js';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import { LinearThompsonPolicy } from '../src/recommender/explore/linear-thompson.js';
import { RankerFeatures } from '../src/recommender/explore/ranker-features.js';
import { RepresentationExport } from '../src/recommender/ranking/representation.js';
import type { RecRequest, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { TrainingLog } from '../src/training/training-log.js';

function request(slateId: number): RecRequest {
  return { slateId, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: slateId, pastSessions: 0 };
}

function feedback(req: RecRequest, entries: readonly SlateEntry[], clicked: number): SlateFeedback {
  return { request: req, slate: { slateId: req.slateId, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

const pool = (ids: readonly number[]) => ids.map((itemId) => ({ itemId, sources: ['test'], sourceScore: 0, score: 0 }));

/** One-hot over items 10..13. */
const ONE_HOT: FeatureMap = {
  dim: 4,
  write: (_request, itemId, out) => {
    out.fill(0);
    out[itemId - 10] = 1;
  },
};

describe('linear Thompson sampling as a policy', () => {
  it('a posterior far ahead puts its item on top, with a propensity estimated at 1', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.1, mcDraws: 30 }, ONE_HOT, new KeyedStream('mc'));
    const shown = [10, 11, 12, 13].map((itemId) => ({ itemId, source: 'test', propensity: 1 }));
    // Slates it did not serve still teach it: these features need no scoring.
    for (let t = 0; t < 50; t++) policy.observe(feedback(request(t), shown, 2));
    expect(policy.model.count).toBe(200);
    const rng = new Rng('s');
    for (let t = 0; t < 5; t++) {
      const [top, second] = policy.select(request(100 + t), pool([10, 11, 12, 13]), 2, rng);
      expect([top.itemId, top.propensity]).toEqual([12, 1]);
      expect(second.propensity).toBeLessThan(1);
    }
  });

  it('learns from the features a slate was scored with, though the ranker has moved on to another batch', () => {
    const layer = new RepresentationExport('click', 0);
    const features = new RankerFeatures(layer, ONE_HOT, 2);
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 1, mcDraws: 5 }, features, new KeyedStream('mc'));
    const rng = new Rng('x');
    const x = Float32Array.from({ length: 30 }, () => rng.normal());
    layer.retrained(3, { n: 10, x, windowRows: Int32Array.from({ length: 10 }, (_, r) => r) });
    policy.retrain(new TrainingLog(14));
    const served = request(1);
    layer.setBatch([served], [pool([11, 12])], x.slice(0, 6));
    const slate = policy.select(served, pool([11, 12]), 2, new Rng('s'));
    const rows = slate.map((e) => {
      const row = new Float64Array(policy.model.dim);
      features.write(served, e.itemId, row);
      return row;
    });
    layer.setBatch([request(2)], [pool([11, 12])], x.slice(6, 12)); // the served batch is gone
    policy.observe(feedback(served, slate, 0));
    expect(policy.model.count).toBe(12);
    // By hand: the prior, the replay of the retrain (rewards 0: the log is empty), then the served rows.
    const replay = new RankerFeatures(layer, ONE_HOT, 2).retrain();
    if (!replay) throw new Error('a retrain gives a replay');
    const d = policy.model.dim;
    const expected = new BayesianLinearModel(d, 1, 1);
    for (let r = 0; r < replay.n; r++) expected.update(replay.x.subarray(r * d, (r + 1) * d), 0);
    rows.forEach((row, p) => expected.update(row, p === 0 ? 1 : 0));
    const mean = policy.model.mean();
    expected.mean().forEach((m, i) => expect(mean[i]).toBeCloseTo(m, 10));
    expect(rows[1][1]).not.toBe(0);
  });

  it('diagnostics: shares over slates served, 0 for an empty epoch, AUC 0 when every reward is the same', () => {
    const layer = new RepresentationExport('click', 0);
    const features = new RankerFeatures(layer, ONE_HOT, 2);
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 1, mcDraws: 5 }, features, new KeyedStream('mc'));
    const rng = new Rng('x');
    const x = Float32Array.from({ length: 30 }, () => rng.normal());
    const log = new TrainingLog(14);
    policy.select(request(0), pool([11, 12]), 1, rng); // on the fallback
    layer.retrained(3, { n: 10, x, windowRows: Int32Array.from({ length: 10 }, (_, r) => r) });
    policy.retrain(log);
    expect(policy.diagnostics().metrics.linear_ts_ranker_share).toBe(0);
    for (let t = 1; t <= 3; t++) {
      const req = request(t);
      layer.setBatch([req], [pool([11, 12])], x.slice(0, 6));
      policy.observe(feedback(req, policy.select(req, pool([11, 12]), 2, rng), -1));
    }
    policy.retrain(log);
    expect(policy.diagnostics().metrics).toMatchObject({ linear_ts_ranker_share: 1, linear_ts_auc: 0 });
    policy.retrain(log);
    expect(policy.diagnostics().metrics).toMatchObject({ linear_ts_ranker_share: 0, linear_ts_auc: 0 });
  });
});

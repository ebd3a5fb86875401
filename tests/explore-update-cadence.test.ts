/**
 * `update: online | retrain` for the policies that learn from feedback (Thompson sampling, UCB,
 * linear Thompson sampling): with retrain, serving within an epoch never moves with that epoch's
 * feedback, and the retrain learns what the online policy would have learnt by then.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import { BayesianLinearModel, PendingObservations } from '../src/recommender/explore/bayes-linear.js';
import { LinearThompsonPolicy } from '../src/recommender/explore/linear-thompson.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import type { RecRequest, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { parseAnyScenario, parseScenario } from '../src/scenario/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };
const ENTRIES: SlateEntry[] = [10, 11, 12].map((itemId) => ({ itemId, source: 'test', propensity: 1 }));

function feedback(clicked: number): SlateFeedback {
  return { request: REQUEST, slate: { slateId: 0, entries: ENTRIES }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

/** The log of the same slates: item 10 clicked twice, 11 once, three slates. */
function logOfSlates(): TrainingLog {
  const buffer = new ImpressionBuffer(16);
  const row = { time: 0, epoch: 0, userId: 0, arm: 'a', source: 'test', propensity: 1, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
  [0, 0, 1].forEach((clicked, slateId) =>
    ENTRIES.forEach((e, position) => buffer.append({ ...row, slateId, position, itemId: e.itemId, clicked: position === clicked })),
  );
  const log = new TrainingLog(7);
  log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
  return log;
}

describe('update cadence of the learning policies', () => {
  it('Thompson sampling: online counts each feedback as it comes; retrain only counts the log window, at retrain', () => {
    const online = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws: 10 }, new KeyedStream('a'));
    const batched = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws: 10, update: 'retrain' }, new KeyedStream('a'));
    for (const clicked of [0, 0, 1]) {
      online.observe(feedback(clicked));
      batched.observe(feedback(clicked));
    }
    expect(online.posterior(10)).toEqual([3, 2]);
    expect(batched.posterior(10)).toEqual([1, 1]);
    batched.retrain(logOfSlates());
    expect([10, 11, 12].map((id) => batched.posterior(id))).toEqual([10, 11, 12].map((id) => online.posterior(id)));
  });

  it('UCB: the bounds stand still between retrains with update: retrain', () => {
    const online = new UcbPolicy(1, 'click');
    const batched = new UcbPolicy(1, 'click', 'retrain');
    online.observe(feedback(0));
    batched.observe(feedback(0));
    expect(online.index(10)).toBeLessThan(Infinity);
    expect(batched.index(10)).toBe(Infinity);
    batched.retrain(logOfSlates());
    expect(batched.counts.trials(10)).toBe(3);
    expect(batched.counts.successes(10)).toBe(2);
  });

  it('linear Thompson sampling: with update: retrain the posterior is frozen within the epoch, and the retrain learns what the online policy learnt', () => {
    const oneHot: FeatureMap = {
      dim: 4,
      write: (_request, itemId, out) => {
        out.fill(0);
        out[itemId - 10] = 1;
      },
    };
    const options = { reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 5 } as const;
    const online = new LinearThompsonPolicy(options, oneHot, new KeyedStream('mc'));
    const batched = new LinearThompsonPolicy({ ...options, update: 'retrain' }, oneHot, new KeyedStream('mc'));
    const rng = new Rng('cadence');
    const pool = [10, 11, 12, 13].map((itemId) => ({ itemId, sources: ['test'], sourceScore: 0, score: 0 }));
    for (let t = 0; t < 200; t++) {
      const request = { ...REQUEST, slateId: t };
      // The same slates for both, so both see the same feedback.
      const slate = online.select(request, pool, 2, rng);
      batched.select(request, pool, 2, new Rng(`unused-${t}`));
      const clicked = rng.bernoulli(slate[0].itemId === 12 ? 0.7 : 0.2) ? 0 : -1;
      const fb: SlateFeedback = { request, slate: { slateId: t, entries: slate }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
      online.observe(fb);
      batched.observe(fb);
    }
    expect(Array.from(batched.model.mean())).toEqual([0, 0, 0, 0]);
    expect(batched.model.count).toBe(0);
    batched.retrain(new TrainingLog(7));
    expect(batched.model.count).toBe(online.model.count);
    const expected = Array.from(online.model.mean());
    Array.from(batched.model.mean()).forEach((m, i) => expect(m).toBeCloseTo(expected[i], 12));
    expect(online.model.count).toBe(400); // every shown item of the 200 slates
    expect(expected.some((m) => m !== 0)).toBe(true);
  });

  it('a posterior refuses observations gathered for another dimension or noise', () => {
    const model = new BayesianLinearModel(3, 1, 0.5);
    expect(() => model.absorb(new PendingObservations(2, 0.5))).toThrow('observations of dim 2, noise 0.5 for a model of dim 3, noise 0.5');
    expect(() => model.absorb(new PendingObservations(3, 0.4))).toThrow('observations of dim 3, noise 0.4 for a model of dim 3, noise 0.5');
    model.absorb(new PendingObservations(3, 0.5));
    expect(model.count).toBe(0);
  });

  it('is a scenario setting: retrain parses; online at the candidate stage, and retrain in a bandit world, are refused at their line', () => {
    const base = (exploration: string) => `name: u\nhorizon: { days: 3 }\nrecommender:\n  kind: two_stage\n  exploration: ${exploration}\n`;
    const parsed = parseScenario(base('{ policy: ucb, update: retrain }'), 'u.yaml');
    expect(parsed.recommender.exploration).toMatchObject({ policy: 'ucb', update: 'retrain' });
    expect(() => parseScenario(base('{ policy: thompson, stage: candidate, update: online }'), 'u.yaml')).toThrow(
      /u\.yaml:5:\d+: recommender\.exploration\.update: the candidate stage .* always updates at retrain/,
    );
    expect(() => parseScenario(base('{ policy: epsilon_greedy, update: retrain }'), 'u.yaml')).toThrow(/recommender\.exploration\.update: unknown key "update"/);
    const bandit = 'name: b\nworld: { kind: bandit, arms: [0.2, 0.5] }\nrecommender: { kind: bandit, exploration: { policy: thompson, update: retrain } }\n';
    expect(() => parseAnyScenario(bandit, 'b.yaml')).toThrow(/recommender\.exploration\.update: a bandit world learns from every pull/);
  });
});

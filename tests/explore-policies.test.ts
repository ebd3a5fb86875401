/**
 * Exploration policies one by one: the propensity each logs is the probability of that item in
 * that slot given the earlier slots. Checked empirically (repeated draws from one stream: the
 * frequency of an item in slot 0, and in slot 1 given the slot-0 item, against the logged
 * propensity), and by sums (each slot's distribution over its pool sums to 1). Plus seeds,
 * epsilon = 0 against greedy, UCB's order, and the learning updates.
 */
import { describe, expect, it } from 'vitest';
import { BayesianLinearModel } from '../src/recommender/explore/bayes-linear.js';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { EpsilonGreedyPolicy } from '../src/recommender/explore/epsilon-greedy.js';
import type { FeatureMap } from '../src/recommender/explore/features.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { LinearThompsonPolicy } from '../src/recommender/explore/linear-thompson.js';
import { ThompsonPolicy } from '../src/recommender/explore/thompson.js';
import { RewardCounts } from '../src/recommender/explore/reward-counts.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import type { ExplorationPolicy, RecRequest, ScoredCandidate, SlateEntry, SlateFeedback } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';

const REQUEST: RecRequest = { slateId: 0, userId: 0, time: 0, hourOfDay: 0, device: 'mobile', requestInSession: 0, pastSessions: 0 };

function pool(scores: readonly number[]): ScoredCandidate[] {
  return scores.map((score, i) => ({ itemId: 10 + i, sources: ['test'], sourceScore: score, score }));
}

function feedback(entries: readonly SlateEntry[], clicked: number): SlateFeedback {
  return { request: REQUEST, slate: { slateId: 0, entries }, clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
}

/** Thompson sampling with posteriors that overlap, so every item can take slot 0. */
function trainedThompson(mcDraws = 400, seed = 'mc'): ThompsonPolicy {
  const policy = new ThompsonPolicy({ reward: 'click', prior: [1, 1], mcDraws }, new Rng(seed));
  const wins = [6, 4, 3, 2];
  wins.forEach((w, k) => {
    for (let t = 0; t < 10; t++) policy.observe(feedback([{ itemId: 10 + k, source: 'test', propensity: 1 }], t < w ? 0 : -1));
  });
  return policy;
}

/** One-hot item features (item ids 10..13), for the linear policy. */
const ONE_HOT: FeatureMap = {
  dim: 4,
  write: (_request, itemId, out) => {
    out.fill(0);
    out[itemId - 10] = 1;
  },
};

interface Tally {
  /** Slot-0 frequency and logged propensities per item. */
  readonly first: Map<number, { n: number; logged: number[] }>;
  /** Slot-1 frequency and logged propensities per item, given the most common slot-0 item. */
  readonly second: Map<number, { n: number; logged: number[] }>;
  readonly given: number;
  readonly draws: number;
  readonly givenCount: number;
}

function tally(policy: ExplorationPolicy, candidates: ScoredCandidate[], draws: number, seed = 'draws'): Tally {
  const rng = new Rng(seed);
  const slates = Array.from({ length: draws }, () => policy.select(REQUEST, candidates, 2, rng));
  const add = (map: Map<number, { n: number; logged: number[] }>, e: SlateEntry) => {
    const t = map.get(e.itemId) ?? { n: 0, logged: [] };
    t.n++;
    t.logged.push(e.propensity);
    map.set(e.itemId, t);
  };
  const first = new Map<number, { n: number; logged: number[] }>();
  for (const s of slates) add(first, s[0]);
  const given = [...first].sort((a, b) => b[1].n - a[1].n)[0][0];
  const second = new Map<number, { n: number; logged: number[] }>();
  const conditional = slates.filter((s) => s[0].itemId === given);
  for (const s of conditional) add(second, s[1]);
  return { first, second, given, draws, givenCount: conditional.length };
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Logged propensity against empirical frequency: within 4.5 standard errors (+ `slack` for Monte-Carlo estimates). */
function expectCalibrated(map: Map<number, { n: number; logged: number[] }>, total: number, slack = 0): void {
  for (const [, { n, logged }] of map) {
    const p = mean(logged);
    const se = Math.sqrt((p * (1 - p)) / total);
    expect(Math.abs(n / total - p)).toBeLessThanOrEqual(4.5 * se + slack + 1e-12);
  }
}

/** Σ over the pool of each item's logged propensity for the slot (an item never drawn has none: it must be all but impossible). */
function slotSum(map: Map<number, { n: number; logged: number[] }>): number {
  let sum = 0;
  for (const [, { logged }] of map) sum += logged[0];
  return sum;
}

describe('logged propensity = empirical slot frequency, given the earlier slots', () => {
  const candidates = pool([3, 2, 1.5, 1, 0.5]);

  it.each([
    ['epsilon-greedy over the candidates', () => new EpsilonGreedyPolicy({ epsilon: 0.3, over: 'candidates' }, () => 5)],
    ['boltzmann', () => new BoltzmannPolicy(1)],
  ] as const)('%s: exact, and each slot sums to 1', (_name, make) => {
    const t = tally(make(), candidates, 20_000);
    expect(t.first.size).toBe(5);
    expect(slotSum(t.first)).toBeCloseTo(1, 12);
    expect(slotSum(t.second)).toBeCloseTo(1, 12);
    for (const [, { logged }] of [...t.first, ...t.second]) expect(new Set(logged).size).toBe(1); // exact: one value per item and slot
    expectCalibrated(t.first, t.draws);
    expectCalibrated(t.second, t.givenCount);
  });

  it('epsilon-greedy over the catalog: uniform over every item not yet placed, explored items logged as explore', () => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'catalog' }, () => 20);
    const t = tally(policy, candidates.slice(0, 3), 20_000);
    expect(t.first.size).toBe(20);
    expect(slotSum(t.first)).toBeCloseTo(1, 12);
    expect(t.first.get(10)?.logged[0]).toBeCloseTo(0.5 + 0.5 / 20, 12);
    expect(t.first.get(5)?.logged[0]).toBeCloseTo(0.5 / 20, 12); // a catalog item outside the candidates (ids 10-12)
    expectCalibrated(t.first, t.draws);
    expectCalibrated(t.second, t.givenCount);
    const rng = new Rng('sources');
    const sources = new Set(Array.from({ length: 200 }, () => policy.select(REQUEST, candidates.slice(0, 3), 3, rng)).flat().filter((e) => e.itemId < 10 || e.itemId > 12).map((e) => e.source));
    expect(sources).toEqual(new Set(['explore']));
  });

  it('Thompson sampling: Monte-Carlo estimates (400 draws, one phantom uniform draw) match, and each slot sums to 1', () => {
    const t = tally(trainedThompson(), pool([0, 0, 0, 0]), 8_000);
    expect(t.first.size).toBe(4);
    expect(slotSum(t.first)).toBeCloseTo(1, 12);
    expect(slotSum(t.second)).toBeCloseTo(1, 12);
    // The estimate's own error: sd sqrt(p(1-p)/400) ≤ 0.025; allow 0.06 on top of sampling error.
    expectCalibrated(t.first, t.draws, 0.06);
    expectCalibrated(t.second, t.givenCount, 0.06);
  });

  it('linear Thompson sampling: mean logged propensity matches the frequency', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 200 }, ONE_HOT, new Rng('mc'));
    const rewards = [0.6, 0.4, 0.3, 0.2];
    const rng = new Rng('train');
    for (let t = 0; t < 40; t++) {
      const k = t % 4;
      policy.observe(feedback([{ itemId: 10 + k, source: 'test', propensity: 1 }], rng.bernoulli(rewards[k]) ? 0 : -1));
    }
    const t = tally(policy, pool([0, 0, 0, 0]), 4_000);
    expectCalibrated(t.first, t.draws, 0.02);
  });
});

describe('seeds', () => {
  const candidates = pool([5, 4, 3, 2, 1, 0]);
  const policies: [string, () => ExplorationPolicy][] = [
    ['epsilon_greedy', () => new EpsilonGreedyPolicy({ epsilon: 0.5, over: 'catalog' }, () => 50)],
    ['boltzmann', () => new BoltzmannPolicy(2)],
    ['thompson', () => trainedThompson(50)],
  ];

  it.each(policies)('%s: the same seed gives the same slates and propensities, another seed other slates', (_name, make) => {
    const run = (seed: string) => {
      const policy = make();
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => policy.select(REQUEST, candidates, 3, rng));
    };
    expect(run('a')).toEqual(run('a'));
    expect(run('a')).not.toEqual(run('b'));
  });

  it('Thompson sampling chooses the same items whatever the number of Monte-Carlo draws', () => {
    const choices = (mcDraws: number) => {
      const policy = trainedThompson(mcDraws, `mc-${mcDraws}`);
      const rng = new Rng('same');
      return Array.from({ length: 100 }, () => policy.select(REQUEST, pool([0, 0, 0, 0]), 2, rng).map((e) => e.itemId));
    };
    expect(choices(5)).toEqual(choices(300));
  });
});

describe('epsilon = 0 is greedy', () => {
  const candidates = pool([9, 7, 5, 3, 1, 0]);
  it.each(['candidates', 'catalog'] as const)('over %s: same items, sources and propensity 1', (over) => {
    const policy = new EpsilonGreedyPolicy({ epsilon: 0, over }, () => 100);
    const rng = new Rng('zero');
    for (let i = 0; i < 20; i++) expect(policy.select(REQUEST, candidates, 4, rng)).toEqual(new GreedyPolicy().select(REQUEST, candidates, 4));
  });
});

describe('UCB', () => {
  it('shows never-shown items first, then orders by mean + c·sqrt(ln N / n); deterministic, propensity 1', () => {
    const policy = new UcbPolicy(Math.SQRT2, 'click');
    const candidates = pool([4, 3, 2, 1]);
    const show = (k: number, clicked: boolean) => policy.observe(feedback([{ itemId: 10 + k, source: 'test', propensity: 1 }], clicked ? 0 : -1));
    for (let t = 0; t < 10; t++) show(0, t < 8); // item 10: 8/10
    for (let t = 0; t < 2; t++) show(1, t < 1); // item 11: 1/2
    show(2, false); // item 12: 0/1; item 13 never shown
    const slate = policy.select(REQUEST, candidates, 4);
    expect(slate.map((e) => e.itemId)).toEqual([13, 12, 11, 10]);
    expect(slate.every((e) => e.propensity === 1)).toBe(true);
    const ln = Math.log(13);
    expect(policy.index(10)).toBeCloseTo(0.8 + Math.SQRT2 * Math.sqrt(ln / 10), 12);
    expect(policy.index(12)).toBeCloseTo(0 + Math.SQRT2 * Math.sqrt(ln / 1), 12);
  });
});

describe('learning', () => {
  it('Thompson sampling counts every slot as a trial and the chosen reward as a success', () => {
    const policy = new ThompsonPolicy({ reward: 'like', prior: [2, 3], mcDraws: 10 }, new Rng('x'));
    const entries = [10, 11, 12].map((itemId) => ({ itemId, source: 'test', propensity: 1 }));
    policy.observe({ ...feedback(entries, 1), liked: true });
    policy.observe(feedback(entries, 2)); // clicked, not liked
    expect(policy.posterior(10)).toEqual([2, 5]);
    expect(policy.posterior(11)).toEqual([3, 4]);
    expect(policy.posterior(12)).toEqual([2, 5]);
  });

  it.each([
    ['click', [2, 1]],
    ['like', [1, 0]],
    ['complete', [0, 1]],
    ['survey_positive', [1, 0]],
  ] as const)('a retrain rebuilds the counts from the log window (reward %s)', (reward, successes) => {
    const buffer = new ImpressionBuffer(16);
    const row = { time: 0, epoch: 0, slateId: 0, userId: 0, position: 0, arm: 'a', source: 's', propensity: 1, watchMinutes: 1, watchFraction: 1 };
    const no = { clicked: false, completed: false, liked: false, survey: null };
    buffer.append({ ...row, itemId: 10, clicked: true, completed: false, liked: true, survey: 5 });
    buffer.append({ ...row, itemId: 10, clicked: true, completed: false, liked: false, survey: 3 });
    buffer.append({ ...row, itemId: 10, ...no });
    buffer.append({ ...row, itemId: 11, clicked: true, completed: true, liked: false, survey: null });
    const log = new TrainingLog(14);
    log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
    const counts = new RewardCounts(reward);
    counts.record(12, true); // dropped: the log window replaces the streamed counts
    counts.rebuild(log);
    expect([counts.trials(10), counts.trials(11), counts.trials(12), counts.total]).toEqual([3, 1, 0, 4]);
    expect([counts.successes(10), counts.successes(11)]).toEqual(successes);
  });

  it('linear Thompson sampling learns which item pays', () => {
    const policy = new LinearThompsonPolicy({ reward: 'click', priorPrecision: 1, noise: 0.5, mcDraws: 20 }, ONE_HOT, new Rng('mc'));
    const rng = new Rng('learn');
    let bestPicks = 0;
    for (let t = 0; t < 2_000; t++) {
      const slate = policy.select(REQUEST, pool([0, 0, 0, 0]), 1, rng);
      const paid = rng.bernoulli(slate[0].itemId === 12 ? 0.6 : 0.2);
      policy.observe(feedback(slate, paid ? 0 : -1));
      if (t >= 1_000 && slate[0].itemId === 12) bestPicks++;
    }
    expect(bestPicks).toBeGreaterThan(900);
  });

  it('Bayesian linear regression: the posterior mean is the ridge solution, draws have covariance A⁻¹', () => {
    const model = new BayesianLinearModel(2, 2, 0.5);
    const xs = [[1, 0], [1, 1], [0, 1], [1, 2]];
    const ys = [1, 2, 0.5, 3];
    xs.forEach((x, i) => model.update(Float64Array.from(x), ys[i]));
    // A = 2I + XᵀX / 0.25, b = Xᵀy / 0.25.
    const a = [[2 + 3 / 0.25, 3 / 0.25], [3 / 0.25, 2 + 6 / 0.25]];
    const b = [6 / 0.25, 8.5 / 0.25];
    const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
    const inv = [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]];
    const mu = [inv[0][0] * b[0] + inv[0][1] * b[1], inv[1][0] * b[0] + inv[1][1] * b[1]];
    expect(model.mean()[0]).toBeCloseTo(mu[0], 10);
    expect(model.mean()[1]).toBeCloseTo(mu[1], 10);
    const rng = new Rng('blr');
    const draw = new Float64Array(2);
    const n = 40_000;
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let i = 0; i < n; i++) {
      model.sample(rng, draw);
      const d0 = draw[0] - mu[0];
      const d1 = draw[1] - mu[1];
      s00 += d0 * d0;
      s01 += d0 * d1;
      s11 += d1 * d1;
    }
    expect(s00 / n).toBeCloseTo(inv[0][0], 3);
    expect(s01 / n).toBeCloseTo(inv[0][1], 3);
    expect(s11 / n).toBeCloseTo(inv[1][1], 3);
  });
});

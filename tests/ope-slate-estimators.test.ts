/**
 * Slate estimators, each under its own assumptions. Exact checks enumerate every ordered slate
 * once (a log whose empirical distribution IS uniform logging), so an unbiased estimator returns
 * the truth to rounding. The user bootstrap's width is checked on a log whose users' slates are
 * alike. The slate logit's statistical checks (recovery, unbiasedness over seeded logs) are in
 * ope-slate-logit.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  EpsilonGreedyTargetPolicy,
  GreedyTargetPolicy,
  SlateLogBuilder,
  SlateLogitModel,
  ScoreRanking,
  UniformPolicy,
  estimateSlateValue,
  slotExpectation,
  targetSlateProbability,
  uniformSlateProbability,
  weighLog,
  type OpeContext,
  type SlateLog,
  type TargetPolicy,
} from '../src/ope/index.js';
import { Rng } from '../src/rng/index.js';

const M = 5;
const L = 3;
const ctx = (slateId: number, catalogSize = M, slateSize = L): OpeContext => ({ slateId, userId: 0, time: 0, catalogSize, slateSize });

function orderedSlates(m: number, l: number): number[][] {
  if (l === 0) return [[]];
  return orderedSlates(m, l - 1).flatMap((head) => Array.from({ length: m }, (_, i) => i).filter((i) => !head.includes(i)).map((i) => [...head, i]));
}

/** Every ordered slate once, with per-slot rewards from `reward`. */
function enumeratedLog(reward: (slate: number[]) => number[]): SlateLog {
  const builder = new SlateLogBuilder();
  orderedSlates(M, L).forEach((slate, s) => builder.add(ctx(s), slate, slate.map(() => 1 / M), reward(slate)));
  return builder.build();
}

const scores = [0.1, 0.9, 0.4, 0.7, 0.2];
const ranking = new ScoreRanking('fixed', () => scores);
const greedy = new GreedyTargetPolicy(ranking);
const epsilonGreedy = new EpsilonGreedyTargetPolicy(ranking, 0.3);
const additive = (item: number, p: number): number => (0.2 + 0.1 * item) * 0.8 ** p;

function slateEstimates(log: SlateLog, target: TargetPolicy, fitLog: SlateLog = log) {
  return estimateSlateValue(weighLog(log, target), target, {
    design: 'uniform_without_replacement',
    fitLog,
    bootstrap: 0,
    confidence: 0.95,
    rng: new Rng('slate-test'),
    seed: 'slate-test',
  });
}

describe('slate estimators on every ordered slate once', () => {
  it('whole-slate probabilities: uniform is 1/(m(m−1)…), a deterministic target gives 1 to its slate and 0 elsewhere', () => {
    expect(uniformSlateProbability(5, 3)).toBeCloseTo(1 / 60, 15);
    const top = ranking.top(ctx(0), L);
    const slots = Array.from({ length: L }, (_, p) => greedy.slot(ctx(0), p));
    expect(top).toEqual([1, 3, 2]);
    expect(targetSlateProbability(greedy, ctx(0), slots, top)).toBe(1);
    expect(targetSlateProbability(greedy, ctx(0), slots, [1, 2, 3])).toBe(0);
    const eSlots = Array.from({ length: L }, (_, p) => epsilonGreedy.slot(ctx(0), p));
    expect(targetSlateProbability(epsilonGreedy, ctx(0), eSlots, top)).toBeNull();
    expect(targetSlateProbability(new UniformPolicy(), ctx(0), [], top)).toBeCloseTo(1 / 60, 15);
  });

  it('pseudo-inverse returns the exact value of a stochastic target when slate rewards add up over (slot, item)', () => {
    const log = enumeratedLog((slate) => slate.map((i, p) => additive(i, p)));
    let truth = 0;
    for (let p = 0; p < L; p++) {
      let all = 0;
      for (let i = 0; i < M; i++) all += additive(i, p);
      truth += slotExpectation(epsilonGreedy.slot(ctx(0), p), (i) => additive(i, p), all, M);
    }
    const est = slateEstimates(log, epsilonGreedy);
    expect(est.estimates.pseudo_inverse?.value).toBeCloseTo(truth, 12);
    // Whole-slate IPS needs the whole slate's probability, which ε-greedy's slots do not state.
    expect(est.estimates.slate_ips).toBeNull();
    expect(est.unavailable.slate_ips).toMatch(/not computable/);
  });

  it('whole-slate IPS returns the value of any slate reward, additive or not; pseudo-inverse does not when items compete', () => {
    // One choice per slate: expected clicks of a logit whose two strong items crowd each other out, which no sum over slots reproduces.
    const logit = new SlateLogitModel(Float64Array.of(1, 0.7, 0.5), Float64Array.of(0.05, 6, 0.05, 6, 0.05), 0.5);
    const log = enumeratedLog((slate) => [logit.expectedClicks(slate), 0, 0]);
    const top = ranking.top(ctx(0), L);
    const g = slateEstimates(log, greedy);
    expect(g.estimates.slate_ips?.value).toBeCloseTo(logit.expectedClicks(top), 12);
    expect(g.slateMatches).toBe(1);
    expect(Math.abs((g.estimates.pseudo_inverse?.value ?? 0) - logit.expectedClicks(top))).toBeGreaterThan(0.1);
    const mean = orderedSlates(M, L).reduce((a, s) => a + logit.expectedClicks(s), 0) / 60;
    expect(slateEstimates(log, new UniformPolicy()).estimates.slate_ips?.value).toBeCloseTo(mean, 12);
  });

  it('the logit direct method needs one click at most per slate', () => {
    const log = enumeratedLog((slate) => slate.map(() => 0.5));
    const est = slateEstimates(log, greedy);
    expect(est.estimates.logit_dm).toBeNull();
    expect(est.unavailable.logit_dm).toMatch(/one click at most/);
  });

  it('logit DR returns the truth with a wrong model: the whole-slate correction makes up the model error', () => {
    // Clicks decided by a rule no logit expresses: the slot of the largest id clicks when the ids sum to an even number.
    const rule = (slate: number[]): number[] => {
      const even = slate.reduce((a, b) => a + b, 0) % 2 === 0;
      const best = slate.indexOf(Math.max(...slate));
      return slate.map((_, p) => (even && p === best ? 1 : 0));
    };
    const log = enumeratedLog(rule);
    const top = ranking.top(ctx(0), L);
    const truth = rule(top).reduce((a, b) => a + b, 0);
    const est = slateEstimates(log, greedy);
    expect(est.estimates.logit_dr?.value).toBeCloseTo(truth, 12);
    expect(Math.abs((est.estimates.logit_dm?.value ?? 0) - truth)).toBeGreaterThan(0.05);
  });
});

describe('the bootstrap over users', () => {
  it('widens the interval when one user\'s slates are alike, as resampling slates cannot see', () => {
    // 40 users with 50 slates each; half of them click the top slot of every slate, half never click.
    const build = (first: number): SlateLog => {
      const builder = new SlateLogBuilder();
      const uniform = new UniformPolicy();
      const rng = new Rng(`users-${first}`);
      for (let s = 0; s < 2000; s++) {
        const user = s % 40;
        const c = { slateId: first + s, userId: user, time: 0, catalogSize: 30, slateSize: 3 };
        const slate = uniform.sample(c, rng);
        builder.add(c, slate, slate.map(() => 1 / 30), slate.map((_, p) => (p === 0 && user % 2 === 0 ? 1 : 0)));
      }
      return builder.build();
    };
    const evalLog = build(10_000);
    const fitLog = build(0);
    const target = new GreedyTargetPolicy(new ScoreRanking('any', () => Float64Array.from({ length: 30 }, (_, i) => -i)));
    const width = (resample: 'slates' | 'users'): number => {
      const e = estimateSlateValue(weighLog(evalLog, target), target, {
        design: 'uniform_without_replacement',
        fitLog,
        bootstrap: 60,
        confidence: 0.95,
        rng: new Rng('width'),
        seed: 'width',
        resample,
      }).estimates.logit_dm;
      if (!e) throw new Error('logit_dm missing');
      return e.hi - e.lo;
    };
    // 40 independent users, not 2,000 independent slates: several times wider.
    expect(width('users')).toBeGreaterThan(3 * width('slates'));
  });
});

/**
 * The OPE bar, on a synthetic contextual slate bandit where the truth is exact: with correct
 * propensities IPS and DR are unbiased (mean error over many independent logs within three
 * standard errors of zero), SNIPS and DR vary less than IPS, and the same check catches the bias
 * of wrong propensities and of a misspecified direct method.
 */
import { describe, expect, it } from 'vitest';
import {
  ESTIMATORS,
  EpsilonGreedyTargetPolicy,
  FactorisedRewardModel,
  GreedyTargetPolicy,
  SyntheticSlateBandit,
  UniformPolicy,
  estimatePolicyValue,
  pointEstimates,
  prepareOpe,
  type EstimatorName,
  type TargetPolicy,
  weighLog,
} from '../src/ope/index.js';
import { Rng } from '../src/rng/index.js';

const SEEDS = 100;
const SLATES = 1000;
const bandit = new SyntheticSlateBandit({ items: 20, slots: 4, contexts: 5, positionDecay: 0.7, seed: 'ope-test' });
/** Stochastic, every (item, slot) possible, and far from the targets: weights matter. */
const logging = new EpsilonGreedyTargetPolicy(bandit.ranking('noisy', 0.3, 'logging'), 0.4);
const TARGETS: readonly (readonly [string, TargetPolicy])[] = [
  ['greedy on the true rates', new GreedyTargetPolicy(bandit.ranking('true', 0, 'target'))],
  ['epsilon-greedy 0.2 on another noisy ranking', new EpsilonGreedyTargetPolicy(bandit.ranking('noisy-2', 0.1, 'target-2'), 0.2)],
];

interface ErrorStats {
  readonly mean: number;
  readonly se: number;
  readonly variance: number;
}

function stats(errors: readonly number[]): ErrorStats {
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  const variance = errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (errors.length - 1);
  return { mean, se: Math.sqrt(variance / errors.length), variance };
}

/** Estimation errors over independent logs; the direct method's model is fitted on a separate log of the same policy. */
function errorsOver(target: TargetPolicy, report?: (exact: number) => number): Record<EstimatorName, ErrorStats> {
  const truth = bandit.trueValue(target);
  const errors = Object.fromEntries(ESTIMATORS.map((e) => [e, [] as number[]])) as Record<EstimatorName, number[]>;
  for (let seed = 0; seed < SEEDS; seed++) {
    const rng = new Rng(`ope-estimators/${seed}`);
    const model = FactorisedRewardModel.fit(bandit.log(logging, SLATES / 2, rng, report));
    const estimates = pointEstimates(prepareOpe(bandit.log(logging, SLATES, rng, report), target, model));
    for (const e of ESTIMATORS) errors[e].push(estimates[e] - truth);
  }
  return Object.fromEntries(ESTIMATORS.map((e) => [e, stats(errors[e])])) as Record<EstimatorName, ErrorStats>;
}

describe('estimators on a synthetic slate bandit with exact propensities', () => {
  it.each(TARGETS)('IPS and DR are unbiased, SNIPS and DR vary less than IPS: %s', (_name, target) => {
    const s = errorsOver(target);
    expect(bandit.trueValue(target)).toBeGreaterThan(bandit.trueValue(logging) * 1.2); // the target really differs
    for (const e of ['ips', 'dr'] as const) expect(Math.abs(s[e].mean), `${e} mean error ${s[e].mean} ± ${s[e].se}`).toBeLessThan(3 * s[e].se);
    expect(s.snips.variance).toBeLessThan(0.8 * s.ips.variance);
    expect(s.dr.variance).toBeLessThan(0.8 * s.ips.variance);
    // The item × slot model ignores the context, so DM alone is biased: the same check sees it.
    expect(Math.abs(s.dm.mean)).toBeGreaterThan(5 * s.dm.se);
  });

  it('logging propensity 1 instead of 1/n (uniform logging) makes IPS biased, far beyond three standard errors', () => {
    const uniform = new UniformPolicy();
    const target = TARGETS[0][1];
    const truth = bandit.trueValue(target);
    const right: number[] = [];
    const wrong: number[] = [];
    for (let seed = 0; seed < 60; seed++) {
      const rng = new Rng(`ope-wrong/${seed}`);
      const model = FactorisedRewardModel.fit(bandit.log(uniform, SLATES / 2, rng));
      right.push(pointEstimates(prepareOpe(bandit.log(uniform, SLATES, rng), target, model)).ips - truth);
      wrong.push(pointEstimates(prepareOpe(bandit.log(uniform, SLATES, rng, () => 1), target, model)).ips - truth);
    }
    const ok = stats(right);
    const bad = stats(wrong);
    expect(Math.abs(ok.mean)).toBeLessThan(3 * ok.se);
    expect(Math.abs(bad.mean)).toBeGreaterThan(10 * bad.se);
    expect(bad.mean).toBeLessThan(-0.5 * truth); // weights shrink 20-fold: the estimate collapses toward 0
  });

  it('bootstrap intervals of IPS and DR cover the true value about as often as they claim', () => {
    const target = TARGETS[1][1];
    const truth = bandit.trueValue(target);
    const runs = 60;
    const covered: Record<EstimatorName, number> = { ips: 0, snips: 0, dm: 0, dr: 0 };
    for (let seed = 0; seed < runs; seed++) {
      const rng = new Rng(`ope-coverage/${seed}`);
      const model = FactorisedRewardModel.fit(bandit.log(logging, SLATES / 2, rng));
      const result = estimatePolicyValue(bandit.log(logging, SLATES, rng), target, model, { bootstrap: 200, confidence: 0.95, rng });
      for (const e of ESTIMATORS) if (result.estimates[e].lo <= truth && truth <= result.estimates[e].hi) covered[e]++;
      expect(result.estimates.ips.lo).toBeLessThan(result.estimates.ips.hi);
    }
    // 95% nominal: 57 of 60 expected; 51 or fewer would be a 3.5-sigma shortfall.
    expect(covered.ips).toBeGreaterThanOrEqual(52);
    expect(covered.dr).toBeGreaterThanOrEqual(52);
  });

  it('refitting the reward model in the bootstrap widens the DM interval to include the uncertainty of the model itself', () => {
    const rng = new Rng('ope-refit');
    const fitLog = bandit.log(logging, SLATES / 2, rng);
    const log = bandit.log(logging, SLATES, rng);
    const model = FactorisedRewardModel.fit(fitLog);
    const options = { bootstrap: 100, confidence: 0.95, rng };
    const fixed = estimatePolicyValue(log, TARGETS[0][1], model, options);
    const refitted = estimatePolicyValue(log, TARGETS[0][1], model, {
      ...options,
      refit: { log: fitLog, fit: (l, weights) => FactorisedRewardModel.fit(l, {}, weights) },
    });
    expect(refitted.estimates.dm.value).toBe(fixed.estimates.dm.value);
    expect(refitted.estimates.dm.hi - refitted.estimates.dm.lo).toBeGreaterThan(3 * (fixed.estimates.dm.hi - fixed.estimates.dm.lo));
  });

  it('mean weight per slot is 1 with exact propensities (the diagnostic the report prints)', () => {
    const rng = new Rng('ope-weights');
    const log = bandit.log(logging, 20_000, rng);
    const { impressionWeight } = weighLog(log, TARGETS[1][1]);
    for (let p = 0; p < 4; p++) {
      const w = impressionWeight.filter((_, j) => log.position[j] === p);
      const s = stats(Array.from(w, (x) => x - 1));
      expect(s.se).toBeLessThan(0.1);
      expect(Math.abs(s.mean), `slot ${p}: mean weight ${1 + s.mean} ± ${s.se}`).toBeLessThan(4 * s.se);
    }
    const result = estimatePolicyValue(log, TARGETS[1][1], FactorisedRewardModel.fit(log), { bootstrap: 0, confidence: 0.95, rng });
    expect(result.diagnostics.meanWeightBySlot).toHaveLength(4);
    expect(Number.isNaN(result.estimates.ips.lo)).toBe(true); // no bootstrap, no interval
  });
});

/**
 * The slate logit fitted on uniform logs of a world that chooses exactly by a known slate logit:
 * it recovers the logit's parameters, and its direct method is unbiased for a greedy target over
 * seeded logs while the item-position estimators overstate the competing slate. Statistical and
 * slow under mutation instrumentation, so the mutation group runs the exact checks of
 * ope-slate-estimators.test.ts instead.
 */
import { describe, expect, it } from 'vitest';
import {
  FactorisedRewardModel,
  GreedyTargetPolicy,
  SlateLogBuilder,
  SlateLogitModel,
  ScoreRanking,
  UniformPolicy,
  estimatePolicyValue,
  estimateSlateValue,
  weighLog,
  type OpeContext,
  type SlateLog,
} from '../src/ope/index.js';
import { Rng } from '../src/rng/index.js';

const ctx = (slateId: number, catalogSize: number, slateSize: number): OpeContext => ({ slateId, userId: 0, time: 0, catalogSize, slateSize });

/** A world that chooses exactly by a slate logit, logged by uniform slates. */
class LogitWorld {
  readonly truth: SlateLogitModel;
  constructor(
    readonly items: number,
    readonly slots: number,
  ) {
    const rng = new Rng('logit-world');
    const w = Float64Array.from({ length: items }, () => Math.exp(rng.normal(-1.5, 0.8)));
    const beta = Float64Array.from({ length: slots }, (_, p) => 0.75 ** p);
    this.truth = new SlateLogitModel(beta, w, 0);
  }

  log(slates: number, rng: Rng, firstId = 0): SlateLog {
    const builder = new SlateLogBuilder();
    const uniform = new UniformPolicy();
    for (let s = 0; s < slates; s++) {
      const c = ctx(firstId + s, this.items, this.slots);
      const slate = uniform.sample(c, rng);
      const weights = slate.map((i, p) => this.truth.beta(p) * this.truth.weight(i));
      const total = 1 + weights.reduce((a, b) => a + b, 0);
      let u = rng.next() * total;
      const rewards = weights.map((x) => {
        const hit = u >= 0 && u < x;
        u -= x;
        return hit ? 1 : 0;
      });
      builder.add(c, slate, slate.map(() => 1 / this.items), rewards);
    }
    return builder.build();
  }
}

describe('the slate logit fitted on uniform logs', () => {
  const world = new LogitWorld(30, 4);

  it('recovers its slot factors and item weights', () => {
    const fit = SlateLogitModel.fit(world.log(40_000, new Rng('recover')));
    for (let p = 1; p < 4; p++) expect(Math.abs(fit.beta(p) - world.truth.beta(p))).toBeLessThan(0.06);
    let worst = 0;
    for (let i = 0; i < 30; i++) worst = Math.max(worst, Math.abs(Math.log(fit.weight(i) / world.truth.weight(i))));
    // Each weight rests on ~5,000 impressions and a few hundred clicks: log-scale error ~0.1, worst of 30 under 0.4.
    expect(worst).toBeLessThan(0.4);
    expect(fit.weight(1000)).toBeCloseTo(fit.unseenWeight, 12);
  });

  it('logit DM is unbiased for a greedy target and covers the truth; the item-position estimators overstate the competing slate', () => {
    const target = new GreedyTargetPolicy(new ScoreRanking('true', () => world.truth.itemWeight));
    const top = target.sample(ctx(0, 30, 4), new Rng('x'));
    const truth = world.truth.expectedClicks(top);
    const errors: number[] = [];
    const ipsErrors: number[] = [];
    let covered = 0;
    const seeds = 8;
    for (let seed = 0; seed < seeds; seed++) {
      const rng = new Rng(`dm-seed-${seed}`);
      const fitLog = world.log(2000, rng);
      const evalLog = world.log(1000, rng, 10_000);
      const est = estimateSlateValue(weighLog(evalLog, target), target, {
        design: 'uniform_without_replacement',
        fitLog,
        bootstrap: 40,
        confidence: 0.95,
        rng,
        seed: `dm-${seed}`,
      });
      const dm = est.estimates.logit_dm;
      if (!dm) throw new Error('logit_dm missing');
      errors.push(dm.value - truth);
      if (dm.lo <= truth && truth <= dm.hi) covered++;
      const item = estimatePolicyValue(evalLog, target, FactorisedRewardModel.fit(fitLog), { bootstrap: 0, confidence: 0.95, rng });
      ipsErrors.push(item.estimates.ips.value - truth);
    }
    const mean = errors.reduce((a, b) => a + b, 0) / seeds;
    const sd = Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1));
    expect(Math.abs(mean)).toBeLessThan(3 * (sd / Math.sqrt(seeds)) + 1e-3);
    expect(covered).toBeGreaterThanOrEqual(6);
    const ipsMean = ipsErrors.reduce((a, b) => a + b, 0) / seeds;
    // Four strong items each counted as if alone: the item-position sum exceeds the one-click truth.
    expect(ipsMean).toBeGreaterThan(0.1);
  });
});

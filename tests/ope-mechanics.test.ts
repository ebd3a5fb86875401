/**
 * OPE mechanics on logs small enough to work out by hand: the exact IPS, SNIPS, DM and DR sums
 * and their bootstrap re-weighting, the weight diagnostics, the direct-method model's fit and
 * predictions, slot distributions, bootstrap helpers and slate logs read from impressions. The
 * statistical checks (unbiasedness over many logs) live in ope-estimators.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  EpsilonGreedyTargetPolicy,
  FactorisedRewardModel,
  GreedyTargetPolicy,
  PopularityRanking,
  ScoreRanking,
  SlateLogBuilder,
  UniformPolicy,
  estimatePolicyValue,
  percentileInterval,
  pointEstimates,
  prepareOpe,
  quantileSorted,
  resampleCounts,
  rewardOf,
  slateLogFromImpressions,
  slotExpectation,
  slotProbability,
  topK,
  weighLog,
  weightDiagnostics,
  type OpeContext,
  type SlateLog,
  type SlotDistribution,
} from '../src/ope/index.js';
import { ServedPolicyTarget } from '../src/ope/policies/served.js';
import { BoltzmannPolicy } from '../src/recommender/explore/boltzmann.js';
import { UcbPolicy } from '../src/recommender/explore/ucb.js';
import { KeyedStream, Rng } from '../src/rng/index.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';

const ctx = (slateId: number, slateSize = 2, catalogSize = 4): OpeContext => ({ slateId, userId: 0, time: 0, catalogSize, slateSize });

function logOf(slates: readonly (readonly [items: number[], propensities: number[], rewards: number[], slateSize?: number])[]): SlateLog {
  const builder = new SlateLogBuilder();
  slates.forEach(([items, props, rewards], s) => builder.add(ctx(s, items.length), items, props, rewards));
  return builder.build();
}

// Greedy target: item 1 at slot 0, item 2 at slot 1. Weights by hand: slate 0 → [2, 0],
// slate 1 → [0, 2.5], slate 2 → [2, 2].
const target = new GreedyTargetPolicy(new ScoreRanking('scores', () => [0.1, 0.9, 0.5, 0.3]));
const LOG = logOf([
  [[1, 0], [0.5, 0.25], [1, 0]],
  [[3, 2], [0.5, 0.4], [0, 1]],
  [[1, 2], [0.5, 0.5], [0, 1]],
]);
// r̂(item, slot) = θ_slot · q_item: the target's slates are worth 0.4 + 0.5·0.6 = 0.7 each.
const MODEL = new FactorisedRewardModel(Float64Array.from([1, 0.5]), Float64Array.from([0.2, 0.4, 0.6, 0.8]), 0.1);

describe('estimator sums on a hand-worked log', () => {
  it('weighs each impression by target probability over logging propensity', () => {
    expect([...weighLog(LOG, target).impressionWeight]).toEqual([2, 0, 0, 2.5, 2, 2]);
  });

  it('IPS, per-slot SNIPS, DM and DR', () => {
    const e = pointEstimates(prepareOpe(LOG, target, MODEL));
    expect(e.ips).toBeCloseTo(6.5 / 3, 12); // (2 + 2.5 + 2) / 3
    expect(e.snips).toBeCloseTo(2 / 4 + 4.5 / 4.5, 12);
    expect(e.dm).toBeCloseTo(0.7, 12);
    // Corrections 2·(1 − 0.4), 2.5·(1 − 0.3), 2·(0 − 0.4) + 2·(1 − 0.3).
    expect(e.dr).toBeCloseTo(0.7 + (1.2 + 1.75 + 0.6) / 3, 12);
  });

  it('counts a slate as often as the bootstrap drew it, and skips undrawn slates and unmatched slots', () => {
    const prep = prepareOpe(LOG, target, MODEL);
    const twice = pointEstimates(prep, Int32Array.from([2, 0, 1]));
    expect(twice.ips).toBeCloseTo((2 * 2 + 2) / 3, 12);
    expect(twice.snips).toBeCloseTo(4 / 6 + 2 / 2, 12);
    expect(twice.dm).toBeCloseTo(0.7, 12);
    expect(twice.dr).toBeCloseTo(0.7 + (2 * 1.2 + 0.6) / 3, 12);
    // Slate 0 alone: slot 1 has no weight, so SNIPS is slot 0's ratio only.
    expect(pointEstimates(prep, Int32Array.from([1, 0, 0])).snips).toBeCloseTo(1, 12);
  });

  it('averages the model over a spread-out target and handles slates of different lengths', () => {
    const mixed = logOf([
      [[0], [0.25], [1]],
      [[3, 1], [0.25, 0.25], [0, 1]],
    ]);
    const prep = prepareOpe(mixed, new UniformPolicy(), MODEL);
    expect(prep.slots).toBe(2);
    // Uniform over 4 items: slot 0 is worth mean(q) = 0.5, slot 1 half of that.
    expect([...prep.dm]).toEqual([0.5, 0.75]);
    const e = pointEstimates(prep);
    expect(e.ips).toBeCloseTo((1 + 1) / 2, 12); // every weight is 0.25 / 0.25
    expect(e.snips).toBeCloseTo(1 / 2 + 1, 12);
    expect(e.dr).toBeCloseTo(0.625 + (1 - 0.2 + 0 - 0.8 + 1 - 0.2) / 2, 12);
  });

  it('refuses a log with a zero propensity', () => {
    expect(() => weighLog(logOf([[[1, 2], [0.5, 0], [0, 0]]]), target)).toThrow(/slate 0: logged propensity 0 at slot 1/);
  });
});

describe('estimatePolicyValue', () => {
  it('returns the point estimates with NaN intervals when not bootstrapping', () => {
    const out = estimatePolicyValue(LOG, target, MODEL, { bootstrap: 0, confidence: 0.9, rng: new Rng('ope-mech/none') });
    expect(out.slates).toBe(3);
    expect(out.impressions).toBe(6);
    const point = pointEstimates(prepareOpe(LOG, target, MODEL));
    for (const [name, est] of Object.entries(out.estimates)) {
      expect(est.value).toBe(point[name as keyof typeof point]);
      expect([est.lo, est.hi, est.se]).toEqual([NaN, NaN, NaN]);
    }
  });

  it('brackets every estimator by its bootstrap interval, and refits the model when asked', () => {
    const rng = new Rng('ope-mech/bootstrap');
    const fixed = estimatePolicyValue(LOG, target, MODEL, { bootstrap: 400, confidence: 0.9, rng });
    for (const est of [fixed.estimates.ips, fixed.estimates.snips, fixed.estimates.dr]) {
      expect(est.lo).toBeLessThan(est.hi);
      expect(est.lo).toBeLessThanOrEqual(est.value);
      expect(est.hi).toBeGreaterThanOrEqual(est.value);
      expect(est.se).toBeGreaterThan(0);
    }
    // Every slate is worth 0.7 to the fixed model, so its DM does not vary at all.
    expect(fixed.estimates.dm.se).toBeLessThan(1e-12);
    const fits: number[] = [];
    const refit = estimatePolicyValue(LOG, target, MODEL, {
      bootstrap: 50,
      confidence: 0.9,
      rng,
      refit: {
        log: LOG,
        fit: (log, weights) => {
          fits.push(weights.reduce((a, b) => a + b, 0));
          return FactorisedRewardModel.fit(log, {}, weights);
        },
      },
    });
    expect(fits).toEqual(Array(50).fill(3));
    expect(refit.estimates.dm.se).toBeGreaterThan(0);
    expect(refit.estimates.dm.value).toBe(fixed.estimates.dm.value);
  });
});

describe('weight diagnostics', () => {
  it('per-slot mean weight and its standard error, max weight, matched share and effective sample size', () => {
    const d = weightDiagnostics(weighLog(LOG, target));
    expect(d.meanWeightBySlot[0]).toBeCloseTo(4 / 3, 12);
    expect(d.meanWeightBySlot[1]).toBeCloseTo(1.5, 12);
    expect(d.meanWeightSeBySlot[0]).toBeCloseTo(Math.sqrt((8 / 3 - 16 / 9) / 2), 12);
    expect(d.meanWeightSeBySlot[1]).toBeCloseTo(Math.sqrt((10.25 / 3 - 2.25) / 2), 12);
    expect(d.suspectSlots).toEqual([]);
    expect(d.maxWeight).toBe(2.5);
    expect(d.matchedShare).toBeCloseTo(4 / 6, 12);
    expect(d.effectiveSampleSize).toBeCloseTo(8.5 ** 2 / 18.25, 12);
  });

  it('flags a slot whose weights are constant but not 1, and not one whose weights are all 1', () => {
    // Propensity 1 logged for a uniform target over 4 items: every weight 0.25, in both slots.
    const wrong = logOf(Array.from({ length: 3 }, () => [[0, 1], [1, 1], [0, 0]] as [number[], number[], number[]]));
    expect(weightDiagnostics(weighLog(wrong, new UniformPolicy())).suspectSlots).toEqual([0, 1]);
    const right = logOf(Array.from({ length: 3 }, () => [[0, 1], [0.25, 0.25], [0, 0]] as [number[], number[], number[]]));
    const d = weightDiagnostics(weighLog(right, new UniformPolicy()));
    expect(d.suspectSlots).toEqual([]);
    expect(d.meanWeightSeBySlot).toEqual([0, 0]);
  });

  it('flags a slot more than four standard errors from 1', () => {
    const props = [0.5, 0.5, 0.5, 0.5, 0.4];
    const log = logOf(props.map((mu) => [[1], [mu], [0]] as [number[], number[], number[]]));
    const d = weightDiagnostics(weighLog(log, target)); // weights 2, 2, 2, 2, 2.5
    expect(d.meanWeightBySlot[0]).toBeCloseTo(2.1, 12);
    expect(d.suspectSlots).toEqual([0]);
  });

  it('reports an empty log without dividing by zero', () => {
    const d = weightDiagnostics(weighLog(logOf([]), target));
    expect(d.matchedShare).toBeNaN();
    expect(d.effectiveSampleSize).toBe(0);
    expect(d.maxWeight).toBe(0);
  });
});

describe('slot distributions', () => {
  // Item 2 listed with 0.5; the other 0.5 spread over items 0, 1 and 3 (item 2 excluded).
  const dist: SlotDistribution = { items: [2], probs: [0.5], restMass: 0.5, restExcludes: [2] };

  it('adds the listed probability to the item’s share of the rest', () => {
    expect(slotProbability(dist, 2, 4)).toBe(0.5);
    expect(slotProbability(dist, 0, 4)).toBeCloseTo(0.5 / 3, 12);
    expect(slotProbability(dist, 4, 4)).toBe(0); // outside the catalog
    const listedAndRest: SlotDistribution = { items: [2], probs: [0.5], restMass: 0.5, restExcludes: [] };
    expect(slotProbability(listedAndRest, 2, 4)).toBeCloseTo(0.5 + 0.5 / 4, 12);
    expect(slotProbability({ items: [2], probs: [1], restMass: 0, restExcludes: [] }, 1, 4)).toBe(0);
  });

  it('expects a value over the listed items and the rest of the catalog', () => {
    const value = (i: number): number => [1, 2, 10, 4][i];
    expect(slotExpectation(dist, value, 17, 4)).toBeCloseTo(0.5 * 10 + (0.5 * (1 + 2 + 4)) / 3, 12);
    expect(slotExpectation({ items: [0, 3], probs: [0.25, 0.75], restMass: 0, restExcludes: [] }, value, 17, 4)).toBeCloseTo(3.25, 12);
    // A catalog no larger than the slate leaves no rest to spread (and nothing to divide by).
    const whole: SlotDistribution = { items: [0, 1], probs: [0.5, 0.5], restMass: 0, restExcludes: [0, 1] };
    expect(slotExpectation(whole, value, 3, 2)).toBe(1.5);
  });

  it('uniform puts 1/n on every item of the catalog', () => {
    const uniform = new UniformPolicy().slot();
    for (const item of [0, 3]) expect(slotProbability(uniform, item, 4)).toBe(0.25);
  });
});

describe('bootstrap helpers', () => {
  it('draws n units with replacement into a reused array', () => {
    const out = Int32Array.from([9, 9, 9, 9, 9, 9, 9, 9]);
    const counts = resampleCounts(8, new Rng('ope-mech/resample'), out);
    expect(counts).toBe(out);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(8);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(0);
    expect(resampleCounts(5, new Rng('ope-mech/resample'))).toHaveLength(5);
  });

  it('interpolates quantiles linearly (R type 7)', () => {
    const sorted = [1, 2, 3, 4];
    expect(quantileSorted(sorted, 0)).toBe(1);
    expect(quantileSorted(sorted, 0.5)).toBe(2.5);
    expect(quantileSorted(sorted, 0.25)).toBe(1.75);
    expect(quantileSorted(sorted, 1)).toBe(4);
    expect(quantileSorted([7], 0.3)).toBe(7);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  it('percentile interval and standard deviation of unsorted replicates', () => {
    const ci = percentileInterval(Float64Array.from([3, 1, 4, 2]), 0.5);
    expect(ci.lo).toBeCloseTo(1.75, 12);
    expect(ci.hi).toBeCloseTo(3.25, 12);
    expect(ci.sd).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(percentileInterval(Float64Array.from([3]), 0.9).sd).toBeNaN();
  });
});

describe('the direct method model, exactly', () => {
  it('predicts θ_slot · q_item, the overall rate for unseen items and the last θ beyond the log', () => {
    expect(MODEL.predict(ctx(0), 3, 1)).toBeCloseTo(0.4, 12);
    expect(MODEL.predict(ctx(0), 7, 0)).toBe(0.1);
    expect(MODEL.predict(ctx(0), 4, 0)).toBe(0.1); // the first id past the fitted rates
    expect(MODEL.predict(ctx(0), 2, 5)).toBeCloseTo(0.3, 12);
    // Catalog of 6: the four known rates plus two unseen, at θ = 0.5.
    expect(MODEL.catalogSum(ctx(0, 2, 6), 1)).toBeCloseTo(0.5 * (2 + 0.2), 12);
    expect(MODEL.catalogSum(ctx(0, 2, 3), 0)).toBeCloseTo(1.2, 12);
  });

  it('solves the moment equations on exactly factorised rewards', () => {
    // θ = [1, 0.5], q = [0.8, 0.4]; each item once in each slot.
    const log = logOf([
      [[0, 1], [1, 1], [0.8, 0.2]],
      [[1, 0], [1, 1], [0.4, 0.4]],
    ]);
    const m = FactorisedRewardModel.fit(log, { prior: 0 });
    expect(m.slotFactor[0]).toBe(1);
    expect(m.slotFactor[1]).toBeCloseTo(0.5, 6);
    expect(m.itemRate[0]).toBeCloseTo(0.8, 6);
    expect(m.itemRate[1]).toBeCloseTo(0.4, 6);
    expect(m.unseenRate).toBeCloseTo(1.8 / 3, 6); // all reward over examination θ summed over rows
  });

  it('shrinks item rates toward the overall rate by the prior; an unshown id gets the overall rate', () => {
    // One slot: item 0 clicked 3 of 5, item 1 once of 5, item 2 never shown.
    const rows: [number[], number[], number[]][] = [];
    for (let k = 0; k < 5; k++) rows.push([[0], [1], [k < 3 ? 1 : 0]], [[1], [1], [k < 1 ? 1 : 0]]);
    rows.push([[3], [1], [0]]);
    const m = FactorisedRewardModel.fit(logOf(rows), { prior: 5 });
    const overall = 4 / 11;
    expect(m.itemRate[0]).toBeCloseTo((3 + 5 * overall) / 10, 12);
    expect(m.itemRate[1]).toBeCloseTo((1 + 5 * overall) / 10, 12);
    expect(m.itemRate[2]).toBeCloseTo(overall, 12);
    expect(m.itemRate[3]).toBeCloseTo((5 * overall) / 6, 12);
    expect(m.unseenRate).toBeCloseTo(overall, 12);
  });

  it('counts a slate by its bootstrap weight, as if it were logged that many times', () => {
    const a: [number[], number[], number[]] = [[0, 1], [1, 1], [1, 0]];
    const b: [number[], number[], number[]] = [[1, 2], [1, 1], [1, 1]];
    const c: [number[], number[], number[]] = [[2, 0], [1, 1], [0, 1]];
    const weighted = FactorisedRewardModel.fit(logOf([a, b, c]), {}, Int32Array.from([2, 0, 1]));
    const repeated = FactorisedRewardModel.fit(logOf([a, a, c]));
    for (let i = 0; i < 3; i++) expect(weighted.itemRate[i]).toBeCloseTo(repeated.itemRate[i], 12);
    expect(weighted.slotFactor[1]).toBeCloseTo(repeated.slotFactor[1], 12);
  });

  it('gives an empty log rate 0, and a slot whose items never earn the slot factor above it', () => {
    const empty = FactorisedRewardModel.fit(logOf([]));
    expect(empty.unseenRate).toBe(0);
    expect(empty.predict(ctx(0), 0, 0)).toBe(0);
    // Items 0 and 1 swap slots 0 and 1 (θ1 = 0.5); item 2, only ever at slot 2, never earns anything.
    const log = logOf([
      [[0, 1, 2], [1, 1, 1], [1, 0.5, 0]],
      [[1, 0, 2], [1, 1, 1], [1, 0.5, 0]],
    ]);
    const m = FactorisedRewardModel.fit(log, { prior: 0 });
    expect(m.slotFactor[1]).toBeCloseTo(0.5, 9);
    expect(m.slotFactor[2]).toBeCloseTo(0.5, 9);
  });

  it('stops after the given number of alternations', () => {
    const log = logOf([
      [[0, 1], [1, 1], [1, 0]],
      [[1, 0], [1, 1], [1, 1]],
      [[0, 1], [1, 1], [0, 0]],
    ]);
    const once = FactorisedRewardModel.fit(log, { iterations: 1 });
    const many = FactorisedRewardModel.fit(log, { iterations: 200 });
    expect(Math.abs(once.slotFactor[1] - many.slotFactor[1])).toBeGreaterThan(1e-4);
    expect(FactorisedRewardModel.fit(log, { iterations: 0 }).slotFactor[1]).toBe(1);
  });
});

describe('slate logs from simulator impressions', () => {
  const row = (slateId: number, position: number, time: number, itemId: number, extra: Partial<ImpressionRow> = {}): ImpressionRow => ({
    time, epoch: 0, slateId, userId: 7, itemId, position, arm: 'a', source: 's', propensity: 0.5,
    clicked: false, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null, ...extra,
  });

  it('groups rows by slate, keeps slates inside [since, until) and reads the chosen reward', () => {
    const buffer = new ImpressionBuffer();
    buffer.append(row(1, 0, 0.5, 3, { clicked: true })); // before the window
    buffer.append(row(2, 0, 1, 4, { clicked: true, watchFraction: 0.5, liked: true, survey: 4 }));
    buffer.append(row(2, 1, 1, 5, { propensity: 0.25, survey: 3 }));
    buffer.append(row(3, 0, 1.5, 6, { watchFraction: 0.25, survey: 5 }));
    buffer.append(row(4, 0, 2, 8)); // at `until`: outside
    const contexts: [number, number, number][] = [];
    const read = (reward: 'click' | 'watch_fraction' | 'like' | 'survey_positive'): SlateLog =>
      slateLogFromImpressions([buffer], {
        reward,
        since: 1,
        until: 2,
        context: (slateId, userId, time) => {
          contexts.push([slateId, userId, time]);
          return { slateId, userId, time, catalogSize: 10 };
        },
      });
    const log = read('click');
    expect(contexts).toEqual([[2, 7, 1], [3, 7, 1.5]]);
    expect([...log.start]).toEqual([0, 2, 3]);
    expect([...log.itemId]).toEqual([4, 5, 6]);
    expect([...log.position]).toEqual([0, 1, 0]);
    expect([...log.propensity]).toEqual([0.5, 0.25, 0.5]);
    expect(log.contexts.map((c) => c.slateSize)).toEqual([2, 1]);
    expect([...log.reward]).toEqual([1, 0, 0]);
    expect([...read('watch_fraction').reward]).toEqual([0.5, 0, 0.25]);
    expect([...read('like').reward]).toEqual([1, 0, 0]);
    expect([...read('survey_positive').reward]).toEqual([1, 0, 1]);
    expect(rewardOf(buffer.columns, 0, 'click')).toBe(1);
  });

  it('refuses rows out of slot order and slate arrays of different lengths', () => {
    const buffer = new ImpressionBuffer();
    buffer.append(row(1, 1, 1, 3));
    buffer.append(row(1, 0, 1, 4));
    const options = { reward: 'click' as const, since: 0, until: 5, context: () => ({ slateId: 1, userId: 7, time: 1, catalogSize: 10 }) };
    expect(() => slateLogFromImpressions([buffer], options)).toThrow(/slate 1: rows are not in slot order/);
    expect(() => new SlateLogBuilder().add(ctx(0), [1, 2], [0.5], [0, 0])).toThrow(/differ in length/);
    expect(() => new SlateLogBuilder().add(ctx(0), [1], [0.5], [0, 0])).toThrow(/differ in length/);
    const builder = new SlateLogBuilder();
    builder.add(ctx(0), [1], [0.5], [0]);
    expect(builder.slates).toBe(1);
  });
});

describe('target policy names and rankings', () => {
  it('names policies after their ranking, as reports print them', () => {
    expect(target.name).toBe('greedy(scores)');
    expect(new UniformPolicy().name).toBe('uniform');
    expect(new EpsilonGreedyTargetPolicy(new PopularityRanking([1]), 0.2).name).toBe('epsilon-greedy(0.2, popularity)');
    expect(MODEL.name).toBe('item × slot');
  });

  it('popularity: clicks in [since, until), the top k only, then the newest ids down to 0', () => {
    const buffer = new ImpressionBuffer();
    const click = (time: number, itemId: number): ImpressionRow => ({
      time, epoch: 0, slateId: 0, userId: 0, itemId, position: 0, arm: 'a', source: 's', propensity: 1,
      clicked: true, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
    });
    for (const [t, item] of [[1, 4], [1.5, 4], [1.5, 2], [2, 3]]) buffer.append(click(t, item));
    const pop = PopularityRanking.fit([buffer], 1, 2); // the click at day 2 is out
    expect(pop.ranked).toEqual([4, 2]);
    expect(pop.top(ctx(0, 1, 8), 1)).toEqual([4]);
    expect(pop.top(ctx(0, 3, 4), 3)).toEqual([2, 3, 1]); // item 4 is not in a 4-item catalog
    expect(new PopularityRanking([]).top(ctx(0, 3, 3), 3)).toEqual([2, 1, 0]);
  });

  it('topK keeps the earlier of equal scores at the cut', () => {
    expect(topK([3, 1, 1], 2, 3)).toEqual([0, 1]);
  });

  it('caches a score ranking per key and catalog size only when given a cache key', () => {
    let calls = 0;
    const scores = (): number[] => {
      calls++;
      return [0.3, 0.9, 0.1, 0.5];
    };
    const keyed = new ScoreRanking('keyed', scores, (c) => c.userId);
    expect(keyed.top(ctx(0, 2, 4), 2)).toEqual([1, 3]);
    expect(keyed.top(ctx(1, 2, 4), 2)).toEqual([1, 3]);
    expect(calls).toBe(1);
    expect(keyed.top(ctx(0, 2, 3), 2)).toEqual([1, 0]); // item 3 is not in a 3-item catalog
    expect(keyed.top(ctx(0, 2, 4), 3)).toEqual([1, 3, 0]);
    expect(calls).toBe(3);
    const plain = new ScoreRanking('plain', scores);
    plain.top(ctx(0), 2);
    plain.top(ctx(0), 2);
    expect(calls).toBe(5);
    expect(plain.top(ctx(0, 2, 2), 5)).toEqual([1, 0]);
  });
});

describe('a served exploration policy as a target', () => {
  const softmax = (scores: readonly number[]): number[] => {
    const w = scores.map((x) => Math.exp(x - Math.max(...scores)));
    const total = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / total);
  };

  it("hands the policy the ranking's top `pool` items with the ranking's scores (minus the rank without them)", () => {
    // Clicks: item 4 twice, item 2 once; unclicked items score −1 − id / catalog size.
    const pop = new PopularityRanking([4, 2], new Map([[4, 2], [2, 1]]));
    expect(pop.score(ctx(0, 2, 8), 4)).toBe(2);
    expect(pop.score(ctx(0, 2, 8), 6)).toBe(-1 - 6 / 8);
    const boltzmann = new ServedPolicyTarget(new BoltzmannPolicy(1, 10, new KeyedStream('mc')), pop, { pool: 3, seed: 's', catalog: { size: 0 } });
    expect(boltzmann.name).toBe('boltzmann(popularity)');
    // Slot 0 of a Boltzmann slate is the exact softmax over the pool: items 4, 2, then the newest, 7.
    const first = boltzmann.slot(ctx(0, 2, 8), 0);
    expect(first.items).toEqual([4, 2, 7]);
    softmax([2, 1, -1 - 7 / 8]).forEach((p, k) => expect(first.probs[k]).toBeCloseTo(p, 12));
    // A slot past the slate holds nothing.
    expect(boltzmann.slot(ctx(0, 2, 8), 2)).toEqual({ items: [], probs: [], restMass: 0, restExcludes: [] });
    // Another catalog is another context: item 7 does not exist in a catalog of 6.
    expect(boltzmann.slot(ctx(0, 2, 6), 0).items).toEqual([4, 2, 5]);
    // A ranking without scores: minus the rank; a pool smaller than the slate is the slate.
    const ranked = new ServedPolicyTarget(new BoltzmannPolicy(1, 10, new KeyedStream('mc')), new ScoreRanking('scores', () => [0.1, 0.9, 0.5, 0.3]), {
      pool: 0,
      seed: 's',
      catalog: { size: 0 },
      name: 'softmax',
    });
    expect(ranked.name).toBe('softmax');
    const top = ranked.slot(ctx(1, 3, 4), 0);
    expect(top.items).toEqual([1, 2, 3]);
    softmax([0, -1, -2]).forEach((p, k) => expect(top.probs[k]).toBeCloseTo(p, 12));
    expect(ranked.sample(ctx(1, 3, 4), new Rng('draw')).sort()).toEqual([1, 2, 3]);
  });

  it('epsilon-greedy explores over the whole catalog: the rest of it shares the exploring mass', () => {
    const policy = new EpsilonGreedyTargetPolicy(new ScoreRanking('scores', () => [0.1, 0.9, 0.5, 0.3]), 0.2);
    for (const slot of [0, 1]) {
      const dist = policy.slot(ctx(0, 2, 4), slot);
      expect(dist.restExcludes).toEqual([1, 2]);
      expect(dist.restMass).toBeGreaterThan(0);
      expect([0, 1, 2, 3].reduce((sum, item) => sum + slotProbability(dist, item, 4), 0)).toBeCloseTo(1, 12);
    }
  });

  it('refuses a policy that states no slot distributions', () => {
    const silent = new UcbPolicy(1, 'click');
    Object.defineProperty(silent, 'slotMarginals', { value: undefined });
    expect(() => new ServedPolicyTarget(silent, new PopularityRanking([]), { pool: 0, seed: 's', catalog: { size: 0 } })).toThrow(
      'ucb cannot be an off-policy target: it states no slot distributions',
    );
  });
});

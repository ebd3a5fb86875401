/**
 * The parts of off-policy evaluation on imported logs, on cases with known answers: Thompson
 * sampling's (item, slot) probabilities from its priors (equal priors: uniform; Beta(2,1)
 * against Beta(1,1): 2/3 on top; priors far apart: the order of their means), a log's exposure
 * shares, the one-round slates the estimators read, and a reward model fitted on the evaluated
 * log refitted on the bootstrap's own resample.
 */
import { describe, expect, it } from 'vitest';
import { estimatePolicyValue, resampleCounts } from '../src/ope/index.js';
import type { LoggedRounds } from '../src/ope/logged/read-imported.js';
import { fitRoundModel, roundLog, roundTarget } from '../src/ope/logged/round-log.js';
import { exposureMarginals, thompsonMarginals, uniformMarginals } from '../src/ope/logged/slot-marginals.js';
import { Rng } from '../src/rng/index.js';

const SEEDS = ['a', 'b', 'c'];

describe('Thompson sampling slot probabilities from its priors', () => {
  it('equal priors give every item every slot with probability 1/items, within 4 binomial SE, over three seeds', () => {
    const items = 5;
    const slots = 3;
    const draws = 20_000;
    const se = Math.sqrt((1 / items) * (1 - 1 / items) / draws);
    for (const seed of SEEDS) {
      const m = thompsonMarginals(new Array(items).fill(3), new Array(items).fill(40), slots, draws, new Rng(seed));
      expect(m.samplesPerSlot).toEqual([draws, draws, draws]);
      for (let k = 0; k < slots; k++) {
        let column = 0;
        for (let i = 0; i < items; i++) {
          const p = m.prob[i * slots + k];
          column += p;
          expect(Math.abs(p - 1 / items)).toBeLessThan(4 * se);
        }
        // Every draw fills every slot with one item.
        expect(column).toBeCloseTo(1, 12);
      }
    }
  });

  it('Beta(2,1) against Beta(1,1): the first is on top with probability 2/3 (∫ 2y · y dy), within 4 SE, over three seeds', () => {
    const draws = 20_000;
    const se = Math.sqrt((2 / 3) * (1 / 3) / draws);
    for (const seed of SEEDS) {
      const m = thompsonMarginals([2, 1], [1, 1], 2, draws, new Rng(seed));
      expect(Math.abs(m.prob[0 * 2 + 0] - 2 / 3)).toBeLessThan(4 * se);
      expect(m.prob[0 * 2 + 1]).toBeCloseTo(1 - m.prob[0], 12);
      expect(m.prob[1 * 2 + 0]).toBeCloseTo(1 - m.prob[0], 12);
    }
  });

  it('priors far apart rank the items by their means, slot by slot, whatever their order in the list', () => {
    // Means 0.5, 0.999, 0.001, 0.9, 0.1: slots 0..2 go to items 1, 3, 0; items 4 and 2 never show.
    const m = thompsonMarginals([5000, 9990, 10, 9000, 1000], [5000, 10, 9990, 1000, 9000], 3, 2_000, new Rng('far'));
    const table = Array.from({ length: 5 }, (_, i) => Array.from(m.prob.subarray(i * 3, i * 3 + 3)));
    expect(table).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
  });

  it('refuses priors and slots that do not fit', () => {
    expect(() => thompsonMarginals([1, 2], [1], 1, 10, new Rng('x'))).toThrow('2 alphas but 1 betas');
    expect(() => thompsonMarginals([1, 2], [1, 1], 3, 10, new Rng('x'))).toThrow('slots must be 1..2');
  });
});

describe('exposure shares and uniform slates', () => {
  it("a log's share of each slot's impressions per item", () => {
    const m = exposureMarginals(Int32Array.from([0, 1, 1, 2, 0, 1]), Int32Array.from([0, 0, 0, 0, 1, 1]), 3, 2);
    expect(Array.from(m.prob)).toEqual([1 / 4, 1 / 2, 2 / 4, 1 / 2, 1 / 4, 0]);
    expect(m.samplesPerSlot).toEqual([4, 2]);
    expect(Array.from(uniformMarginals(4, 2).prob)).toEqual(new Array(8).fill(1 / 4));
  });
});

/** Rounds of a made-up log: item, slot, propensity, click. */
function rounds(rows: readonly [number, number, number, number][], items = 3, slots = 2): LoggedRounds {
  return {
    dir: 'made-up',
    arm: 'logger',
    slots,
    items,
    itemId: Int32Array.from(rows.map((r) => r[0])),
    position: Int32Array.from(rows.map((r) => r[1])),
    propensity: Float64Array.from(rows.map((r) => r[2])),
    clicked: Float64Array.from(rows.map((r) => r[3])),
  };
}

describe('rounds as one-row slates', () => {
  const log = rounds([
    [0, 0, 0.5, 1],
    [1, 1, 0.25, 0],
    [2, 1, 0.25, 1],
    [0, 1, 0.5, 0],
  ]);

  it('IPS and SNIPS read the target at each round\'s own slot', () => {
    // Target: slot 0 always item 0; slot 1 item 2 with 0.8, item 1 with 0.2.
    const target = { items: 3, slots: 2, prob: Float64Array.from([1, 0, 0, 0.2, 0, 0.8]), samplesPerSlot: [0, 0] };
    const prepared = roundLog(log);
    const est = estimatePolicyValue(prepared.log, roundTarget('t', target, prepared.position), fitRoundModel(prepared), { bootstrap: 0, confidence: 0.95, rng: new Rng('x') });
    // Weights: 1/0.5, 0.2/0.25, 0.8/0.25, 0/0.5; rewards 1, 0, 1, 0.
    expect(est.estimates.ips.value).toBeCloseTo((2 * 1 + 0.8 * 0 + 3.2 * 1 + 0) / 4, 12);
    expect(est.estimates.snips.value).toBeCloseTo((2 + 3.2) / (2 + 0.8 + 3.2 + 0), 12);
  });

  it('a reward model fitted on the evaluated log is refitted on the same resample as the estimate', () => {
    const prepared = roundLog(log);
    const target = roundTarget('u', uniformMarginals(3, 2), prepared.position);
    const est = estimatePolicyValue(prepared.log, target, fitRoundModel(prepared), {
      bootstrap: 3,
      confidence: 0.95,
      rng: new Rng('boot'),
      keepReplicates: true,
      refit: { log: prepared.log, fit: (_log, weights) => fitRoundModel(prepared, weights) },
    });
    // The same stream drawn again: one resample per replicate, and no second one for the model.
    const rng = new Rng('boot');
    for (let b = 0; b < 3; b++) {
      const counts = resampleCounts(4, rng);
      const model = fitRoundModel(prepared, counts);
      const again = estimatePolicyValue(prepared.log, target, model, { bootstrap: 0, confidence: 0.95, rng: new Rng('unused') });
      // DM with every slate counted counts[s] times: the mean of its per-slate values, weighted.
      let dm = 0;
      let n = 0;
      for (let s = 0; s < 4; s++) {
        const ctx = prepared.log.contexts[s];
        dm += counts[s] * (model.catalogSum(ctx, 0) / 3);
        n += counts[s];
      }
      expect(est.replicates?.dm[b]).toBeCloseTo(dm / n, 12);
      expect(again.estimates.dm.value).toBeCloseTo(prepared.log.contexts.reduce((a, ctx) => a + model.catalogSum(ctx, 0) / 3, 0) / 4, 12);
    }
  });
});

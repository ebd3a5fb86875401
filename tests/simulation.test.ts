import { describe, expect, it } from 'vitest';
import { buildRecommender } from '../src/recommender/baselines.js';
import type { Recommender, RecRequest, Slate } from '../src/recommender/types.js';
import { buildParts, buildPartsWith } from '../src/simulation/build.js';
import { epochBounds, Simulation, type EpochMetrics, type EpochResult } from '../src/simulation/simulation.js';
import { smallScenario } from './support/scenarios.js';

async function collect(sim: Simulation): Promise<EpochResult[]> {
  const epochs: EpochResult[] = [];
  await sim.run((e) => {
    epochs.push(e);
  });
  return epochs;
}

/** Wraps the scenario's own recommender and records every batch it serves. */
function recordingSimulation(overrides: string[]): { sim: Simulation; batches: RecRequest[][] } {
  const scenario = smallScenario(overrides);
  const batches: RecRequest[][] = [];
  const sim = new Simulation(
    buildPartsWith(scenario, (ctx) => {
      const inner = buildRecommender(scenario.recommender, ctx, () => {
        throw new Error('no oracle here');
      });
      return {
        name: inner.name,
        serve: (requests) => {
          batches.push([...requests]);
          return inner.serve(requests);
        },
        retrain: (log, now) => inner.retrain(log, now),
      };
    }),
  );
  return { sim, batches };
}

describe('epoch bounds', () => {
  it('cuts the horizon into retrain periods, the last one at the horizon', () => {
    expect(epochBounds(3, 1)).toEqual([
      { epoch: 0, start: 0, end: 1 },
      { epoch: 1, start: 1, end: 2 },
      { epoch: 2, start: 2, end: 3 },
    ]);
    expect(epochBounds(2.5, 1).at(-1)).toEqual({ epoch: 2, start: 2, end: 2.5 });
  });
});

describe('the closed loop', () => {
  it('batches requests by window: one call per window, all requests of a call inside one window', async () => {
    const { sim, batches } = recordingSimulation(['schedule.batch_window=5m', 'logs.impressions=false']);
    await collect(sim);
    const window = 5 / 1440;
    expect(batches.length).toBeGreaterThan(100);
    expect(Math.max(...batches.map((b) => b.length))).toBeGreaterThan(1);
    for (const batch of batches) {
      const slot = Math.floor(batch[0].time / window + 1e-9);
      for (const r of batch) expect(Math.floor(r.time / window + 1e-9)).toBe(slot);
    }
  });

  it('with a zero window serves one request per call', async () => {
    const { sim, batches } = recordingSimulation(['schedule.batch_window=0', 'horizon.days=2']);
    await collect(sim);
    expect(batches.every((b) => b.length === 1)).toBe(true);
  });

  it('the synchronous schedule gives every user exactly one slate per step', async () => {
    const scenario = smallScenario(['schedule={kind: steps, step: 1d}', 'world.users.signups_per_day=0', 'horizon.days=3']);
    const epochs = await collect(new Simulation(buildParts(scenario)));
    expect(epochs).toHaveLength(3);
    for (const e of epochs) {
      expect(e.metrics.slates).toBe(300);
      expect(e.metrics.impressions).toBe(300 * 5);
    }
  });

  it('logs every impression with its slate, position, source and propensity', async () => {
    const epochs = await collect(new Simulation(buildParts(smallScenario(['horizon.days=2']))));
    for (const { impressions, metrics } of epochs) {
      expect(impressions.length).toBe(metrics.impressions);
      const c = impressions.columns;
      let clicks = 0;
      for (let i = 0; i < impressions.length; i++) clicks += c.clicked[i];
      expect(clicks).toBe(metrics.clicks);
    }
    // Day 0 is the random start-up: propensity 1/catalog size; day 1 is the popularity ranking: propensity 1.
    const day0 = epochs[0].impressions;
    expect(day0.sourceOf(0)).toBe('random-startup');
    expect(day0.row(0).propensity).toBeGreaterThan(1 / 600);
    expect(day0.row(0).propensity).toBeLessThanOrEqual(1 / 400);
    expect(epochs[1].impressions.sourceOf(0)).toBe('popularity');
    expect(epochs[1].impressions.row(0).propensity).toBe(1);
  });

  it('runs the parts it is handed: the given metrics see every slate and make the row, the given settings make the epochs', async () => {
    const parts = buildParts(smallScenario(['horizon.days=2', 'logs.impressions=false']));
    const seen = { slates: 0, impressions: 0 };
    const metrics: EpochMetrics = {
      observe: (event) => {
        if (event.kind !== 'slate') return;
        seen.slates++;
        seen.impressions += event.items.length;
      },
      endEpoch: (bounds) => ({ epoch: bounds.epoch, impressions_so_far: seen.impressions }),
    };
    const epochs = await collect(new Simulation({ ...parts, metrics, settings: { ...parts.settings, retrainEvery: 0.5 } }));
    expect(epochs.map((e) => e.bounds.end)).toEqual([0.5, 1, 1.5, 2]);
    let logged = 0;
    for (const e of epochs) {
      logged += e.impressions.length;
      expect(e.metrics.impressions_so_far).toBe(logged);
    }
    expect(seen.slates).toBeGreaterThan(100);
  });

  it('takes the epoch\'s metrics beside the retrain: the row is the world\'s before the next epoch, and an error there ends the run', async () => {
    const parts = buildParts(smallScenario(['horizon.days=2', 'logs.impressions=false']));
    let retrains = 0;
    const recommender: Recommender = { name: 'counting', serve: (requests) => parts.recommender.serve(requests), retrain: () => void retrains++ };
    const seen: number[] = [];
    const metrics: EpochMetrics = { observe: () => {}, endEpoch: (bounds) => (seen.push(bounds.epoch), { retrains_when_measured: retrains }) };
    const epochs = await collect(new Simulation({ ...parts, recommender, metrics }));
    // Each row is taken once, before the next epoch runs, whichever finishes first.
    expect(seen).toEqual([0, 1]);
    expect(epochs.map((e) => e.metrics.retrains_when_measured)).toEqual([1, 2]);
    const failing: EpochMetrics = { observe: () => {}, endEpoch: () => { throw new Error('metric broke'); } };
    await expect(new Simulation({ ...parts, recommender, metrics: failing }).run()).rejects.toThrow('metric broke');
  });

  it('grows the population and the catalog through sign-ups and uploads', async () => {
    const sim = new Simulation(buildParts(smallScenario(['horizon.days=3'])));
    const epochs = await collect(sim);
    const signups = epochs.reduce((n, e) => n + e.metrics.signups, 0);
    const uploads = epochs.reduce((n, e) => n + e.metrics.new_items, 0);
    expect(signups).toBeGreaterThan(30);
    expect(uploads).toBeGreaterThan(80);
    expect(sim.world.users.size).toBe(300 + signups);
    expect(sim.world.items.size).toBe(400 + uploads);
  });

  it('the oracle gives users more true satisfaction than random slates', async () => {
    const run = async (kind: string) => {
      const epochs = await collect(new Simulation(buildParts(smallScenario([`recommender.kind=${kind}`, 'recommender.random_startup=0', 'horizon.days=3']))));
      return epochs.reduce((s, e) => s + e.metrics.mean_true_satisfaction, 0) / epochs.length;
    };
    const oracle = await run('oracle');
    const random = await run('random');
    expect(oracle).toBeGreaterThan(random + 0.5);
  });

  it('rejects a recommender that repeats an item in a slate, naming it', async () => {
    const broken: Recommender = {
      name: 'broken',
      serve: (requests): Slate[] =>
        requests.map((r) => ({ slateId: r.slateId, entries: [0, 0].map((itemId) => ({ itemId, source: 'x', propensity: 1 })) })),
      retrain: () => {},
    };
    const sim = new Simulation(buildPartsWith(smallScenario(['horizon.days=1']), () => broken));
    await expect(sim.run()).rejects.toThrow(/recommender broken returned item 0 twice/);
  });
});

describe('the random baseline', () => {
  it('puts every item in every slot with the logged probability 1/catalog size', async () => {
    const scenario = smallScenario(['recommender.kind=random', 'recommender.random_startup=0', 'world.items.uploads_per_day=0', 'horizon.days=2']);
    const epochs = await collect(new Simulation(buildParts(scenario)));
    // Mean item id per slot: about (n-1)/2 in every slot if slots are exchangeable.
    const n = 400;
    const sums = new Float64Array(5);
    const counts = new Float64Array(5);
    for (const { impressions } of epochs) {
      const c = impressions.columns;
      for (let i = 0; i < impressions.length; i++) {
        sums[c.position[i]] += c.item_id[i];
        counts[c.position[i]] += 1;
        expect(c.propensity[i]).toBe(1 / n);
      }
    }
    const se = Math.sqrt((n * n - 1) / 12 / counts[0]);
    for (let p = 0; p < 5; p++) expect(Math.abs(sums[p] / counts[p] - (n - 1) / 2)).toBeLessThan(4 * se);
  });
});

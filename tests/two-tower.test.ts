/**
 * The two-tower candidate source, trained on the simulator's own logs. The bar: on a world with
 * planted topic structure, its recall@100 of each user's true top-100 items is far above the
 * popularity source's. The test reads ground truth to score; the source never sees it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Mlp } from '../src/ml/dense.js';
import { GreedyPolicy } from '../src/recommender/explore/greedy.js';
import { Pipeline } from '../src/recommender/pipeline.js';
import { RandomRecommender } from '../src/recommender/random-recommender.js';
import { RandomStartup } from '../src/recommender/startup.js';
import { PopularitySource } from '../src/recommender/sources/popularity.js';
import type { TwoTowerConfig, TwoTowerSourceConfig } from '../src/recommender/two-tower/config.js';
import { collectExamples } from '../src/recommender/two-tower/examples.js';
import { TwoTowerSource } from '../src/recommender/two-tower/source.js';
import { shareTrainedStates, TrainedStates } from '../src/recommender/trained-states.js';
import type { RecRequest, SlateFeedback } from '../src/recommender/types.js';
import { Rng } from '../src/rng/index.js';
import { parseScenario, type Scenario } from '../src/scenario/index.js';
import { buildPartsWith } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { smallScenario } from './support/scenarios.js';

const DAYS = 4;
const K = 100;

/**
 * Planted structure: focused users (small Dirichlet concentration over 8 topics), a strong topic
 * weight in the utility, no clickbait. Slates are uniformly random for the whole run, so the log
 * is the unbiased start-up log a new system would train on.
 */
const PLANTED = `
name: planted
seed: 5
horizon: { days: ${DAYS} }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 8
  users: { count: 400, preferences: { topic_concentration: 0.1 } }
  items: { count: 1000, creators: 100, clickbait_share: 0 }
  affinity: { topic_weight: 5 }
recommender:
  kind: two_stage
  slate_size: 10
  candidates: [{ source: two_tower, k: ${K} }]
  two_tower: { epochs: 4, batch_size: 256 }
logs: { impressions: false }
`;

function configs(scenario: Scenario, overrides: Partial<TwoTowerConfig> = {}): { source: TwoTowerSourceConfig; model: TwoTowerConfig } {
  const rec = scenario.recommender;
  if (rec.kind !== 'two_stage') throw new Error('expected a two_stage scenario');
  const source = rec.candidates.find((c): c is TwoTowerSourceConfig => c.source === 'two_tower');
  if (!source) throw new Error('expected a two_tower source');
  return { source, model: { ...rec.two_tower, ...overrides } };
}

function row(userId: number, itemId: number, time: number, clicked: boolean): ImpressionRow {
  return {
    time,
    epoch: 0,
    slateId: 0,
    userId,
    itemId,
    position: 0,
    arm: 'a',
    source: 's',
    propensity: 1,
    clicked,
    watchMinutes: 0,
    watchFraction: clicked ? 0.5 : 0,
    completed: false,
    liked: false,
    survey: null,
  };
}

describe('training examples', () => {
  it('give each click the history as it was just before it (newest first), never the clicked item itself', () => {
    const buffer = new ImpressionBuffer();
    const clicks: [number, number, number][] = [
      [1, 10, 0.1],
      [2, 20, 0.15],
      [1, 11, 0.2],
      [1, 12, 0.3],
      [1, 13, 0.4],
    ];
    for (const [user, item, time] of clicks) {
      buffer.append(row(user, 999, time, false));
      buffer.append(row(user, item, time, true));
    }
    const log = new TrainingLog(14);
    log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
    const all = collectExamples(log, 2, 100);
    expect(all.count).toBe(5);
    const history = (e: number): number[] => Array.from(all.historyItems.subarray(e * 2, e * 2 + all.historyCounts[e]));
    expect(Array.from(all.itemIds)).toEqual([10, 20, 11, 12, 13]);
    expect(history(0)).toEqual([]);
    expect(history(1)).toEqual([]);
    expect(history(2)).toEqual([10]);
    expect(history(3)).toEqual([11, 10]);
    expect(history(4)).toEqual([12, 11]); // capped at the history length, oldest dropped
    expect(Array.from(all.historyTimes.subarray(8, 10))).toEqual([0.3, 0.2]);

    // Only the most recent positives are kept, but older clicks still feed their histories.
    const recent = collectExamples(log, 2, 2);
    expect(Array.from(recent.itemIds)).toEqual([12, 13]);
    expect(Array.from(recent.historyItems.subarray(0, 2))).toEqual([11, 10]);
  });
});

describe('TwoTowerSource on a world with planted structure', () => {
  let sim: Simulation;
  let scenario: Scenario;
  let twoTower: TwoTowerSource;
  let popularity: PopularitySource;
  let log: TrainingLog | undefined;
  let feedback: SlateFeedback[] = [];
  let requests: RecRequest[] = [];

  beforeAll(async () => {
    scenario = parseScenario(PLANTED, 'planted.yaml');
    const { source, model } = configs(scenario);
    sim = new Simulation(
      buildPartsWith(scenario, (ctx) => {
        const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random'));
        twoTower = new TwoTowerSource(source, model, ctx.catalog, ctx.users, ctx.streams.stream('two-tower'));
        popularity = new PopularitySource(ctx.catalog, { k: K, windowDays: DAYS, excludeSeen: true });
        expect(twoTower.generate([])).toEqual([]);
        return {
          name: 'random-with-shadow-sources',
          serve: (batch) => random.serve(batch),
          observe: (f) => {
            twoTower.observe(f);
            feedback.push(f);
          },
          retrain: (window) => {
            log = window; // the sources are trained once, on the final window, below
          },
        };
      }),
    );
    await sim.run();
    if (!log) throw new Error('no training log');
    // Before any retrain the source has no model and proposes nothing.
    const probe = feedback[0].request;
    expect(twoTower.generate([probe])).toEqual([[]]);
    await twoTower.retrain(log, DAYS);
    popularity.retrain(log, DAYS);
    // Every other user, asking at the end of the run at their usual hour.
    requests = Array.from({ length: 200 }, (_, k) => {
      const user = sim.world.users.public.get(2 * k);
      return { slateId: k, userId: user.id, time: DAYS, hourOfDay: user.typicalHour, device: user.device, requestInSession: 0, pastSessions: 1 };
    });
  });

  it('recalls far more of each user\'s true top 100 than popularity does', () => {
    const world = sim.world;
    const tt = twoTower.generate(requests);
    const pop = popularity.generate(requests);
    let ttHits = 0;
    let popHits = 0;
    requests.forEach((request, r) => {
      const utilities = Array.from({ length: world.items.size }, (_, i) => ({ i, u: world.trueUtility(request.userId, i, DAYS) }));
      const top = new Set(utilities.sort((a, b) => b.u - a.u || a.i - b.i).slice(0, K).map((x) => x.i));
      expect(tt[r]).toHaveLength(K);
      expect(pop[r]).toHaveLength(K);
      for (const c of tt[r]) if (top.has(c.itemId)) ttHits++;
      for (const c of pop[r]) if (top.has(c.itemId)) popHits++;
    });
    const ttRecall = ttHits / (K * requests.length);
    const popRecall = popHits / (K * requests.length);
    console.log(
      `recall@${K} of the true top ${K} (${requests.length} users, ${world.items.size} items): ` +
        `two-tower ${ttRecall.toFixed(3)}, popularity ${popRecall.toFixed(3)}, ` +
        `margin ${(ttRecall - popRecall).toFixed(3)} (${(ttRecall / popRecall).toFixed(2)}×); random would be ${(K / world.items.size).toFixed(3)}`,
    );
    expect(ttRecall).toBeGreaterThanOrEqual(2.5 * popRecall);
    expect(ttRecall).toBeGreaterThanOrEqual(0.35);
  });

  it('returns k candidates best first, scored by cosine similarity, excluding what the user recently clicked', () => {
    const clicks = new Map<number, number[]>();
    for (const f of feedback) {
      if (f.clicked < 0) continue;
      clicks.set(f.request.userId, [...(clicks.get(f.request.userId) ?? []), f.slate.entries[f.clicked].itemId]);
    }
    const length = configs(scenario).model.history;
    const recentClicks = new Map([...clicks].map(([user, items]) => [user, new Set(items.slice(-length))]));
    const withHistory = requests.filter((r) => (recentClicks.get(r.userId)?.size ?? 0) > 0);
    expect(withHistory.length).toBeGreaterThan(100);
    const problems: string[] = [];
    twoTower.generate(withHistory).forEach((list, r) => {
      const user = withHistory[r].userId;
      const clicked = recentClicks.get(user) ?? new Set();
      if (list.length !== K) problems.push(`user ${user}: ${list.length} candidates`);
      list.forEach((c, j) => {
        if (clicked.has(c.itemId)) problems.push(`user ${user}: recently clicked item ${c.itemId} proposed`);
        if (c.sources.join() !== 'two_tower') problems.push(`user ${user}: sources ${c.sources.join()}`);
        if (!(Math.abs(c.sourceScore) <= 1 + 1e-5)) problems.push(`user ${user}: score ${c.sourceScore} is not a cosine`);
        if (j > 0 && c.sourceScore > list[j - 1].sourceScore) problems.push(`user ${user}: not best first at ${j}`);
      });
    });
    expect(problems).toEqual([]);
  });

  it('reports the same diagnostic keys every retrain, the loss among them', async () => {
    const first = twoTower.diagnostics();
    expect(first.metrics.two_tower_train_loss).toBeGreaterThan(0);
    expect(first.metrics.two_tower_indexed_items).toBe(1000);
    expect(first.metrics.two_tower_exact_search).toBe(1); // 1,000 items is below exact_below
    expect(first.timings.two_tower_examples_per_second).toBeGreaterThan(0);
    const fresh = new TwoTowerSource(configs(scenario).source, configs(scenario).model, sim.world.items.public, sim.world.users.public, new Rng('d'));
    expect(Object.keys(fresh.diagnostics().metrics)).toEqual(Object.keys(first.metrics));
    expect(Object.keys(fresh.diagnostics().timings)).toEqual(Object.keys(first.timings));
  });

  it('does not propose an item uploaded after the last retrain, even to a user who has clicked it', () => {
    const world = sim.world;
    const newItem = world.items.create(DAYS + 0.1);
    const request = { ...requests[0], slateId: 9999, time: DAYS + 0.2 };
    twoTower.observe({
      request,
      slate: { slateId: 9999, entries: [{ itemId: newItem, source: 'fresh', propensity: 1 }] },
      clicked: 0,
      watchMinutes: 1,
      watchFraction: 1,
      completed: true,
      liked: false,
      survey: null,
    });
    const all = twoTower.generate([{ ...request, slateId: 10_000 }])[0];
    expect(all).toHaveLength(K);
    expect(all.some((c) => c.itemId === newItem)).toBe(false);
  });

  it('trains and serves without leaking tensors, deterministically, cold or warm started', async () => {
    if (!log) throw new Error('no training log');
    const small = { max_examples: 2000, epochs: 1 };
    const make = (overrides: Partial<TwoTowerConfig>): TwoTowerSource =>
      new TwoTowerSource(configs(scenario).source, configs(scenario, { ...small, ...overrides }).model, sim.world.items.public, sim.world.users.public, new Rng('same'));
    const a = make({});
    const b = make({});
    const cold = make({ warm_start: false });
    await a.retrain(log, DAYS);
    await b.retrain(log, DAYS);
    await cold.retrain(log, DAYS);
    const tensors = tf.memory().numTensors;
    expect(a.generate(requests.slice(0, 20))).toEqual(b.generate(requests.slice(0, 20)));
    await a.retrain(log, DAYS);
    await cold.retrain(log, DAYS);
    a.generate(requests);
    expect(tf.memory().numTensors).toBe(tensors);
    // Warm: the second retrain continues from the first, so it fits the same window better than a re-initialised model.
    expect(a.diagnostics().metrics.two_tower_train_loss).toBeLessThan(cold.diagnostics().metrics.two_tower_train_loss);
  });

  it('adopts what another thread trained: the same candidates and figures as the source that trained, without training itself', async () => {
    if (!log) throw new Error('no training log');
    const trainingLog = log;
    // Different streams: an adopter that trained on its own would propose other candidates.
    const make = (seed: string): TwoTowerSource =>
      new TwoTowerSource(configs(scenario).source, configs(scenario, { max_examples: 2000, epochs: 1 }).model, sim.world.items.public, sim.world.users.public, new Rng(seed));
    const trainer = make('trainer');
    const adopter = make('adopter');
    for (const f of feedback) {
      trainer.observe(f);
      adopter.observe(f);
    }
    // Two retrains, the second warm-started. Each round opens both ends first (a channel hears only
    // what is published after it opens) and shares one at a time (shareTrainedStates closes the last).
    try {
      for (let round = 0; round < 2; round++) {
        const name = `two-tower-adopts-${round}`;
        const [main, other] = [new TrainedStates(name, 0, 2), new TrainedStates(name, 1, 2)];
        shareTrainedStates(other);
        await trainer.retrain(trainingLog, DAYS);
        shareTrainedStates(main);
        await adopter.retrain(trainingLog, DAYS);
      }
    } finally {
      shareTrainedStates(null);
    }
    expect(adopter.generate(requests)).toEqual(trainer.generate(requests));
    expect(adopter.diagnostics().metrics).toEqual(trainer.diagnostics().metrics);
    expect(adopter.diagnostics().timings.two_tower_train_seconds).toBe(trainer.diagnostics().timings.two_tower_train_seconds);
  });

  it('keeps serving the last good model on both threads when the training thread throws a diverged retrain away, drawing its rows in step', async () => {
    if (!log) throw new Error('no training log');
    const trainingLog = log;
    // The same streams on both sides (as in a run) and a cold start at each retrain, which redraws every row.
    const make = (): TwoTowerSource =>
      new TwoTowerSource(
        configs(scenario).source,
        configs(scenario, { max_examples: 2000, epochs: 1, warm_start: false, on_divergence: 'keep_last' }).model,
        sim.world.items.public,
        sim.world.users.public,
        new Rng('same'),
      );
    const trainer = make();
    const adopter = make();
    for (const f of feedback) {
      trainer.observe(f);
      adopter.observe(f);
    }
    const step = Mlp.prototype.step;
    try {
      for (let round = 0; round < 3; round++) {
        const name = `two-tower-keeps-${round}`;
        const [main, other] = [new TrainedStates(name, 0, 2), new TrainedStates(name, 1, 2)];
        const spy = vi.spyOn(Mlp.prototype, 'step').mockImplementation(function (this: Mlp) {
          step.call(this);
          if (round === 1) this.parameters[0][0] = Number.NaN; // the second retrain diverges
        });
        shareTrainedStates(other);
        await trainer.retrain(trainingLog, DAYS);
        spy.mockRestore();
        shareTrainedStates(main);
        await adopter.retrain(trainingLog, DAYS);
        expect(adopter.generate(requests.slice(0, 50))).toEqual(trainer.generate(requests.slice(0, 50)));
        expect(adopter.diagnostics().metrics).toEqual(trainer.diagnostics().metrics);
      }
    } finally {
      shareTrainedStates(null);
    }
    expect(trainer.diagnostics().metrics.two_tower_divergences).toBe(1);
  });
});

describe('TwoTowerSource in the closed loop', () => {
  it('retrains daily on its own log and serves through an HNSW index while items and users keep arriving', async () => {
    // The small test world: uploads and sign-ups every day, so histories and requests meet ids born after a retrain.
    const scenario = smallScenario(['horizon.days=3', 'logs.impressions=false']);
    const { source, model } = configs(parseScenario(PLANTED, 'planted.yaml'), { epochs: 1 });
    let twoTower: TwoTowerSource | undefined;
    const sim = new Simulation(
      buildPartsWith(scenario, (ctx) => {
        twoTower = new TwoTowerSource({ ...source, k: 50, ann: { ...source.ann, kind: 'hnsw' } }, model, ctx.catalog, ctx.users, ctx.streams.stream('two-tower'));
        const pipeline = new Pipeline('two-tower', { sources: [twoTower], policy: new GreedyPolicy() }, ctx.slateSize, ctx.streams.keyed('policy'));
        const random = new RandomRecommender(ctx.catalog, ctx.slateSize, ctx.streams.keyed('random'), 'random-startup');
        return new RandomStartup(pipeline, random, 1);
      }),
    );
    const sources: string[][] = [];
    const indexed: number[] = [];
    await sim.run(({ impressions }) => {
      sources.push([...new Set(Array.from({ length: impressions.length }, (_, i) => impressions.sourceOf(i)))]);
      indexed.push(twoTower?.diagnostics().metrics.two_tower_indexed_items ?? -1);
    });
    expect(sources).toEqual([['random-startup'], ['two_tower'], ['two_tower']]);
    // Each retrain indexes the catalog as it stands then; uploads keep it growing.
    expect(indexed[0]).toBeGreaterThan(400);
    expect(indexed[2]).toBeGreaterThan(indexed[1]);
    expect(indexed[1]).toBeGreaterThan(indexed[0]);
    expect(twoTower?.diagnostics().metrics.two_tower_exact_search).toBe(0);
    // The index's own recall, probed with the newest epoch's queries: measured, and a share.
    const { two_tower_ann_recall: annRecall, two_tower_ann_probes: probes } = twoTower?.diagnostics().metrics ?? {};
    expect(probes).toBeGreaterThan(50);
    expect(annRecall).toBeGreaterThan(0.5);
    expect(annRecall).toBeLessThanOrEqual(1);
  });
});

/** Offline ranking metrics against hand-computed values, and the held-out evaluation of a recommender on a log. */
import { describe, expect, it } from 'vitest';
import { evaluateOnHeldOut, meanRankingScores, ndcgAtK, recallAtK, reciprocalRank } from '../src/metrics/offline.js';
import { buildRecommender } from '../src/recommender/baselines.js';
import type { Recommender, RecRequest } from '../src/recommender/types.js';
import { RandomStreams } from '../src/rng/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicUser } from '../src/world/public.js';
import { smallScenario } from './support/scenarios.js';

const ranked = [5, 3, 9, 1, 7];
const relevant = new Set([3, 7, 8]);

describe('ranking metrics, by hand', () => {
  it('NDCG@k: hits at ranks 2 and 5 over the ideal of three hits on top', () => {
    // DCG = 1/log2(3) + 1/log2(6) = 0.630930 + 0.386853; IDCG = 1 + 1/log2(3) + 1/log2(4) = 2.130930
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(1.017783 / 2.13093, 5);
    expect(ndcgAtK(ranked, relevant, 3)).toBeCloseTo(0.63093 / 2.13093, 5); // only the rank-2 hit counts
    expect(ndcgAtK([3, 7, 8], relevant, 3)).toBe(1);
    expect(ndcgAtK([1, 2], relevant, 2)).toBe(0);
    expect(ndcgAtK(ranked, new Set(), 5)).toBe(0);
  });

  it('MRR: one over the rank of the first relevant item, within k', () => {
    expect(reciprocalRank(ranked, relevant)).toBe(0.5);
    expect(reciprocalRank(ranked, relevant, 1)).toBe(0);
    expect(reciprocalRank([7], relevant)).toBe(1);
  });

  it('recall@k: share of the relevant items found in the first k', () => {
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, relevant, 3)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, relevant, 1)).toBe(0);
  });

  it('means over users, skipping users without relevant items', () => {
    const scores = meanRankingScores(
      [
        { ranked, relevant },
        { ranked: [8, 1], relevant: new Set([8]) },
        { ranked: [1], relevant: new Set<number>() },
      ],
      5,
    );
    expect(scores.users).toBe(2);
    expect(scores.mrr).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(scores.recall).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(scores.ndcg).toBeCloseTo((1.017783 / 2.13093 + 1) / 2, 5);
  });
});

function row(epoch: number, time: number, userId: number, itemId: number, clicked: boolean): ImpressionRow {
  return {
    time, epoch, slateId: Math.round(time * 1e6), userId, itemId, position: 0, arm: 'a', source: 's', propensity: 1,
    clicked, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
  };
}

describe('evaluateOnHeldOut', () => {
  it('trains on all but the last day and scores one slate per user against that day', async () => {
    const log = new TrainingLog(7);
    const days = [
      [row(0, 0.1, 1, 10, true), row(0, 0.11, 1, 11, false), row(0, 0.5, 1, 12, false), row(0, 0.2, 2, 11, true)],
      [row(1, 1.1, 2, 12, true)],
      [row(2, 2.1, 1, 20, true), row(2, 2.2, 1, 21, true), row(2, 2.3, 2, 30, false), row(2, 2.4, 3, 22, true)],
    ];
    days.forEach((rows, epoch) => {
      const impressions = new ImpressionBuffer();
      rows.forEach((r) => impressions.append(r));
      log.add({ epoch, start: epoch, end: epoch + 1, impressions });
    });
    const users = new PublicRegistry<PublicUser>();
    for (let id = 0; id < 4; id++) users.add({ id, country: 0, device: 'mobile', typicalHour: 20, signupTime: 0 });
    let trainedOn: number[] = [];
    const asked: RecRequest[] = [];
    const stub: Recommender = {
      name: 'stub',
      retrain: (l, now) => {
        trainedOn = [...l.chunks.map((c) => c.epoch), now];
      },
      serve: (requests) => {
        asked.push(...requests);
        return requests.map((r) => ({ slateId: r.slateId, entries: [21, 5, 20].map((itemId) => ({ itemId, source: 'stub', propensity: 1 })) }));
      },
    };
    const scores = await evaluateOnHeldOut(stub, log, { users, k: 2 });
    expect(trainedOn).toEqual([0, 1, 2]);
    expect(asked.map((r) => r.userId)).toEqual([1, 3]); // user 2 clicked nothing on the last day
    expect(asked.map((r) => r.pastSessions)).toEqual([2, 0]); // user 1: slates at 0.1 and 0.11 are one session, 0.5 another
    expect(asked.every((r) => r.time === 2 && r.requestInSession === 0)).toBe(true);
    expect(scores).toMatchObject({ split: 2, until: 3, users: 2, k: 2 });
    // user 1: relevant {20, 21}, top-2 [21, 5] → recall 1/2, RR 1, NDCG 1/(1 + 1/log2 3); user 3: relevant {22} → 0.
    expect(scores.recall).toBeCloseTo(0.25, 12);
    expect(scores.mrr).toBeCloseTo(0.5, 12);
    expect(scores.ndcg).toBeCloseTo(0.5 / (1 + 1 / Math.log2(3)), 12);
  });

  /** A log of the given epochs ([start, end, rows]) and a stub that records what it was asked. */
  function heldOutSetup(epochs: [number, number, ImpressionRow[]][]) {
    const log = new TrainingLog(7);
    epochs.forEach(([start, end, rows], epoch) => {
      const impressions = new ImpressionBuffer();
      rows.forEach((r) => impressions.append({ ...r, epoch }));
      log.add({ epoch, start, end, impressions });
    });
    const users = new PublicRegistry<PublicUser>();
    for (let id = 0; id < 4; id++) users.add({ id, country: 0, device: 'mobile', typicalHour: 20, signupTime: 0 });
    const asked: RecRequest[] = [];
    const stub: Recommender = {
      name: 'stub',
      retrain: () => undefined,
      serve: (requests) => {
        asked.push(...requests);
        return requests.map((r) => ({ slateId: r.slateId, entries: [] }));
      },
    };
    return { log, users, asked, stub };
  }

  it('asks in user order at the split’s hour, with past sessions split by gaps over 30 minutes', async () => {
    const gap = 30 / 1440;
    const { log, users, asked, stub } = heldOutSetup([
      // User 1: 0, 0.01, 0.02, 0.03 is one session, 1.3 another; user 2: exactly 30 minutes apart is one session.
      [0, 1, [row(0, 0, 1, 1, false), row(0, 0.01, 1, 1, false), row(0, 0.02, 1, 1, false), row(0, 0.03, 1, 1, false), row(0, 0, 2, 1, false), row(0, gap, 2, 1, false)]],
      [1, 1.5, [row(1, 1.3, 1, 1, false)]],
      [1.5, 2, [row(2, 1.6, 3, 5, true), row(2, 1.7, 1, 5, true), row(2, 1.8, 2, 5, true)]],
    ]);
    const scores = await evaluateOnHeldOut(stub, log, { users, k: 1, heldOutDays: 0.5 });
    expect(scores).toMatchObject({ split: 1.5, until: 2, users: 3 });
    expect(asked.map((r) => [r.userId, r.slateId, r.pastSessions, r.hourOfDay])).toEqual([
      [1, 0, 2, 12],
      [2, 1, 1, 12],
      [3, 2, 0, 12],
    ]);
  });

  it('refuses a window of one epoch, a split inside an epoch, and a split that leaves nothing to train on', async () => {
    const day = (epoch: number): [number, number, ImpressionRow[]] => [epoch, epoch + 1, [row(epoch, epoch + 0.5, 1, 1, true)]];
    const one = heldOutSetup([day(0)]);
    await expect(evaluateOnHeldOut(one.stub, one.log, { users: one.users, k: 1 })).rejects.toThrow('evaluateOnHeldOut needs at least two epochs in the log window');
    const three = heldOutSetup([day(0), day(1), day(2)]);
    await expect(evaluateOnHeldOut(three.stub, three.log, { users: three.users, k: 1, heldOutDays: 0.5 })).rejects.toThrow('held-out split at day 2.5 falls inside epoch 2');
    await expect(evaluateOnHeldOut(three.stub, three.log, { users: three.users, k: 1, heldOutDays: 3 })).rejects.toThrow('no epoch left to train on before the held-out days');
    const two = heldOutSetup([day(0), day(1)]);
    expect(await evaluateOnHeldOut(two.stub, two.log, { users: two.users, k: 1 })).toMatchObject({ split: 1, until: 2, users: 1 });
  });

  it('scores a real recommender on a simulated log: popularity beats random slates', async () => {
    const world = ['horizon.days=4', 'world.users.count=800', 'world.items.count=200', 'world.items.uploads_per_day=0', 'recommender.random_startup=0'];
    const scenario = smallScenario(['recommender.kind=random', ...world]);
    const sim = new Simulation(buildParts(scenario));
    const log = new TrainingLog(scenario.recommender.retrain.window);
    await sim.run((result) => log.add({ epoch: result.bounds.epoch, start: result.bounds.start, end: result.bounds.end, impressions: result.impressions }));
    const build = (kind: string, extra: string[] = []): Recommender =>
      buildRecommender(
        smallScenario([`recommender.kind=${kind}`, ...extra, ...world]).recommender,
        { catalog: sim.world.items.public, users: sim.world.users.public, slateSize: 5, streams: new RandomStreams(1) },
        () => sim.world,
      );
    const popularity = await evaluateOnHeldOut(build('popularity', ['recommender.exclude_seen=false']), log, { users: sim.world.users.public, k: 5 });
    const random = await evaluateOnHeldOut(build('random'), log, { users: sim.world.users.public, k: 5 });
    expect(popularity.users).toBeGreaterThan(100);
    expect(popularity.users).toBe(random.users);
    expect(popularity.recall).toBeGreaterThan(1.5 * random.recall);
    expect(popularity.ndcg).toBeGreaterThan(random.ndcg);
  });
});

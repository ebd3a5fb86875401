/**
 * Models trained by one thread and adopted by the others (recommender/trained-states.ts): the
 * channel's matching and failure, and a ranker that adopts another's trained state serving
 * exactly as the one that trained. Both sides run in this thread: a BroadcastChannel delivers to
 * every other channel of its name, in this thread too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MultiTaskRanker } from '../src/recommender/ranking/multi-task-ranker.js';
import { shareTrainedStates, TrainedStates, trainedStates, trainingShard } from '../src/recommender/trained-states.js';
import { Rng } from '../src/rng/index.js';
import { replayAndRetrain, simulateRankerWorld, TINY_FORMULA, TINY_RANKER } from './support/ranker-world.js';
import { servingBatch } from './support/serving-batch.js';

let channels = 0;
const pair = (shards = 2): [TrainedStates, TrainedStates] => {
  const name = `trained-states-test-${channels++}`;
  return [new TrainedStates(name, 0, shards), new TrainedStates(name, 1, shards)];
};

afterEach(() => shareTrainedStates(null));

describe('TrainedStates', () => {
  it('gives every model but the ranker to shard 1, the ranker to shard 2 (the main thread on two), and everything to a thread alone', () => {
    expect(trainingShard('ranker', 2)).toBe(0);
    expect(trainingShard('ranker', 3)).toBe(2);
    expect(trainingShard('ranker', 1)).toBe(0);
    expect(trainingShard('sources/0/two_tower', 3)).toBe(1);
    expect(trainingShard('sources/0/two_tower', 2)).toBe(1);
    expect(trainingShard('sources/0/two_tower', 1)).toBe(0);
    const [main, other] = pair();
    expect([main.trains('ranker'), other.trains('ranker')]).toEqual([true, false]);
    expect([main.trains('sources/0/two_tower'), other.trains('sources/0/two_tower')]).toEqual([false, true]);
    main.close();
    other.close();
  });

  it('hands each retrain’s state to the same retrain on the other side, published before or after it is asked for', async () => {
    const [main, other] = pair();
    const early = other.receive('two_tower'); // asked before it is published
    main.publish('two_tower', { day: 1, weights: Float32Array.of(1, 2) });
    main.publish('two_tower', { day: 2 });
    main.publish('ranker-like', null);
    expect(await early).toEqual({ day: 1, weights: Float32Array.of(1, 2) });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the rest arrive before they are asked for
    expect(await other.receive('two_tower')).toEqual({ day: 2 });
    expect(await other.receive('ranker-like')).toBeNull();
    main.close();
    other.close();
  });

  it('ends every wait, now and later, when the thread that would publish dies', async () => {
    const [main, other] = pair();
    const waiting = main.receive('ranker');
    main.fail(new Error('shard thread stopped (exit code 1)'));
    await expect(waiting).rejects.toThrow('exit code 1');
    await expect(main.receive('ranker')).rejects.toThrow('exit code 1');
    main.close();
    other.close();
  });
});

describe('a ranker that adopts another thread’s training', () => {
  it('serves the same scores, calibration and figures as the ranker that trained, without training itself', async () => {
    const world = await simulateRankerWorld();
    const [main, other] = pair();
    // The trainer (shard 0 of two) and the adopter (shard 1) draw from different streams: an adopter that trained on its own would score otherwise.
    const trainer = new MultiTaskRanker({ ...TINY_RANKER, calibration: 'isotonic' }, TINY_FORMULA, world.catalog, world.users, new Rng('trainer'));
    const adopter = new MultiTaskRanker({ ...TINY_RANKER, calibration: 'isotonic' }, TINY_FORMULA, world.catalog, world.users, new Rng('adopter'));
    shareTrainedStates(main);
    await replayAndRetrain(trainer, world);
    shareTrainedStates(other);
    expect(trainedStates()).toBe(other);
    await replayAndRetrain(adopter, world);
    const batch = servingBatch({ seed: 'adopt', users: world.users, catalog: world.catalog, requests: 40, candidatesPerRequest: 12, time: world.now, pastSessions: 3 });
    expect(adopter.score(batch.requests, batch.candidates)).toEqual(trainer.score(batch.requests, batch.candidates));
    expect(adopter.predictHeads(batch.requests, batch.candidates)).toEqual(trainer.predictHeads(batch.requests, batch.candidates));
    expect(adopter.predictHeads(batch.requests, batch.candidates, false)).toEqual(trainer.predictHeads(batch.requests, batch.candidates, false));
    // Item statistics as of the retrain: a new day reads them decayed, the same on both.
    const later = servingBatch({ seed: 'adopt', users: world.users, catalog: world.catalog, requests: 10, candidatesPerRequest: 12, time: world.now + 0.5, pastSessions: 3 });
    expect(adopter.score(later.requests, later.candidates)).toEqual(trainer.score(later.requests, later.candidates));
    expect(adopter.diagnostics().metrics).toEqual(trainer.diagnostics().metrics);
    expect(adopter.diagnostics().files).toEqual(trainer.diagnostics().files);
    expect(adopter.lastTraining).toEqual(trainer.lastTraining);
    expect(adopter.calibrationTables()?.heads.click.calibrated.ece).toBeGreaterThanOrEqual(0);
  });

  it('refuses a state from another retrain', async () => {
    const world = await simulateRankerWorld();
    const [main, other] = pair();
    const trainer = new MultiTaskRanker(TINY_RANKER, TINY_FORMULA, world.catalog, world.users, new Rng('trainer'));
    const adopter = new MultiTaskRanker(TINY_RANKER, TINY_FORMULA, world.catalog, world.users, new Rng('adopter'));
    shareTrainedStates(main);
    await trainer.retrain(world.log, world.now);
    shareTrainedStates(other);
    await expect(adopter.retrain(world.log, world.now + 1)).rejects.toThrow(/trained on day 1 reached the retrain of day 2: this thread is out of step/);
  });
});

/**
 * The ranker's log replay carried from retrain to retrain: replaying only the new epochs must
 * give every example exactly the features a replay of the whole log from its first epoch gives,
 * however the examples straddle the epochs, and a log that does not follow on starts afresh.
 */
import { describe, expect, it } from 'vitest';
import { FeatureWriter, featureLayout } from '../src/recommender/ranking/features.js';
import { nextDayReturnLabels } from '../src/recommender/ranking/next-day-return.js';
import { TrainingReplay } from '../src/recommender/ranking/training-replay.js';
import { buildTrainingSet, type TrainingSet, type TrainingSetOptions } from '../src/recommender/ranking/training-set.js';
import { Rng } from '../src/rng/index.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog, type LogChunk } from '../src/training/training-log.js';
import { DEVICES, PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';

const TOPICS = 4;
const USERS = 30;
const ITEMS = 40;

function world(): { catalog: PublicRegistry<PublicItem>; users: PublicRegistry<PublicUser> } {
  const rng = new Rng('training-replay/world');
  const catalog = new PublicRegistry<PublicItem>();
  for (let id = 0; id < ITEMS; id++) {
    catalog.add({ id, creatorId: id % 7, topics: id % 5 === 0 ? [id % TOPICS, (id + 1) % TOPICS] : [id % TOPICS], lengthMinutes: 1 + rng.int(30), uploadTime: -1 + id / 20 });
  }
  const users = new PublicRegistry<PublicUser>();
  for (let id = 0; id < USERS; id++) users.add({ id, country: id % 3, device: DEVICES[id % DEVICES.length], typicalHour: rng.int(24), signupTime: -2 });
  return { catalog, users };
}

/**
 * One epoch a day of random slates of 4, with clicks, outcomes and a logged request context (or
 * none, `logged` false), in visits of `perVisit` slates 7 minutes apart.
 */
function epochs(days: number, slatesPerDay: number, logged = true, perVisit = 1): LogChunk[] {
  const rng = new Rng(`training-replay/log/${logged}`);
  let slateId = 0;
  return Array.from({ length: days }, (_, day) => {
    const buffer = new ImpressionBuffer();
    const visits = Array.from({ length: slatesPerDay / perVisit }, () => ({ userId: rng.int(USERS), time: day + rng.uniform() * 0.98 }));
    const requests = visits.flatMap((v) => Array.from({ length: perVisit }, (_, k) => ({ userId: v.userId, time: v.time + k * 0.005 })));
    for (const { userId, time } of requests.sort((a, b) => a.time - b.time)) {
      const clickedAt = rng.bernoulli(0.4) ? rng.int(4) : -1;
      rng.sampleIndices(ITEMS, 4).forEach((itemId, position) => {
        const clicked = position === clickedAt;
        buffer.append({
          time,
          epoch: day,
          slateId,
          userId,
          itemId,
          position,
          arm: 'test',
          source: 'random',
          propensity: 0.1,
          clicked,
          watchMinutes: 0,
          watchFraction: clicked ? rng.uniform() : 0,
          completed: clicked && rng.bernoulli(0.3),
          liked: clicked && rng.bernoulli(0.2),
          survey: clicked && rng.bernoulli(0.3) ? 1 + rng.int(5) : null,
          ...(logged ? { hourOfDay: Math.floor((time - day) * 24), pastSessions: rng.int(5), requestInSession: rng.int(3) } : {}),
        });
      });
      slateId++;
    }
    return { epoch: day, start: day, end: day + 1, impressions: buffer };
  });
}

const OPTIONS: TrainingSetOptions = { heads: ['click', 'watch', 'survey', 'return'], maxExamples: 300, holdout: 0.2, ipsClip: 5, historyLength: 6 };

function setup() {
  const { catalog, users } = world();
  const writer = new FeatureWriter(featureLayout(TOPICS), catalog, users, OPTIONS.historyLength);
  const build = (log: TrainingLog, now: number, options: TrainingSetOptions, replay?: TrainingReplay): TrainingSet =>
    buildTrainingSet(log, now, options, writer, catalog, users, replay);
  const replay = (): TrainingReplay => new TrainingReplay(OPTIONS.historyLength, TOPICS, catalog);
  return { build, replay };
}

/** A log of the given window holding the given epochs. */
function logOf(chunks: readonly LogChunk[], windowDays: number): TrainingLog {
  const log = new TrainingLog(windowDays);
  for (const chunk of chunks) log.add(chunk);
  return log;
}

function expectSameSet(actual: TrainingSet, expected: TrainingSet): void {
  expect(actual.n).toBe(expected.n);
  expect(Buffer.from(actual.x.buffer).equals(Buffer.from(expected.x.buffer))).toBe(true);
  expect(Array.from(actual.labels)).toEqual(Array.from(expected.labels));
  expect(Array.from(actual.trainMask)).toEqual(Array.from(expected.trainMask));
  expect(Array.from(actual.positions)).toEqual(Array.from(expected.positions));
  expect(Array.from(actual.weights)).toEqual(Array.from(expected.weights));
  expect(actual.unobservedSlates).toBe(expected.unobservedSlates);
}

describe('training replay carried from retrain to retrain', () => {
  // 60 slates of 4 a day: 240 rows; 300 examples reach into the epoch before the newest, 100 do not.
  for (const maxExamples of [100, 300, 1_000]) {
    it(`gives the features a replay from the first epoch gives, a retrain a day over a 3-day window (${maxExamples} examples)`, () => {
      const { build, replay } = setup();
      const chunks = epochs(8, 60);
      const options = { ...OPTIONS, maxExamples };
      const carried = replay();
      for (let day = 1; day <= chunks.length; day++) {
        const window = logOf(chunks.slice(0, day), 3);
        const set = build(window, day, options, carried);
        // Features from every epoch so far: the log of the whole run, its last rows.
        const whole = build(logOf(chunks.slice(0, day), 100), day, { ...options, maxExamples: set.n });
        expect(Buffer.from(set.x.buffer).equals(Buffer.from(whole.x.buffer))).toBe(true);
        // Labels, weights and holdout from the window alone, as a fresh replay of the window gives them.
        const fresh = build(window, day, options);
        expect(Array.from(set.labels)).toEqual(Array.from(fresh.labels));
        expect(Array.from(set.trainMask)).toEqual(Array.from(fresh.trainMask));
        if (day > 3) expect(Buffer.from(set.x.buffer).equals(Buffer.from(fresh.x.buffer))).toBe(false); // the window alone knows less
      }
    });
  }

  it('gives the same set when asked again of the same log, and its examples are the caller’s to change', () => {
    const { build, replay } = setup();
    const chunks = epochs(5, 60);
    const carried = replay();
    for (let day = 1; day <= 4; day++) build(logOf(chunks.slice(0, day), 3), day, OPTIONS, carried);
    // The window has dropped epochs 0 and 1, which the carried features still know.
    const first = build(logOf(chunks, 3), 5, OPTIONS, carried);
    const kept = Float32Array.from(first.x);
    first.x.fill(7);
    const again = build(logOf(chunks, 3), 5, OPTIONS, carried);
    expect(Buffer.from(again.x.buffer).equals(Buffer.from(kept.buffer))).toBe(true);
    expectSameSet(again, { ...first, x: kept });
  });

  it('starts afresh on a log that does not follow on from the epochs replayed', () => {
    const { build, replay } = setup();
    const chunks = epochs(6, 60);
    const carried = replay();
    build(logOf(chunks.slice(0, 2), 3), 2, OPTIONS, carried);
    // Epochs 2 and 3 never reached the replay: the window holds 4 and 5 only.
    const gapped = logOf(chunks.slice(4, 6), 2);
    expectSameSet(build(gapped, 6, OPTIONS, carried), build(gapped, 6, OPTIONS));
    // Another log of the same epochs, shorter: its last epoch is not the one replayed.
    const other = logOf([...chunks.slice(4, 5), { ...chunks[5], impressions: epochs(6, 59)[5].impressions }], 2);
    expectSameSet(build(other, 6, OPTIONS, carried), build(other, 6, OPTIONS));
  });

  it('follows on when the window holds only epochs it has not replayed', () => {
    const { build, replay } = setup();
    const chunks = epochs(4, 60);
    const carried = replay();
    for (let day = 1; day <= chunks.length; day++) {
      const set = build(logOf(chunks.slice(0, day), 1), day, OPTIONS, carried);
      const whole = build(logOf(chunks.slice(0, day), 100), day, { ...OPTIONS, maxExamples: set.n });
      expect(Buffer.from(set.x.buffer).equals(Buffer.from(whole.x.buffer))).toBe(true);
    }
  });

  it('replays afresh when asked for more earlier rows than it kept, or of an empty log', () => {
    const { build, replay } = setup();
    const chunks = epochs(3, 60);
    const carried = replay();
    build(logOf(chunks.slice(0, 2), 100), 2, { ...OPTIONS, maxExamples: 50 }, carried);
    // 300 examples reach 60 rows into the epochs replayed before; only 50 were kept.
    const log = logOf(chunks, 100);
    expectSameSet(build(log, 3, OPTIONS, carried), build(log, 3, OPTIONS));
    expect(build(new TrainingLog(3), 4, OPTIONS, carried).n).toBe(0);
    expectSameSet(build(log, 3, OPTIONS, carried), build(log, 3, OPTIONS));
  });

  it('serves item statistics that later retrains leave alone', () => {
    const { build, replay } = setup();
    const chunks = epochs(3, 60);
    const carried = replay();
    const set = build(logOf(chunks.slice(0, 2), 3), 2, OPTIONS, carried);
    const before = new Float32Array(7);
    set.stats.write(3, 2, before, 0);
    build(logOf(chunks, 3), 3, OPTIONS, carried);
    const after = new Float32Array(7);
    set.stats.write(3, 2, after, 0);
    expect(Array.from(after)).toEqual(Array.from(before));
  });
});

describe('next-day return labels from a window row on', () => {
  for (const logged of [true, false]) {
    it(`equal the whole window's labels from that row (request context ${logged ? 'logged' : 'worked out from request gaps'})`, () => {
      const log = logOf(epochs(5, 120, logged, 3), 5);
      const whole = nextDayReturnLabels(log, 5);
      expect(whole.filter((y) => y === 1).length).toBeGreaterThan(50);
      expect(whole.filter((y) => y === 0).length).toBeGreaterThan(50);
      for (const from of [0, 1, 479, 480, 1_111, log.rows - 1, log.rows]) {
        expect(Array.from(nextDayReturnLabels(log, 5, from))).toEqual(Array.from(whole.subarray(from)));
      }
    });
  }
});

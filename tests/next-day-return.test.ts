/**
 * The return head learns next-day return: whether the user starts a new session on the calendar
 * day after the impression's. On a hand-written log: a session that merely goes on past midnight
 * is not a return, another session later the same day is not, a comeback two days later is not,
 * a new session the next day is (even more than 24 hours later), and an impression whose next day
 * is not over at the retrain has no label at all rather than a 0.
 */
import { describe, expect, it } from 'vitest';
import { FeatureWriter, featureLayout } from '../src/recommender/ranking/features.js';
import { buildTrainingSet, type TrainingSetOptions } from '../src/recommender/ranking/training-set.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';

/** One request: who, when, and whether it opened a session (as the serving system logged it). */
interface Request {
  readonly userId: number;
  readonly time: number;
  readonly newSession: boolean;
}

/** Retrain time: days 0 to 3 are over, day 4 is not. */
const NOW = 4.5;

/** In time order; the comment says what the first request's label must be. */
const REQUESTS: readonly Request[] = [
  { userId: 0, time: 0.9, newSession: true }, // 0: the session goes on past midnight, no new one on day 1
  { userId: 1, time: 0.3, newSession: true }, // 1: a new session on day 1, 1.4 days later
  { userId: 2, time: 0.5, newSession: true }, // 0: another session later on day 0, then back only on day 2
  { userId: 2, time: 0.8, newSession: true },
  { userId: 0, time: 1.05, newSession: false },
  { userId: 1, time: 1.7, newSession: true },
  { userId: 2, time: 2.2, newSession: true }, // 1: a new session on day 3
  { userId: 1, time: 3.2, newSession: true }, // unknown: day 4 is not over, though user 1 is back on it
  { userId: 2, time: 3.9, newSession: true },
  { userId: 1, time: 4.1, newSession: true },
];

const OPTIONS: TrainingSetOptions = { heads: ['return'], maxExamples: 1_000, holdout: 0, ipsClip: null, historyLength: 10 };

function world(): { catalog: PublicRegistry<PublicItem>; users: PublicRegistry<PublicUser> } {
  const catalog = new PublicRegistry<PublicItem>();
  catalog.add({ id: 0, creatorId: 0, topics: [0], lengthMinutes: 5, uploadTime: -1 });
  const users = new PublicRegistry<PublicUser>();
  for (let id = 0; id < 3; id++) users.add({ id, country: 0, device: 'mobile', typicalHour: 12, signupTime: -1 });
  return { catalog, users };
}

/**
 * The return label of each request's (one-item) slate, null where it trains nothing. With `cut`, the
 * requests before it form one epoch of the log and the rest another.
 */
function returnLabels(requests: readonly Request[], logged: boolean, cut = requests.length): (number | null)[] {
  const buffers = [new ImpressionBuffer(), new ImpressionBuffer()];
  const contexts = logged ? requestContexts(requests) : [];
  requests.forEach(({ userId, time }, slateId) => {
    buffers[slateId < cut ? 0 : 1].append({
      time,
      epoch: 0,
      slateId,
      userId,
      itemId: 0,
      position: 0,
      arm: 'test',
      source: 'random',
      propensity: 1,
      clicked: false,
      watchMinutes: 0,
      watchFraction: 0,
      completed: false,
      liked: false,
      survey: null,
      ...contexts[slateId],
    });
  });
  const log = new TrainingLog(14);
  if (cut < requests.length) {
    const middle = requests[cut].time;
    log.add({ epoch: 0, start: 0, end: middle, impressions: buffers[0] });
    log.add({ epoch: 1, start: middle, end: NOW, impressions: buffers[1] });
  } else log.add({ epoch: 0, start: 0, end: NOW, impressions: buffers[0] });
  const { catalog, users } = world();
  const writer = new FeatureWriter(featureLayout(1), catalog, users, OPTIONS.historyLength);
  const set = buildTrainingSet(log, NOW, OPTIONS, writer, catalog, users);
  return Array.from(set.labels, (y, e) => (set.trainMask[e] === 1 ? y : null));
}

/** The request context the serving system logs with each request's rows. */
function requestContexts(requests: readonly Request[]): { hourOfDay: number; pastSessions: number; requestInSession: number }[] {
  const inSession = new Map<number, number>();
  return requests.map(({ userId, newSession }) => {
    const requestInSession = newSession ? 0 : (inSession.get(userId) ?? 0) + 1;
    inSession.set(userId, requestInSession);
    return { hourOfDay: 0, pastSessions: 0, requestInSession };
  });
}

describe('next-day return label', () => {
  it('is 1 only for a new session on the next calendar day, and unknown until that day is over', () => {
    expect(returnLabels(REQUESTS, true)).toEqual([0, 1, 0, 0, 0, 0, 1, null, null, null]);
  });

  it('labels a log of two epochs row by row, as one', () => {
    expect(returnLabels(REQUESTS, true, 4)).toEqual([0, 1, 0, 0, 0, 0, 1, null, null, null]);
  });

  it('gives 0 to a user whose logged requests never opened a session', () => {
    const requests: Request[] = [
      { userId: 0, time: 0.5, newSession: false },
      { userId: 0, time: 1.5, newSession: false },
    ];
    expect(returnLabels(requests, true)).toEqual([0, 0]);
  });

  it('takes a logged session start as it is, even 10 minutes after the previous request', () => {
    // User 0 opens a new session 10 minutes into day 1: a return, though 30 minutes of inactivity would not say so.
    const requests: Request[] = [
      { userId: 0, time: 0.995, newSession: true },
      { userId: 0, time: 1 + 5 / 1440, newSession: true },
    ];
    expect(returnLabels(requests, true)).toEqual([1, 0]);
    expect(returnLabels(requests, false)).toEqual([0, 0]);
  });

  it('finds session starts by 30 minutes of inactivity in slates logged without their request context', () => {
    // User 0 comes back 10 minutes after midnight: one session by the 30-minute rule, no return.
    const requests: Request[] = [
      { userId: 0, time: 0.99, newSession: true },
      { userId: 1, time: 0.5, newSession: true },
      { userId: 0, time: 1 + 10 / 1440, newSession: false },
      { userId: 1, time: 1 + 40 / 1440, newSession: true },
      { userId: 1, time: 1 + 60 / 1440, newSession: false },
    ];
    expect(returnLabels(requests, false)).toEqual([0, 1, 0, 0, 0]);
  });
});

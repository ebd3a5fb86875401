/**
 * How the log window becomes ranker examples, on a hand-written log: labels and their masks,
 * the holdout per head, and features that never see the outcome of their own slate.
 */
import { describe, expect, it } from 'vitest';
import { FeatureWriter, featureLayout, featureNames, UserSummary } from '../src/recommender/ranking/features.js';
import { FrozenItemStats, ItemStats } from '../src/recommender/ranking/item-stats.js';
import { headLabel } from '../src/recommender/ranking/labels.js';
import { buildTrainingSet, type TrainingSetOptions } from '../src/recommender/ranking/training-set.js';
import { UserEngagement } from '../src/recommender/ranking/user-engagement.js';
import { ImpressionBuffer, type ImpressionRow } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { UserHistory } from '../src/training/user-history.js';
import { PublicRegistry, type PublicItem, type PublicUser } from '../src/world/public.js';

const TOPICS = 3;

function world(): { catalog: PublicRegistry<PublicItem>; users: PublicRegistry<PublicUser> } {
  const catalog = new PublicRegistry<PublicItem>();
  catalog.add({ id: 0, creatorId: 0, topics: [0], lengthMinutes: 5, uploadTime: -1 });
  catalog.add({ id: 1, creatorId: 1, topics: [1, 2], lengthMinutes: 30, uploadTime: -1 });
  catalog.add({ id: 2, creatorId: 0, topics: [2], lengthMinutes: 1, uploadTime: 0.5 });
  const users = new PublicRegistry<PublicUser>();
  users.add({ id: 0, country: 0, device: 'tv', typicalHour: 20, signupTime: -3 });
  users.add({ id: 1, country: 1, device: 'mobile', typicalHour: 8, signupTime: 0 });
  return { catalog, users };
}

type Outcome = Partial<Pick<ImpressionRow, 'clicked' | 'watchFraction' | 'completed' | 'liked' | 'survey' | 'propensity' | 'hourOfDay' | 'pastSessions' | 'requestInSession'>>;

/** One slate: the items shown, in position order, and the outcome per position. */
function slate(buffer: ImpressionBuffer, slateId: number, userId: number, time: number, items: number[], outcomes: Outcome[] = []): void {
  items.forEach((itemId, position) => {
    const o = outcomes[position] ?? {};
    buffer.append({
      time,
      epoch: 0,
      slateId,
      userId,
      itemId,
      position,
      arm: 'test',
      source: 'random',
      propensity: o.propensity ?? 0.25,
      clicked: o.clicked ?? false,
      watchMinutes: 0,
      watchFraction: o.watchFraction ?? 0,
      completed: o.completed ?? false,
      liked: o.liked ?? false,
      survey: o.survey ?? null,
      ...(o.hourOfDay === undefined ? {} : { hourOfDay: o.hourOfDay }),
      ...(o.pastSessions === undefined ? {} : { pastSessions: o.pastSessions }),
      ...(o.requestInSession === undefined ? {} : { requestInSession: o.requestInSession }),
    });
  });
}

/** Two users over two days; user 0 clicks item 0 at t = 0.1, then comes back at 0.5. */
function twoDayLog(context: Outcome = {}): TrainingLog {
  const buffer = new ImpressionBuffer();
  slate(buffer, 0, 0, 0.1, [0, 1], [{ ...context, clicked: true, watchFraction: 0.8, liked: true, survey: 5 }, context]);
  slate(buffer, 1, 0, 0.5, [0, 2], [{}, { clicked: true, watchFraction: 0.3, survey: 2 }]);
  slate(buffer, 2, 1, 1.5, [1, 0]);
  slate(buffer, 3, 0, 1.8, [2, 1], [{}, { clicked: true, watchFraction: 1, completed: true }]);
  const log = new TrainingLog(14);
  log.add({ epoch: 0, start: 0, end: 2, impressions: buffer });
  return log;
}

const OPTIONS: TrainingSetOptions = {
  heads: ['click', 'watch', 'complete', 'like', 'survey', 'return'],
  maxExamples: 1_000,
  holdout: 0.25,
  ipsClip: 3,
  historyLength: 10,
};

/** `context`: the request context logged with slate 0's rows (none by default). */
function build(options: TrainingSetOptions = OPTIONS, context: Outcome = {}) {
  const { catalog, users } = world();
  const layout = featureLayout(TOPICS);
  const writer = new FeatureWriter(layout, catalog, users, options.historyLength);
  const set = buildTrainingSet(twoDayLog(context), 2, options, writer, catalog, users);
  const names = featureNames(layout);
  const feature = (row: number, name: string): number => set.x[row * layout.dim + names.indexOf(name)];
  return { set, feature, names };
}

describe('ranker training set', () => {
  it('labels every head, watch as the watch fraction, survey as 4 or 5, masked where unknown', () => {
    const { set } = build();
    const H = OPTIONS.heads.length;
    const label = (row: number, head: string): number | null => {
      const h = OPTIONS.heads.indexOf(head as (typeof OPTIONS.heads)[number]);
      const known = set.trainMask[row * H + h] === 1 || set.holdout[h].includes(row);
      return known ? set.labels[row * H + h] : null;
    };
    expect(set.n).toBe(8);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((r) => label(r, 'click'))).toEqual([1, 0, 0, 1, 0, 0, 0, 1]);
    expect(label(0, 'watch')).toBeCloseTo(0.8, 6);
    expect(label(3, 'watch')).toBeCloseTo(0.3, 6);
    expect(label(1, 'watch')).toBe(0);
    expect(label(7, 'complete')).toBe(1);
    expect(label(0, 'like')).toBe(1);
    // Survey: known only where answered; 5 is positive, 2 is not.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((r) => label(r, 'survey'))).toEqual([1, null, null, 0, null, null, null, null]);
    // Return (next-day): user 0's slates on day 0 are followed by a new session on day 1 (t = 1.8,
    // over 30 minutes after their last request: no slate context here, so the inactivity rule);
    // day 2, the day after t = 1.5 and 1.8, is not over at now = 2.
    expect([0, 2, 4, 6].map((r) => label(r, 'return'))).toEqual([1, 1, null, null]);
    expect(Array.from(set.weights)).toEqual(new Array(8).fill(3)); // min(3, 1 / 0.25)
    expect(Array.from(set.positions)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('weighs each example by min(clip, 1/propensity), its own propensity, or 1 without IPS', () => {
    const { catalog, users } = world();
    const buffer = new ImpressionBuffer();
    slate(buffer, 0, 0, 0.1, [0, 1, 2, 0], [{ propensity: 0.5 }, { propensity: 0.1 }, { propensity: 0.01 }, { propensity: 1 }]);
    const log = new TrainingLog(14);
    log.add({ epoch: 0, start: 0, end: 1, impressions: buffer });
    const weights = (ipsClip: number | null): number[] => {
      const options = { ...OPTIONS, ipsClip };
      const writer = new FeatureWriter(featureLayout(TOPICS), catalog, users, options.historyLength);
      return Array.from(buildTrainingSet(log, 1, options, writer, catalog, users).weights);
    };
    expect(weights(20)).toEqual([2, 10, 20, 1].map(Math.fround));
    expect(weights(null)).toEqual([1, 1, 1, 1]);
  });

  it('holds out the most recent share of each head’s labelled rows, out of that head’s loss', () => {
    const { set } = build();
    const H = OPTIONS.heads.length;
    const click = OPTIONS.heads.indexOf('click');
    const ret = OPTIONS.heads.indexOf('return');
    expect(Array.from(set.holdout[click])).toEqual([6, 7]); // 25% of 8 rows
    expect(Array.from(set.holdout[ret])).toEqual([3]); // 25% of the 4 rows with a known return
    for (const row of set.holdout[click]) expect(set.trainMask[row * H + click]).toBe(0);
    expect(set.trainMask[6 * H + ret]).toBe(0); // unknown, not held out
    expect(set.trainMask[2 * H + ret]).toBe(1);
    expect(set.trainMask[3 * H + ret]).toBe(0);
  });

  it('builds each slate’s features from what happened before it, never from its own outcome', () => {
    const { feature } = build();
    // Slate 0: nothing is known yet, though item 0 is clicked in it.
    expect(feature(0, 'item_log_clicks')).toBe(0);
    expect(feature(0, 'item_log_impressions')).toBe(0);
    expect(feature(0, 'log_history_clicks')).toBe(0);
    expect(feature(0, 'user_topic_0')).toBe(0);
    // Slate 1 (same user, later): the click on item 0 is history now.
    expect(feature(2, 'item_log_clicks')).toBeGreaterThan(0);
    expect(feature(2, 'clicked_before')).toBe(1);
    expect(feature(2, 'user_topic_0')).toBe(1);
    expect(feature(2, 'match_topic_0')).toBe(1);
    expect(feature(2, 'creator_share')).toBe(1);
    expect(feature(3, 'creator_share')).toBe(1); // item 2 has the same creator as item 0
    expect(feature(3, 'clicked_before')).toBe(0);
    expect(feature(3, 'item_topic_2')).toBe(1);
    // Item 1 was shown twice and never clicked before slate 2: its CTR sits below item 0's.
    expect(feature(4, 'item_ctr')).toBeLessThan(feature(5, 'item_ctr'));
    expect(feature(4, 'device_mobile')).toBe(1);
    expect(feature(0, 'device_tv')).toBe(1);
    expect(feature(0, 'log_item_length')).toBeCloseTo(Math.log(5), 6);
  });

  it('keeps only the most recent examples, but replays the whole window for their features', () => {
    const { set, feature } = build({ ...OPTIONS, maxExamples: 3 });
    expect(set.n).toBe(3);
    // Row 0 of the set is the second row of slate 2 (item 0, clicked at t = 0.1 by another user).
    expect(feature(0, 'item_log_clicks')).toBeGreaterThan(0);
  });

  it('counts the slates whose request context was not logged, among those that reach the kept rows', () => {
    expect(build().set.unobservedSlates).toBe(4);
    expect(build({ ...OPTIONS, maxExamples: 4 }).set.unobservedSlates).toBe(2); // slates 2 and 3; slate 1 ends at the cut
    expect(build({ ...OPTIONS, maxExamples: 5 }).set.unobservedSlates).toBe(3); // slate 1's second row is kept
  });

  it('takes a logged context of zeros (midnight, a first session, its first request) as logged', () => {
    const { set, feature } = build(OPTIONS, { hourOfDay: 0, pastSessions: 0, requestInSession: 0 });
    expect(set.unobservedSlates).toBe(3);
    expect(feature(0, 'hour_sin')).toBeCloseTo(0, 6); // hour 0, not the hour 2 of t = 0.1
  });

  it('treats a context with any of its three fields missing as not logged', () => {
    const whole = { hourOfDay: 6, pastSessions: 3, requestInSession: 1 };
    for (const missing of ['hourOfDay', 'pastSessions', 'requestInSession'] as const) {
      const { [missing]: _left, ...partial } = whole;
      const { set, feature } = build(OPTIONS, partial);
      expect(set.unobservedSlates, missing).toBe(4);
      expect(feature(0, 'hour_sin'), missing).toBeCloseTo(0.5, 6); // the hour of t = 0.1
      expect(feature(0, 'log_past_sessions'), missing).toBe(0);
    }
  });

  it('reads a slate’s logged request context, works out hour and sessions for one logged without, and the device for both', () => {
    const { set, feature } = build(OPTIONS, { hourOfDay: 6, pastSessions: 3, requestInSession: 1 });
    expect(set.unobservedSlates).toBe(3);
    expect(feature(0, 'hour_sin')).toBeCloseTo(1, 6); // asked at 6 h (a quarter turn), though logged at t = 0.1
    expect(feature(0, 'device_tv')).toBe(1);
    expect(feature(0, 'log_past_sessions')).toBeCloseTo(Math.log(4), 6);
    // Slate 1 (t = 0.5, not logged): hour 12, user 0's device, no past sessions.
    expect(feature(2, 'hour_cos')).toBeCloseTo(-1, 6);
    expect(feature(2, 'device_tv')).toBe(1);
    expect(feature(2, 'log_past_sessions')).toBe(0);
    // Slate 0 logged without its context: t = 0.1 is hour 2, and no sessions before it.
    expect(build().feature(0, 'hour_sin')).toBeCloseTo(0.5, 6);
    expect(build().feature(0, 'log_past_sessions')).toBe(0);
  });

  it('needs no return labels when no head asks for them', () => {
    const { set } = build({ ...OPTIONS, heads: ['click'] });
    expect(Array.from(set.labels)).toEqual([1, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('holds out every labelled row, row 0 included, at a holdout share of 1', () => {
    const { set } = build({ ...OPTIONS, heads: ['click'], holdout: 1 });
    expect(Array.from(set.holdout[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(set.trainMask)).toEqual(new Array(8).fill(0));
  });

  it('replays slates without a click into user engagement as passed over', () => {
    const { set } = build();
    const { catalog } = world();
    const byHand = new UserEngagement(TOPICS, catalog);
    byHand.addSlate(1, 1.5, [1, 0], -1);
    const rates = new Float32Array(TOPICS);
    const expected = new Float32Array(TOPICS);
    expect(set.engagement.topicRates(1, 1.5, 0.1, rates)).toBeCloseTo(1 / 12, 12); // (0 + 10·0.1) / (2 + 10)
    expect(byHand.topicRates(1, 1.5, 0.1, expected)).toBeCloseTo(1 / 12, 12);
    expect(Array.from(rates)).toEqual(Array.from(expected));
  });

  it('labels by head: watch only when clicked, like from its own column, survey positive from 4', () => {
    const buffer = new ImpressionBuffer();
    slate(buffer, 0, 0, 0.1, [0, 1, 2], [{ watchFraction: 0.5, liked: true }, { clicked: true, watchFraction: 0.5, survey: 4 }, { survey: 3 }]);
    const c = buffer.columns;
    expect([0, 1, 2].map((i) => headLabel('watch', c, i, Number.NaN))).toEqual([0, 0.5, 0]);
    expect([0, 1, 2].map((i) => headLabel('like', c, i, Number.NaN))).toEqual([1, 0, 0]);
    expect([0, 1, 2].map((i) => headLabel('survey', c, i, Number.NaN))).toEqual([Number.NaN, 1, 0]);
    expect(headLabel('return', c, 0, 1)).toBe(1);
  });

  it('item statistics decay, and are read as of a time without being changed by it', () => {
    const stats = new ItemStats();
    stats.add(0, 0, 1, 0.5, 0, 0, 0);
    const out = new Float32Array(7);
    stats.write(0, 0, out, 0);
    const fresh = out[1];
    stats.write(0, 4, out, 0);
    expect(out[1]).toBeCloseTo(Math.log1p(Math.expm1(fresh) / 4), 5); // two half-lives
    stats.write(0, 0, out, 0);
    expect(out[1]).toBeCloseTo(fresh, 6);
  });

  it('serving rows (request columns once, copied, then the candidate’s; statistics frozen) equal rows written whole', () => {
    const { catalog, users } = world();
    const layout = featureLayout(TOPICS);
    const writer = new FeatureWriter(layout, catalog, users, 10);
    const log = twoDayLog();
    const set = buildTrainingSet(log, 2, OPTIONS, writer, catalog, users);
    const frozen = new FrozenItemStats(set.stats, 2);
    const history = new UserHistory(10);
    history.record(0, 0, 0.1);
    history.record(0, 2, 0.5);
    history.record(1, 1, 1.5);
    const summary = new UserSummary(TOPICS);
    const whole = new Float32Array(layout.dim);
    const served = new Float32Array(layout.dim);
    const requestRow = new Float32Array(layout.dim);
    let compared = 0;
    for (const [userId, device, hourOfDay] of [[0, 'tv', 20], [1, 'mobile', 3]] as const) {
      const ctx = { userId, time: 2.25, device, hourOfDay, pastSessions: 2, requestInSession: 1 };
      summary.fill(history, set.engagement, userId, ctx.time, 0.2, catalog);
      requestRow.fill(0);
      writer.writeRequest(requestRow, 0, ctx, summary);
      for (const itemId of [0, 1, 2, 1]) {
        writer.write(whole, 0, ctx, summary, itemId, set.stats, 2);
        served.set(requestRow);
        writer.writeCandidate(served, 0, ctx, summary, itemId, frozen, frozen.time);
        expect(Array.from(served), `user ${userId}, item ${itemId}`).toEqual(Array.from(whole));
        compared++;
      }
    }
    expect(compared).toBe(8);
    // Asked for another time, the frozen statistics are the live ones at that time.
    const live = new Float32Array(7);
    const read = new Float32Array(7);
    set.stats.write(1, 5, live, 0);
    frozen.write(1, 5, read, 0);
    expect(Array.from(read)).toEqual(Array.from(live));
  });
});

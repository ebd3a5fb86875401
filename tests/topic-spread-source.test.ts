/**
 * The topic-spread source on a hand-built catalog whose right answers can be read off: the
 * topics a user clicked least come first, each topic's items by clicks in the window, round by
 * round, and clicks outside the window do not count.
 */
import { describe, expect, it } from 'vitest';
import { TopicSpreadSource } from '../src/recommender/sources/topic-spread.js';
import type { RecRequest, SlateFeedback } from '../src/recommender/types.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicCatalog, type PublicItem } from '../src/world/public.js';

/** Items 0–3 of topic 0, 4–7 of topic 1, 8–11 of topic 2 (their first tag); each also tagged 3. */
function catalog(): PublicCatalog {
  const c: PublicCatalog = new PublicRegistry<PublicItem>();
  for (let id = 0; id < 12; id++) c.add({ id, creatorId: id, topics: [Math.floor(id / 4), 3], lengthMinutes: 5, uploadTime: -1 });
  return c;
}

/** A log of one epoch in which `item` got `clicks[item]` clicks at `time`. */
function logOf(clicks: Record<number, number>, time: number): TrainingLog {
  const buffer = new ImpressionBuffer(16);
  for (const [item, count] of Object.entries(clicks)) {
    for (let c = 0; c < count; c++) {
      buffer.append({
        time, epoch: 0, slateId: 0, userId: 99, itemId: Number(item), position: 0, arm: 'a', source: 's', propensity: 1,
        clicked: true, watchMinutes: 1, watchFraction: 0.5, completed: false, liked: false, survey: null,
      });
    }
  }
  const log = new TrainingLog(30);
  log.add({ epoch: 0, start: Math.floor(time), end: Math.floor(time) + 1, impressions: buffer });
  return log;
}

const request = (userId: number): RecRequest => ({ slateId: 0, userId, time: 5, hourOfDay: 12, device: 'mobile', requestInSession: 0, pastSessions: 3 });

function click(userId: number, itemId: number): SlateFeedback {
  return {
    request: request(userId),
    slate: { slateId: 0, entries: [{ itemId, source: 'two_tower', propensity: 1 }] },
    clicked: 0, watchMinutes: 1, watchFraction: 0.5, completed: false, liked: false, survey: null,
  };
}

// Topic 0: items 0 (5 clicks) and 1 (2); topic 1: items 4 (3) and 5 (1); topic 2: item 8 (1).
const CLICKS = { 0: 5, 1: 2, 4: 3, 5: 1, 8: 1 };

describe('topic-spread source', () => {
  it('leads with the topics the user clicked least, each topic’s items by clicks, round by round', () => {
    const source = new TopicSpreadSource(catalog(), { k: 10, windowDays: 3, history: 10 });
    source.retrain(logOf(CLICKS, 4.5), 5);
    // User 1 watches topic 0 (three clicks) and topic 1 (one): topic 2 first, then 1, then 0.
    for (const item of [0, 1, 0, 4]) source.observe(click(1, item));
    const [list] = source.generate([request(1)]);
    expect(list.map((c) => c.itemId)).toEqual([8, 4, 0, 5, 1]);
    expect(list.every((c) => c.sources[0] === 'topic_spread')).toBe(true);
    expect(list.find((c) => c.itemId === 0)?.sourceScore).toBe(5);
  });

  it('orders topics a user has not clicked by their clicks overall, and stops at k', () => {
    const source = new TopicSpreadSource(catalog(), { k: 4, windowDays: 3, history: 10 });
    source.retrain(logOf(CLICKS, 4.5), 5);
    // A user without clicks: topic 0 (7 clicks), topic 1 (4), topic 2 (1), round by round.
    expect(source.generate([request(2)])[0].map((c) => c.itemId)).toEqual([0, 4, 8, 1]);
  });

  it('ranks only clicks within its window, and ignores slates without a click', () => {
    const source = new TopicSpreadSource(catalog(), { k: 10, windowDays: 1, history: 10 });
    source.retrain(logOf(CLICKS, 2.5), 5);
    expect(source.generate([request(3)])[0]).toEqual([]);
    source.retrain(logOf(CLICKS, 4.5), 5);
    source.observe({ ...click(3, 8), clicked: -1 });
    expect(source.generate([request(3)])[0].map((c) => c.itemId)[0]).toBe(0);
  });

  it('breaks ties between items by id and between topics by id, and takes k = 1', () => {
    const catalog = new PublicRegistry<PublicItem>();
    // Items 0–2 of topic 0, 3 of topic 1, 4 of topic 2, 5 untagged.
    for (const topics of [[0], [0], [0], [1], [2], []]) catalog.add({ id: catalog.size, creatorId: 0, topics, lengthMinutes: 5, uploadTime: -1 });
    const source = new TopicSpreadSource(catalog, { k: 10, windowDays: 3, history: 10 });
    expect(source.generate([request(4)])).toEqual([[]]);
    // Items 0 and 2 tie at 3 clicks; topics 1 and 2 tie at 2 clicks each; the untagged item is nowhere.
    source.retrain(logOf({ 0: 3, 1: 1, 2: 3, 3: 2, 4: 2, 5: 9 }, 4.5), 5);
    source.observe(click(4, 5));
    expect(source.generate([request(4)])[0].map((c) => c.itemId)).toEqual([0, 3, 4, 2, 1]);
    const one = new TopicSpreadSource(catalog, { k: 1, windowDays: 3, history: 1 });
    one.retrain(logOf({ 3: 1 }, 4.5), 5);
    expect(one.generate([request(4)])[0].map((c) => c.itemId)).toEqual([3]);
  });

  it('rejects bad options with the option named', () => {
    expect(() => new TopicSpreadSource(catalog(), { k: 0, windowDays: 3, history: 10 })).toThrow(/topic_spread source: k/);
    expect(() => new TopicSpreadSource(catalog(), { k: 5, windowDays: 0, history: 10 })).toThrow(/window/);
    expect(() => new TopicSpreadSource(catalog(), { k: 5, windowDays: 3, history: 1.5 })).toThrow(/history/);
  });
});

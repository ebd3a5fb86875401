/**
 * The popularity source's incremental retrain: after every retrain its lists equal those of a
 * full recount of the log (clicks per item in the window, items each user clicked anywhere in
 * the log), as epochs enter the window, straddle its edge and leave the log; and the counted
 * pair set it keeps seen items in.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng/index.js';
import { ClickPairs } from '../src/recommender/sources/click-pairs.js';
import { PopularitySource } from '../src/recommender/sources/popularity.js';
import type { RecRequest } from '../src/recommender/types.js';
import { ImpressionBuffer } from '../src/training/impression-buffer.js';
import { TrainingLog } from '../src/training/training-log.js';
import { PublicRegistry, type PublicCatalog, type PublicItem } from '../src/world/public.js';

const ITEMS = 40;
const USERS = 12;
const K = 6;

function catalog(): PublicCatalog {
  const c: PublicCatalog = new PublicRegistry<PublicItem>();
  for (let id = 0; id < ITEMS; id++) c.add({ id, creatorId: id % 5, topics: [id % 3], lengthMinutes: 5, uploadTime: -1 });
  return c;
}

/** One epoch's impressions: random users and items, clicks skewed toward low ids, times in [start, end) in order unless `shuffled`. */
function epochLog(rng: Rng, start: number, end: number, shuffled: boolean): ImpressionBuffer {
  const buffer = new ImpressionBuffer(16);
  const rows = 60;
  const times = Array.from({ length: rows }, (_, i) => start + ((end - start) * i) / rows);
  if (shuffled) rng.shuffle(times);
  for (const time of times) {
    const itemId = Math.floor(ITEMS * rng.next() * rng.next());
    buffer.append({
      time, epoch: 0, slateId: 0, userId: rng.int(USERS), itemId, position: 0, arm: 'a', source: 's', propensity: 1,
      clicked: rng.next() < 0.5, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null,
    });
  }
  return buffer;
}

/** What the source should hand `userId`, from a full recount of the log. */
function recount(log: TrainingLog, since: number, userId: number, excludeSeen: boolean): number[] {
  const clicks = new Map<number, number>();
  const seen = new Set<number>();
  for (const chunk of log.chunks) {
    // Row by row through the object API, apart from the columns the source reads.
    for (let i = 0; i < chunk.impressions.length; i++) {
      const row = chunk.impressions.row(i);
      if (!row.clicked) continue;
      if (excludeSeen && row.userId === userId) seen.add(row.itemId);
      if (row.time >= since) clicks.set(row.itemId, (clicks.get(row.itemId) ?? 0) + 1);
    }
  }
  const ranked = [...clicks].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
  const out = ranked.filter((id) => !seen.has(id)).slice(0, K);
  for (let id = 0; id < ITEMS && out.length < K; id++) if (!out.includes(id) && !seen.has(id)) out.push(id);
  return out;
}

const request = (userId: number): RecRequest => ({ slateId: userId, userId, time: 0, hourOfDay: 0, device: 'tv', requestInSession: 0, pastSessions: 1 });

describe('popularity source, incremental retrain', () => {
  for (const excludeSeen of [false, true]) {
    it(`equals a full recount at every retrain as epochs straddle the window and leave the log (exclude seen: ${excludeSeen})`, () => {
      const rng = new Rng('popularity-window');
      const windowDays = 1.3;
      const source = new PopularitySource(catalog(), { k: K, windowDays, excludeSeen });
      const log = new TrainingLog(2);
      for (let epoch = 0; epoch < 12; epoch++) {
        const [start, end] = [epoch * 0.5, (epoch + 1) * 0.5];
        log.add({ epoch, start, end, impressions: epochLog(rng, start, end, epoch % 4 === 1) });
        source.retrain(log, end);
        const lists = source.generate(Array.from({ length: USERS }, (_, u) => request(u)));
        for (let u = 0; u < USERS; u++) {
          expect(lists[u].map((c) => c.itemId), `epoch ${epoch}, user ${u}`).toEqual(recount(log, end - windowDays, u, excludeSeen));
        }
      }
    });
  }

  it('recounts a chunk whose rows changed since the last retrain', () => {
    const source = new PopularitySource(catalog(), { k: 2, windowDays: 5, excludeSeen: false });
    const buffer = new ImpressionBuffer(4);
    const row = { time: 1, epoch: 0, slateId: 0, userId: 0, itemId: 3, position: 0, arm: 'a', source: 's', propensity: 1, clicked: true, watchMinutes: 0, watchFraction: 0, completed: false, liked: false, survey: null };
    buffer.append(row);
    const log = new TrainingLog(10);
    log.add({ epoch: 0, start: 0, end: 2, impressions: buffer });
    source.retrain(log, 2);
    expect(source.generate([request(0)])[0].map((c) => c.itemId)).toEqual([3, 0]);
    buffer.append({ ...row, itemId: 7 });
    buffer.append({ ...row, itemId: 7 });
    source.retrain(log, 2);
    expect(source.generate([request(0)])[0].map((c) => c.itemId)).toEqual([7, 3]);
    buffer.clear();
    buffer.append({ ...row, itemId: 9 });
    buffer.append({ ...row, itemId: 9 });
    buffer.append({ ...row, itemId: 9 });
    source.retrain(log, 2);
    expect(source.generate([request(0)])[0].map((c) => c.itemId)).toEqual([9, 0]);
  });
});

describe('click pairs', () => {
  it('counts pairs up and down, per user, across table rebuilds', () => {
    const pairs = new ClickPairs();
    for (let u = 0; u < 300; u++) for (let i = 0; i < 10; i++) pairs.add(u, i * 7 + u, 1 + (i % 2));
    expect(pairs.has(5, 5)).toBe(true);
    expect(pairs.has(5, 6)).toBe(false);
    expect(pairs.hasAny(299)).toBe(true);
    expect(pairs.hasAny(300)).toBe(false);
    for (let u = 0; u < 300; u++) for (let i = 0; i < 10; i++) pairs.add(u, i * 7 + u, -1);
    // Even i had one click and is gone; odd i had two and stays.
    expect(pairs.has(5, 5)).toBe(false);
    expect(pairs.has(5, 12)).toBe(true);
    for (let u = 0; u < 300; u++) for (let i = 1; i < 10; i += 2) pairs.add(u, i * 7 + u, -1);
    expect(pairs.hasAny(5)).toBe(false);
    // Many new pairs after the old ones emptied: the table rebuilds without the dead slots.
    for (let u = 0; u < 2000; u++) pairs.add(u, u, 1);
    expect(pairs.has(1999, 1999)).toBe(true);
    expect(pairs.has(5, 12)).toBe(false);
    expect(() => pairs.add(3, 4, -1)).toThrow(/taken away more often than added/);
  });
});

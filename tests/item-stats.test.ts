/**
 * The ranker's item statistics against the same figures computed straight from a hand-made log:
 * each count is the sum over the item's past rows of the row's value times 2^(−age / half-life),
 * and each rate is that item's count shrunk towards everyone's, as documented in item-stats.ts.
 */
import { describe, expect, it } from 'vitest';
import { FrozenItemStats, ITEM_STAT_FEATURES, ITEM_STATS_HALF_LIFE, ItemStats } from '../src/recommender/ranking/item-stats.js';

interface Row {
  itemId: number;
  time: number;
  clicked: number;
  watchFraction: number;
  completed: number;
  liked: number;
  survey: number;
}

/**
 * Ten rows over four days, in time order: five items, one past 1,024 and one past 1,024 / 7. Kept
 * short on purpose: a mutant that reallocates the arrays on every call doubles them each time.
 */
function hand(): Row[] {
  const items = [0, 1, 200, 5000, 1];
  const surveys = [0, 5, 4, 3, 1, 0, 2];
  return Array.from({ length: 10 }, (_, i) => {
    const clicked = i % 3 === 0 ? 0 : 1;
    return {
      itemId: items[i % 5],
      time: 0.4 * i,
      clicked,
      watchFraction: clicked * ((i % 7) / 7),
      completed: clicked * (i % 4 === 0 ? 1 : 0),
      liked: clicked * (i % 5 === 1 || i % 5 === 3 ? 1 : 0),
      survey: clicked * surveys[i % 7],
    };
  });
}

/** Decayed sums [impressions, clicks, watch, complete, like, surveys, positive] at `time`. */
function sums(rows: readonly Row[], time: number): number[] {
  const out = new Array<number>(7).fill(0);
  for (const r of rows) {
    const w = 2 ** (-(time - r.time) / ITEM_STATS_HALF_LIFE);
    const values = [1, r.clicked, r.watchFraction, r.completed, r.liked, r.survey > 0 ? 1 : 0, r.survey >= 4 ? 1 : 0];
    values.forEach((v, j) => (out[j] += w * v));
  }
  return out;
}

/**
 * The seven features of `itemId` at `time` from the rows before it (every row's time ≤ `time`);
 * the item's counts may be taken at another time than everyone's.
 */
function expected(rows: readonly Row[], itemId: number, time: number, itemTime = time): number[] {
  const [gi, gc, gw, gp, gl, gv, gq] = sums(rows, time);
  const ctrPrior = (gc + 0.1) / (gi + 1);
  const watchPrior = (gw + 0.1) / (gc + 1);
  const completePrior = (gp + 0.01) / (gc + 1);
  const likePrior = (gl + 0.01) / (gc + 1);
  const surveyPrior = (gq + 0.5) / (gv + 1);
  const [i, c, w, p, l, v, q] = sums(
    rows.filter((r) => r.itemId === itemId),
    itemTime,
  );
  return [
    Math.log1p(i),
    Math.log1p(c),
    (c + 20 * ctrPrior) / (i + 20),
    (w + 5 * watchPrior) / (c + 5),
    (p + 5 * completePrior) / (c + 5),
    (l + 5 * likePrior) / (c + 5),
    (q + 5 * surveyPrior) / (v + 5),
  ];
}

function add(stats: ItemStats, r: Row): void {
  stats.add(r.itemId, r.time, r.clicked, r.watchFraction, r.completed, r.liked, r.survey);
}

function read(stats: { write: ItemStats['write'] }, itemId: number, time: number): number[] {
  const out = new Float32Array(ITEM_STAT_FEATURES.length);
  stats.write(itemId, time, out, 0);
  return Array.from(out);
}

function expectClose(actual: number[], wanted: number[], what: string): void {
  expect(actual.length, what).toBe(wanted.length);
  actual.forEach((a, j) => expect(a, `${what}, ${ITEM_STAT_FEATURES[j]}`).toBeCloseTo(wanted[j], 5));
}

describe('item statistics', () => {
  it('before each row of the replay, equal the decayed counts and smoothed rates of the rows before it', () => {
    const rows = hand();
    const stats = new ItemStats();
    rows.forEach((r, n) => {
      expectClose(read(stats, r.itemId, r.time), expected(rows.slice(0, n), r.itemId, r.time), `row ${n}, item ${r.itemId}`);
      add(stats, r);
    });
    // At the end of the window, a day after the last row: every item, and one never shown (priors only).
    for (const itemId of [0, 1, 200, 5000, 7]) expectClose(read(stats, itemId, 4.9), expected(rows, itemId, 4.9), `item ${itemId} at 4.9`);
  });

  it('give everyone’s click rate, lightly smoothed, decayed to the time asked', () => {
    const rows = hand();
    const stats = new ItemStats();
    expect(stats.globalClickRate(1)).toBeCloseTo(0.1, 12); // (0 + 0.1) / (0 + 1)
    for (const r of rows) add(stats, r);
    for (const time of [3.9, 5, 12]) {
      const [impressions, clicks] = sums(rows, time);
      expect(stats.globalClickRate(time), `at ${time}`).toBeCloseTo((clicks + 0.1) / (impressions + 1), 12);
    }
  });

  it('read before the last row’s time, stand as they did at that row (no growth backwards)', () => {
    const rows = hand();
    const stats = new ItemStats();
    for (const r of rows) add(stats, r);
    const last = rows[rows.length - 1].time;
    const [impressions, clicks] = sums(rows, last);
    expect(stats.globalClickRate(1)).toBeCloseTo((clicks + 0.1) / (impressions + 1), 12);
    // Each item's counts as of its own last row, everyone's as of the last row of all.
    for (const itemId of [0, 1, 5000]) {
      const own = Math.max(...rows.filter((r) => r.itemId === itemId).map((r) => r.time));
      expectClose(read(stats, itemId, 1), expected(rows, itemId, last, own), `item ${itemId} at 1`);
    }
  });

  it('count a survey only when answered, and as positive from 4', () => {
    const stats = new ItemStats();
    const answers = [0, 3, 4, 5];
    answers.forEach((survey, k) => stats.add(k, 0, 1, 0, 0, 0, survey));
    // Global: 3 answers, 2 of them positive. Item k: its own answer and 5 pseudo-answers at the prior.
    const prior = (2 + 0.5) / (3 + 1);
    expect(read(stats, 0, 0)[6]).toBeCloseTo(prior, 6);
    expect(read(stats, 1, 0)[6]).toBeCloseTo((0 + 5 * prior) / 6, 6);
    expect(read(stats, 2, 0)[6]).toBeCloseTo((1 + 5 * prior) / 6, 6);
    expect(read(stats, 3, 0)[6]).toBeCloseTo((1 + 5 * prior) / 6, 6);
  });
});

describe('frozen item statistics', () => {
  function replayed(): { rows: Row[]; stats: ItemStats } {
    const rows = hand();
    const stats = new ItemStats();
    for (const r of rows) add(stats, r);
    return { rows, stats };
  }

  it('read at their own time, equal the live statistics then, read after read', () => {
    const { rows, stats } = replayed();
    const frozen = new FrozenItemStats(stats, 4.5);
    // The first read is of the largest id; items are read again, as serving does.
    for (let pass = 0; pass < 2; pass++) {
      for (const itemId of [5000, 200, 0, 1, 7]) expectClose(read(frozen, itemId, 4.5), expected(rows, itemId, 4.5), `pass ${pass}, item ${itemId}`);
    }
  });

  it('write their seven columns at the offset given and nothing past them', () => {
    const { stats } = replayed();
    const frozen = new FrozenItemStats(stats, 4.5);
    const width = ITEM_STAT_FEATURES.length;
    for (const itemId of [1, 0, 1]) {
      const out = new Float32Array(3 + width + 3).fill(-9);
      frozen.write(itemId, 4.5, out, 3);
      expect(Array.from(out.subarray(0, 3)), `item ${itemId}`).toEqual([-9, -9, -9]);
      expect(Array.from(out.subarray(3 + width)), `item ${itemId}`).toEqual([-9, -9, -9]);
      expect(Array.from(out.subarray(3, 3 + width)), `item ${itemId}`).toEqual(read(stats, itemId, 4.5));
    }
  });

  it('asked for other times, read the live statistics at each of them', () => {
    const { rows, stats } = replayed();
    const frozen = new FrozenItemStats(stats, 4.5);
    for (const time of [5, 7, 4.5, 9]) expectClose(read(frozen, 1, time), expected(rows, 1, time), `item 1 at ${time}`);
  });
});

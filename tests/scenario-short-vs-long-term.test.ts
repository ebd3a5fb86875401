/**
 * scenarios/short-vs-long-term.yaml at a reduced size (300 users and items, 12 days, 2 of them
 * the random start-up), seeds 1–3, both arms in the same world: the click-weighted score wins
 * clicks per impression and loses on the long-term side (return rate, daily active users, active
 * days per user, true satisfaction of what was watched).
 *
 * Margins come from seeds 1–5 at this size (measured 2026-12-04, means over days 3–12, satisfaction
 * arm minus click arm): CTR −0.0003 to −0.0028 (the mean of any three seeds at most −0.0010),
 * return rate +0.020 to +0.061, daily active users +6.6 to +16.5, active days +0.027 to +0.177,
 * true satisfaction +0.15 to +0.25.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { armRows, meanOver, type Row } from './support/arm-runs.js';

const SEEDS = [1, 2, 3];
const DAYS = 12;
/** Epochs 0–1 are the random start-up. */
const MEASURED = 2;

const runs = new Map<string, Row[]>();
/** Per seed, the satisfaction arm's mean over the measured epochs minus the click arm's. */
const satisfactionMinusClicks = (metric: string): number[] =>
  SEEDS.map((seed) => meanOver(runs.get(`satisfaction/${seed}`) ?? [], metric, MEASURED) - meanOver(runs.get(`clicks/${seed}`) ?? [], metric, MEASURED));

beforeAll(async () => {
  for (const seed of SEEDS) for (const arm of ['clicks', 'satisfaction']) runs.set(`${arm}/${seed}`, await armRows('short-vs-long-term', DAYS, arm, seed));
}, 240_000);

describe('short- against long-term objectives, reduced', () => {
  it('the click-weighted score wins clicks per impression', () => {
    const ctr = satisfactionMinusClicks('ctr');
    for (const d of ctr) expect(d).toBeLessThan(0);
    expect(ctr.reduce((a, b) => a + b, 0) / ctr.length).toBeLessThan(-0.0005);
  });

  it('and loses on the long-term side: users return less, on fewer days, and like what they watch less', () => {
    for (const d of satisfactionMinusClicks('return_rate')) expect(d).toBeGreaterThan(0.01);
    for (const d of satisfactionMinusClicks('daily_active_users')) expect(d).toBeGreaterThan(2);
    for (const d of satisfactionMinusClicks('active_days_7d')) expect(d).toBeGreaterThan(0.01);
    for (const d of satisfactionMinusClicks('mean_true_satisfaction')) expect(d).toBeGreaterThan(0.05);
  });
});

/**
 * scenarios/short-vs-long-term.yaml at reduced sizes, seeds 1–3, both arms in the same world: the
 * click-weighted score wins clicks per impression and loses on the long-term side — over 12 days
 * (300 users and items, 2 days of random start-up) return rate, daily active users, active days
 * per user and true satisfaction of what was watched; over 60 days (200 users and items) 30-day
 * retention, which needs a month and the month before it (scenario-short-vs-long-term-months.test.ts,
 * a file of its own so that another test worker can run it beside this one).
 *
 * Margins come from seeds 1–5 at these sizes (measured 2026-12-04, satisfaction arm minus click
 * arm). 12 days, means over days 3–12: CTR −0.0005 to −0.0044 (the mean of any three seeds at
 * most −0.0011), return rate +0.010 to +0.075, daily active users +4.7 to +18.0, active days
 * +0.036 to +0.147, true satisfaction +0.15 to +0.36. The 60-day margins are in the other file.
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
    for (const d of satisfactionMinusClicks('return_rate')) expect(d).toBeGreaterThan(0.005);
    for (const d of satisfactionMinusClicks('daily_active_users')) expect(d).toBeGreaterThan(2);
    for (const d of satisfactionMinusClicks('active_days_7d')) expect(d).toBeGreaterThan(0.01);
    for (const d of satisfactionMinusClicks('mean_true_satisfaction')) expect(d).toBeGreaterThan(0.05);
  });
});

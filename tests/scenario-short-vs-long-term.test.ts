/**
 * scenarios/short-vs-long-term.yaml at a reduced size (300 users and items, 12 days, 2 of them
 * the random start-up), seeds 1–3, both arms in the same world: the click-weighted score wins
 * clicks per impression and loses on the long-term side (return rate, daily active users, active
 * days per user, true satisfaction of what was watched).
 *
 * Margins come from seeds 1–5 at this size (measured 2026-12-04, means over days 3–12, satisfaction
 * arm minus click arm): CTR −0.0008 to −0.0015 (1.0–1.8% of it), return rate +0.024 to +0.097,
 * daily active users +6.0 to +18.0, active days +0.06 to +0.22, true satisfaction +0.13 to +0.33.
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
    for (const d of satisfactionMinusClicks('ctr')) expect(d).toBeLessThan(-0.0003);
  });

  it('and loses on the long-term side: users return less, on fewer days, and like what they watch less', () => {
    for (const d of satisfactionMinusClicks('return_rate')) expect(d).toBeGreaterThan(0.01);
    for (const d of satisfactionMinusClicks('daily_active_users')) expect(d).toBeGreaterThan(2);
    for (const d of satisfactionMinusClicks('active_days_7d')) expect(d).toBeGreaterThan(0.02);
    for (const d of satisfactionMinusClicks('mean_true_satisfaction')) expect(d).toBeGreaterThan(0.05);
  });
});

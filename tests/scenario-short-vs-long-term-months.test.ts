/**
 * scenarios/short-vs-long-term.yaml over 60 days at 200 users and items, seeds 1–3, both arms in
 * the same world: the click-weighted score keeps fewer users from one month to the next. The
 * 12-day checks and the margins' measurements are in scenario-short-vs-long-term.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { armRows, meanOver, type Row } from './support/arm-runs.js';

const SEEDS = [1, 2, 3];
const MONTHS_DAYS = 60;
/** Epochs whose 30-day retention compares (most of) a month with the month before. */
const LAST_TEN = MONTHS_DAYS - 10;
const monthRuns = new Map<string, Row[]>();

describe('short- against long-term objectives over two months, reduced', () => {
  beforeAll(async () => {
    const smaller = ['world.users.count=200', 'world.items.count=200'];
    for (const seed of SEEDS) for (const arm of ['clicks', 'satisfaction']) monthRuns.set(`${arm}/${seed}`, await armRows('short-vs-long-term', MONTHS_DAYS, arm, seed, smaller));
  }, 900_000);

  it('the click-weighted score keeps fewer users from one month to the next: more of them churn', () => {
    const rows = (arm: string, seed: number): Row[] => monthRuns.get(`${arm}/${seed}`) ?? [];
    const retention = SEEDS.map((seed) => meanOver(rows('satisfaction', seed), 'retention_30d', LAST_TEN) - meanOver(rows('clicks', seed), 'retention_30d', LAST_TEN));
    expect(retention.reduce((a, b) => a + b, 0) / SEEDS.length).toBeGreaterThan(0.005);
    const churned = (arm: string): number => SEEDS.reduce((n, seed) => n + rows(arm, seed).reduce((m, r) => m + r.churned, 0), 0);
    expect(churned('clicks')).toBeGreaterThan(1.05 * churned('satisfaction'));
  });
});

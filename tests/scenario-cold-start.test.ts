/**
 * scenarios/cold-start.yaml at a reduced size (300 users and items, 15 uploads and 6 sign-ups a
 * day, no creators joining, 8 days, 2 of them the random start-up), seeds 1–3, each arm in the
 * same world. The
 * directions a recsys engineer expects: with only the two-tower and popularity sources most new
 * items go unseen in their first three days; the content and fresh sources cut that share; and
 * the oracle's exposure of new items follows their true quality, which the learned pipeline's
 * does not.
 *
 * Days 5–7 judge the items uploaded on days 2–4 (the first trained days). Margins come from seeds
 * 1–5 at this size (measured 2026-12-04): without the two sources 0.23–1.00 of new items went
 * unseen in their first three days (0.66 over seeds 1–3), with them 0.03–0.07 (the fresh source
 * alone 0.00–0.19), a cut of 0.18–0.97; the oracle's rank correlation between new items'
 * exposure and quality was 0.71–0.82, the learned control's −0.16–0.14.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { armRows, meanOver, type Row } from './support/arm-runs.js';

const SEEDS = [1, 2, 3];
const ARMS = ['without_new_item_sources', 'content_and_fresh', 'oracle'] as const;
// Without the shipped scenario's joining creators: the margins above were measured in worlds without
// them. With them (2 a day) the directions hold, but the content and fresh sources left 0.03–0.17
// of new items unseen over seeds 1–5 (the uploads differ from the first join on), and at this size
// new creators have only 4–8 items, too few for a direction of their own.
const SETS = ['world.items.uploads_per_day=15', 'world.users.signups_per_day=6', 'world.items.new_creators_per_day=0'];
const JUDGED_FROM = 5;

const runs = new Map<string, Row[]>();
const late = (arm: string, seed: number, metric: string): number => meanOver(runs.get(`${arm}/${seed}`) ?? [], metric, JUDGED_FROM);
const againstControl = (arm: string, metric: string): number[] => SEEDS.map((s) => late(arm, s, metric) - late('without_new_item_sources', s, metric));

beforeAll(async () => {
  for (const seed of SEEDS) for (const arm of ARMS) runs.set(`${arm}/${seed}`, await armRows('cold-start', 8, arm, seed, SETS));
}, 300_000);

describe('cold-start scenario, reduced', () => {
  it('without the content and fresh sources many new items go unseen in their first days', () => {
    const shares = SEEDS.map((seed) => late('without_new_item_sources', seed, 'new_items_unseen_first_days'));
    for (const share of shares) expect(share).toBeGreaterThan(0.15);
    expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeGreaterThan(0.4);
  });

  it('the content and fresh sources cut that share to a few percent', () => {
    for (const seed of SEEDS) expect(late('content_and_fresh', seed, 'new_items_unseen_first_days')).toBeLessThan(0.12);
    for (const d of againstControl('content_and_fresh', 'new_items_unseen_first_days')) expect(d).toBeLessThan(-0.1);
  });

  it('the oracle shows new items in the order of their quality; the learned pipeline does not', () => {
    for (const seed of SEEDS) expect(late('oracle', seed, 'new_item_exposure_quality_rank_corr')).toBeGreaterThan(0.5);
    for (const d of againstControl('oracle', 'new_item_exposure_quality_rank_corr')) expect(d).toBeGreaterThan(0.4);
  });
});

/**
 * `recloop ope-log` on the shipped Open Bandit Dataset logs. The truth is each log's own click
 * rate (69/10,000 under Thompson sampling, 46/10,000 under random); each estimate is recomputed
 * here from the CSV and the target's probabilities the command reports, and every figure of the
 * comparison is checked for what it claims (relative errors, coverage). No estimator is asserted
 * to be accurate: over these logs none measurably is (docs/OPE.md, "Real logs").
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoggedOpeReport } from '../src/ope/logged/evaluate-logged.js';
import { duckdbRows } from './support/duckdb-rows.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const DATA = 'data/open-bandit-dataset';
const PRIORS = join(DATA, 'prior_bts.yaml');

const rows = duckdbRows;

/** (1/n) Σ click · π(item, slot) / logged propensity, straight from the CSV. */
async function ipsFromCsv(file: string, probability: (item: number, slot: number) => number): Promise<number> {
  const data = await rows(`SELECT item_id, position - 1, click, propensity_score FROM read_csv_auto('${file}')`);
  let sum = 0;
  for (const [item, slot, click, mu] of data) sum += (Number(click) * probability(Number(item), Number(slot))) / Number(mu);
  return sum / data.length;
}

let base: string;
beforeAll(async () => {
  base = tempDir('recloop-ope-log-');
  for (const name of ['random', 'bts']) expect((await cli(['import', 'obd', join(DATA, name, 'men'), '--out', join(base, name)])).code).toBe(0);
});

async function opeLog(args: readonly string[], out: string): Promise<LoggedOpeReport> {
  const { code, err } = await cli(['ope-log', ...args, '--bootstrap', '60', '--out', join(base, out)]);
  expect(err).toBe(`→ ${join(base, out)}\n`);
  expect(code).toBe(0);
  expect(existsSync(join(base, out, 'ope-log.txt'))).toBe(true);
  return JSON.parse(readFileSync(join(base, out, 'ope-log.json'), 'utf8')) as LoggedOpeReport;
}

function checkComparison(report: LoggedOpeReport): void {
  const truth = report.truth?.click_rate ?? Number.NaN;
  for (const e of report.estimators) {
    expect(e.ci_lo).toBeLessThanOrEqual(e.ci_hi);
    expect(e.relative_error).toBeCloseTo(Math.abs(e.estimate - truth) / truth, 12);
    expect(e.ci_covers_truth).toBe(e.ci_lo <= truth && truth <= e.ci_hi);
    expect(e.gap_z).toBeCloseTo((e.estimate - truth) / Math.hypot(e.se, report.truth?.click_rate_se ?? Number.NaN), 12);
    expect(e.relative_error_mean).toBeGreaterThan(0);
    expect(e.relative_error_sd).toBeGreaterThan(0);
  }
  // The logged propensities are the logging policy's: the mean weight is 1 within 4 SE.
  expect(Math.abs(report.diagnostics.mean_weight - 1)).toBeLessThan(4 * report.diagnostics.mean_weight_se);
}

describe('recloop ope-log on the Open Bandit Dataset', () => {
  it("Thompson sampling's click rate from the random log, against the Thompson log's 69/10,000", async () => {
    const report = await opeLog(
      [join(base, 'random'), '--target', 'bernoulli_thompson', '--priors', PRIORS, '--campaign', 'men', '--draws', '100000', '--truth', join(base, 'bts')],
      'bts-from-random',
    );
    expect(report.truth).toMatchObject({ impressions: 10_000, clicks: 69, click_rate: 69 / 10_000, policy: 'bts' });
    expect(report.log).toMatchObject({ impressions: 10_000, clicks: 46, policy: 'random' });
    const p = report.target.probabilities;
    expect(p).toHaveLength(34);
    for (let k = 0; k < 3; k++) expect(p.reduce((a, row) => a + row[k], 0)).toBeCloseTo(1, 9);
    expect(report.target.samples_per_slot).toEqual([100_000, 100_000, 100_000]);
    const ips = await ipsFromCsv(join(DATA, 'random/men/men.csv'), (item, slot) => p[item][slot]);
    expect(report.estimators.find((e) => e.estimator === 'ips')?.estimate).toBeCloseTo(ips, 12);
    checkComparison(report);
  });

  it("random's click rate from the Thompson log, against the random log's 46/10,000", async () => {
    const report = await opeLog([join(base, 'bts'), '--target', 'uniform', '--truth', join(base, 'random')], 'random-from-bts');
    expect(report.truth).toMatchObject({ clicks: 46, click_rate: 46 / 10_000, policy: 'random' });
    const ips = await ipsFromCsv(join(DATA, 'bts/men/men.csv'), () => 1 / 34);
    expect(report.estimators.find((e) => e.estimator === 'ips')?.estimate).toBeCloseTo(ips, 12);
    expect(report.target.ips_sampling_se).toBe(0);
    checkComparison(report);
  });

  it("the truth log's own exposure as the target: its probabilities are the Thompson log's shares of each slot", async () => {
    const report = await opeLog([join(base, 'random'), '--target', 'truth_exposure', '--truth', join(base, 'bts')], 'exposure-from-random');
    const shares = await rows(`SELECT item_id, slot, n / sum(n) OVER (PARTITION BY slot) FROM (SELECT item_id, position - 1 AS slot, count(*) AS n FROM read_csv_auto('${join(DATA, 'bts/men/men.csv')}') GROUP BY ALL)`);
    expect(shares.length).toBeGreaterThan(34);
    for (const [item, slot, share] of shares) expect(report.target.probabilities[Number(item)][Number(slot)]).toBeCloseTo(Number(share), 12);
    checkComparison(report);
  });

  it('refuses a log without propensities and priors that do not fit, naming what is wrong', async () => {
    const noProps = join(base, 'no-propensity');
    expect((await cli(['import', 'csv', join(DATA, 'random/men/men.csv'), '--item', 'item_id', '--click', 'click', '--out', noProps])).code).toBe(0);
    const a = await cli(['ope-log', noProps, '--target', 'uniform', '--out', join(base, 'x')]);
    expect(a.err).toBe(`${noProps}: impression 0 has no logging propensity; off-policy estimators need every one\n`);
    const b = await cli(['ope-log', join(base, 'random'), '--target', 'bernoulli_thompson', '--priors', PRIORS, '--campaign', 'kids', '--out', join(base, 'y')]);
    expect(b.err).toBe(`${PRIORS}: no campaign "kids"; the file has "all", "men", "women"\n`);
    const c = await cli(['ope-log', join(base, 'random'), '--target', 'bernoulli_thompson', '--priors', PRIORS, '--campaign', 'all', '--out', join(base, 'z')]);
    expect(c.err).toMatch(new RegExp(`^${PRIORS}: all has priors for \\d+ items, but ${join(base, 'random')} has 34\\n$`));
    for (const out of ['x', 'y', 'z']) expect(existsSync(join(base, out))).toBe(false);
  });
});

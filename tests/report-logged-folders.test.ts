/**
 * `recloop report` on the folders made from real logs: `recloop ope-log` (estimates from the Open
 * Bandit Dataset's random log against the Thompson log's on-policy click rate) and `recloop
 * fit-check` (a world fitted on the random log, checked against the Thompson log). Every folder
 * is made by the real commands from the shipped data; the report must carry each file's figures
 * unchanged, draw them, open in a real browser, and name the file and field of a broken input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { FitCheckReport } from '../src/fit/fit-check.js';
import type { LoggedOpeReport } from '../src/ope/logged/evaluate-logged.js';
import { buildCharts, loadReportData, loadReportInputs, summaryTable, writeReport, type FitCheckInput, type OpeLogInput, type ReportData } from '../src/report/index.js';
import { CHROMIUM_ARGS, chromiumExecutable } from './support/chromium.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

const OBD = 'data/open-bandit-dataset';
const PRIORS = ['--priors', `${OBD}/prior_bts.yaml`, '--campaign', 'men'];
let dir: string;
let opeLog: LoggedOpeReport;
let fitCheck: FitCheckReport;

async function ok(args: readonly string[]): Promise<void> {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`recloop ${args.join(' ')}: ${r.err}`);
}

beforeAll(async () => {
  dir = tempDir('recloop-report-logged-');
  await ok(['import', 'obd', `${OBD}/random/men`, '--out', join(dir, 'random')]);
  await ok(['import', 'obd', `${OBD}/bts/men`, '--out', join(dir, 'bts')]);
  await ok(['ope-log', join(dir, 'random'), '--target', 'bernoulli_thompson', ...PRIORS, '--truth', join(dir, 'bts'), '--bootstrap', '30', '--out', join(dir, 'ope-log')]);
  await ok(['fit', join(dir, 'random'), '--out', join(dir, 'world')]);
  await ok(['fit-check', join(dir, 'world'), '--policy', 'bernoulli_thompson', ...PRIORS, '--truth', join(dir, 'bts'), '--seeds', '8', '--out', join(dir, 'check')]);
  opeLog = JSON.parse(readFileSync(join(dir, 'ope-log', 'ope-log.json'), 'utf8')) as LoggedOpeReport;
  fitCheck = JSON.parse(readFileSync(join(dir, 'check', 'fit-check.json'), 'utf8')) as FitCheckReport;
}, 120_000);

describe('report input formats of real-log folders', () => {
  it('accepts what recloop ope-log and recloop fit-check write (checked by the type checker)', () => {
    expectTypeOf<LoggedOpeReport>().toExtend<DeepReadonly<OpeLogInput>>();
    expectTypeOf<FitCheckReport>().toExtend<DeepReadonly<FitCheckInput>>();
  });
});

describe('the report of an ope-log folder', () => {
  let data: ReportData;
  beforeAll(async () => {
    data = await loadReportData(join(dir, 'ope-log'));
  });

  it("checks each estimate against the other log's on-policy click rate, as the folder states them", () => {
    const truth = opeLog.truth;
    if (!truth) throw new Error('no truth in ope-log.json');
    expect(truth.clicks).toBe(69);
    expect(data.kind).toBe('ope');
    expect(data.ope?.truthSource).toBe('on-policy log bts');
    expect(data.ope?.truth?.value).toBe(truth.click_rate);
    expect(data.ope?.truth?.ci_low).toBeCloseTo(truth.click_rate - 1.959964 * truth.click_rate_se, 6);
    expect(data.ope?.estimates).toEqual(opeLog.estimators.map((e) => ({ estimator: e.estimator, estimate: e.estimate, ci_low: e.ci_lo, ci_high: e.ci_hi })));
    expect(buildCharts(data).map((c) => c.id)).toEqual(['ope']);
  });

  it("says in its table whether each interval covers the truth, as ope-log.json does", () => {
    const table = summaryTable(data);
    expect(table.rows[0].label).toBe('truth (on-policy log bts)');
    for (const e of opeLog.estimators) {
      const row = table.rows.find((r) => r.metric === e.estimator);
      expect(row?.cells[2].text, e.estimator).toBe(e.ci_covers_truth ? 'yes' : 'no ⚠');
    }
  });
});

describe('the report of an ope-log folder without a truth log', () => {
  it('draws the estimates and claims nothing about covering', async () => {
    const out = join(dir, 'ope-log-alone');
    await ok(['ope-log', join(dir, 'random'), '--target', 'uniform', '--bootstrap', '20', '--out', out]);
    const data = await loadReportData(out);
    expect(data.ope?.truth).toBeUndefined();
    expect(data.ope?.estimates.map((e) => e.estimator)).toEqual(['ips', 'snips', 'dm', 'dr']);
    const table = summaryTable(data);
    expect(table.rows.map((r) => r.metric)).toEqual(['ips', 'snips', 'dm', 'dr']);
    expect(table.rows.every((r) => r.cells[1].text === '' && r.cells[2].text === '')).toBe(true);
    const [chart] = buildCharts(data);
    expect(chart.caption).toMatch(/no estimate can be checked/);
    expect(JSON.stringify(chart.spec)).not.toContain('"truth"');
  });
});

describe("the report of a fitted world's check", () => {
  let data: ReportData;
  beforeAll(async () => {
    data = await loadReportData(join(dir, 'check'));
  });

  it('draws every click-rate figure, real against simulated, and the item exposure of both', () => {
    expect(data.kind).toBe('check');
    const rows = data.check?.rows ?? [];
    expect(rows.map((r) => r.figure)).toEqual(['click rate', 'click rate at slot 1', 'click rate at slot 2', 'click rate at slot 3']);
    rows.forEach((r, k) => {
      const g = fitCheck.rates[k];
      expect([r.real, r.simulated, r.simulated_low, r.simulated_high, r.gap, r.consistent]).toEqual([g.real, g.simulated_mean, g.simulated_lo, g.simulated_hi, g.gap, g.consistent]);
      if (g.real_se === null) throw new Error('a real rate without its SE');
      expect(r.real_high).toBeCloseTo(g.real + 1.959964 * g.real_se, 6);
    });
    // Item shares of impressions: each log's add up to one.
    const items = data.check?.exposure.items ?? [];
    expect(items).toHaveLength(34);
    expect(items.reduce((s, i) => s + i.real, 0)).toBeCloseTo(1, 3);
    expect(items.reduce((s, i) => s + i.simulated, 0)).toBeCloseTo(1, 3);
    expect(buildCharts(data).map((c) => c.id)).toEqual(['fit-check', 'fit-check-exposure']);
  });

  it("marks a gap whose interval excludes 0, and gives the exposure distance beside chance's", () => {
    const table = summaryTable(data);
    fitCheck.rates.forEach((g) => {
      const row = table.rows.find((r) => r.metric === g.metric);
      expect(row?.cells[3].text, g.metric).toBe(g.consistent ? 'yes' : 'no ⚠');
      expect(row?.cells[2].breach ?? false).toBe(!g.consistent);
    });
    const exposure = table.rows.find((r) => r.metric === 'exposure_tvd');
    expect(exposure?.cells[1].text).toContain(fitCheck.exposure.tvd.mean.toPrecision(3));
    // The real Thompson policy moved its exposure over the week; the fitted one does not follow: far beyond chance.
    expect(fitCheck.exposure.tvd.lo).toBeGreaterThan(fitCheck.exposure.reference_tvd.hi);
  });

  it('is refused among folders to overlay, naming the file that makes it no run folder', async () => {
    await expect(loadReportInputs([join(dir, 'check'), join(dir, 'ope-log')])).rejects.toThrow(/check: has fit-check\.json, but only run folders/);
  });

  it('names the file and the field of a broken fit-check.json', async () => {
    const broken = tempDir('recloop-report-broken-check-');
    const file = JSON.parse(readFileSync(join(dir, 'check', 'fit-check.json'), 'utf8')) as { rates: Record<string, unknown>[] };
    delete file.rates[1].simulated_lo;
    writeFileSync(join(broken, 'fit-check.json'), JSON.stringify(file));
    await expect(loadReportData(broken)).rejects.toThrow(/fit-check\.json: .*expected number.*rates\[1\]\.simulated_lo/s);
  });
});

describe('recloop report on real-log folders, in headless Chromium', () => {
  it('writes report.html with every chart rendered, offline and without console noise', async () => {
    const outcomes = [await writeReport([join(dir, 'ope-log')], { png: false }), await writeReport([join(dir, 'check')], { png: false })];
    expect(readFileSync(join(dir, 'check', 'summary.md'), 'utf8')).toMatch(/^# bernoulli_thompson in the world fitted on random: recloop fitted-world check report/);
    const profile = tempDir('recloop-chromium-');
    const browser = await chromium.launchPersistentContext(profile, { executablePath: await chromiumExecutable(), headless: true, args: [...CHROMIUM_ARGS] });
    try {
      for (const outcome of outcomes) {
        const page = await browser.newPage();
        const messages: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') messages.push(m.text());
        });
        await page.goto(pathToFileURL(outcome.html).href);
        await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
        const charts = (await page.evaluate(`Array.from(document.querySelectorAll('.view')).map((el) => ({
          id: el.getAttribute('data-chart'),
          state: el.getAttribute('data-state'),
          marks: el.querySelectorAll('svg g[class*="mark-"] path, svg g[class*="mark-"] line, svg g[class*="mark-"] rect').length,
        }))`)) as { id: string; state: string; marks: number }[];
        expect(charts.map((c) => c.id)).toEqual(outcome.charts.map((c) => c.id));
        for (const c of charts) {
          expect(c.state, c.id).toBe('rendered');
          expect(c.marks, c.id).toBeGreaterThan(4);
        }
        expect(messages).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});

/**
 * report.html in a real browser: headless Chromium (the build shipped in the @sparticuz/chromium
 * npm package, or CHROMIUM_PATH; see support/chromium.ts), driven by playwright-core, opens the
 * report of a run (with calibration and latency columns) and of an experiment (arms, replicas,
 * bands; one with an oracle baseline, its trends and distances from it) from file://, with no network. Every chart must render an SVG with marks, the console
 * must stay free of errors and warnings, and nothing may be fetched. A deliberately broken
 * report proves the checks can fail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport, type ReportOutcome } from '../src/report/index.js';
import { CHROMIUM_ARGS, chromiumExecutable } from './support/chromium.js';
import { writeOracleCompare, writeSyntheticCompare, writeSyntheticRun } from './support/report-fixtures.js';
import { tempDir } from './support/scenarios.js';

interface PageReport {
  readonly console: string[];
  readonly requests: string[];
  readonly charts: { id: string; state: string; marks: number; width: number; label: string }[];
  readonly tableRows: number;
  readonly scenarioOpen: boolean;
  readonly scenarioText: string;
  /** Each chart section: its heading, its opening sentence and the charts in it. */
  readonly sections: { id: string; heading: string; finding: string; charts: string[] }[];
  /** The text of every legend label drawn. */
  readonly legendLabels: string[];
}

let browser: BrowserContext;
let profile: string;
let run: ReportOutcome;
let compare: ReportOutcome;
let oracle: ReportOutcome;

beforeAll(async () => {
  // A fresh profile per run: nothing cached or remembered from an earlier one.
  profile = mkdtempSync(join(tmpdir(), 'recloop-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: await chromiumExecutable(),
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 900 },
  });
  const dir = tempDir('recloop-report-browser-');
  run = await writeReport(writeSyntheticRun(join(dir, 'run')), { png: false });
  compare = await writeReport(writeSyntheticCompare(join(dir, 'compare')), { png: false });
  oracle = await writeReport(writeOracleCompare(join(dir, 'oracle')), { png: false });
});

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(htmlFile: string): Promise<PageReport> {
  const page = await browser.newPage();
  const messages: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
  });
  try {
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
    // Strings, not functions: the project's tsconfig has no DOM types.
    const charts = (await page.evaluate(`Array.from(document.querySelectorAll('.view')).map((el) => {
      const svg = el.querySelector('svg');
      return {
        id: el.getAttribute('data-chart'),
        state: el.getAttribute('data-state'),
        marks: svg ? svg.querySelectorAll('g[class*="mark-"] path, g[class*="mark-"] line, g[class*="mark-"] rect').length : 0,
        width: svg ? svg.getBoundingClientRect().width : 0,
        label: el.getAttribute('aria-label') || '',
      };
    })`)) as PageReport['charts'];
    const tableRows = (await page.evaluate(`document.querySelectorAll('table.summary tbody tr').length`)) as number;
    const scenarioOpen = (await page.evaluate(`document.querySelector('#scenario details').open`)) as boolean;
    await page.click('#scenario details summary');
    const scenarioText = (await page.evaluate(`document.querySelector('#scenario details').open ? document.querySelector('#scenario pre').innerText : ''`)) as string;
    const sections = (await page.evaluate(`Array.from(document.querySelectorAll('section.charts')).map((s) => ({
      id: s.id,
      heading: s.querySelector('h2').innerText,
      finding: s.querySelector('.finding') ? s.querySelector('.finding').innerText : '',
      charts: Array.from(s.querySelectorAll('.view')).map((el) => el.getAttribute('data-chart')),
    }))`)) as PageReport['sections'];
    const legendLabels = (await page.evaluate(`Array.from(document.querySelectorAll('.role-legend-label text')).map((t) => t.textContent)`)) as string[];
    return { console: messages, requests, charts, tableRows, scenarioOpen, scenarioText, sections, legendLabels };
  } finally {
    await page.close();
  }
}

function expectAllRendered(report: PageReport, outcome: ReportOutcome): void {
  expect(report.charts.map((c) => c.id)).toEqual(outcome.charts.map((c) => c.id));
  for (const chart of report.charts) {
    expect(chart.state, chart.id).toBe('rendered');
    expect(chart.marks, chart.id).toBeGreaterThan(20);
    expect(chart.width, chart.id).toBeGreaterThan(300);
    expect(chart.label.length, `${chart.id} has its caption as accessible description`).toBeGreaterThan(20);
  }
  expect(report.console).toEqual([]);
  expect(report.requests).toEqual([]);
}

describe('report.html in headless Chromium', () => {
  it('renders every chart of a run with calibration and latency columns, offline and without console noise', async () => {
    const report = await open(run.html);
    expectAllRendered(report, run);
    expect(report.charts.map((c) => c.id)).toEqual(expect.arrayContaining(['calibration-ece', 'calibration-reliability', 'latency']));
    expect(report.tableRows).toBeGreaterThan(20);
    expect(report.scenarioOpen).toBe(false);
    expect(report.scenarioText).toContain('latency_budget_ms');
    // A section per failure of the loop, each opening with its sentence above its charts.
    expect(report.sections.map((s) => s.heading)).toEqual(['Filter bubbles', 'Cold start', 'Short-term against long-term', 'Model, serving and slices']);
    const [bubbles, cold, objectives] = report.sections;
    expect(bubbles.finding).toMatch(/^Topic entropy of what users see fell from [\d.]+ to [\d.]+ bits; /);
    expect(bubbles.charts).toEqual(['diversity']);
    expect(cold.finding).toMatch(/^New items never shown rose from [\d.]+% to [\d.]+%/);
    expect(objectives.charts).toEqual(['short-term', 'long-term', 'tradeoff']);
    expect(objectives.finding).toMatch(/^Click-through rate rose .*; return rate /);
  });

  it('renders every chart of an experiment with arms, replicas and confidence bands', async () => {
    const report = await open(compare.html);
    expectAllRendered(report, compare);
    expect(report.charts[0].id).toBe('experiment-diffs');
    expect(report.sections[0]).toMatchObject({ id: 'verdict', charts: ['experiment-diffs'], finding: '' });
    expect(report.sections.find((s) => s.id === 'filter-bubbles')?.finding).toMatch(/^Against greedy, thompson's topic entropy of what users see was [\d.]+% higher/);
    const html = readFileSync(compare.html, 'utf8');
    expect(html).toContain('⚠ guardrail breached');
    // Self-contained: the Vega runtime is inlined, nothing is loaded from elsewhere.
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
  });

  it("renders an oracle baseline's report: trends and distances charted in their sections, the oracle named as a baseline", async () => {
    const report = await open(oracle.html);
    expectAllRendered(report, oracle);
    const bubbles = report.sections.find((s) => s.id === 'filter-bubbles');
    expect(bubbles?.charts).toEqual(['diversity', 'filter-bubbles-trend-oracle']);
    expect(bubbles?.finding).toContain('Under greedy, the popularity of what is shown rose 0.8 percentile points a day (95% CI 0.3 to 1.3);');
    expect(bubbles?.finding).toContain("Against the oracle baseline (oracle, 0.02 Jaccard), greedy's homogenization was 43% higher");
    expect(report.sections.find((s) => s.id === 'short-long')?.charts).toEqual(['short-term', 'long-term', 'tradeoff', 'short-long-trend-oracle']);
    expect(report.legendLabels).toContain('oracle (oracle baseline)');
    expect(report.legendLabels).not.toContain('oracle');
  });

  it('fits the experiment summary table into a 1400 px wide window, without horizontal scrolling', async () => {
    const page = await browser.newPage();
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      await page.goto(pathToFileURL(compare.html).href);
      const size = (await page.evaluate(`(() => {
        const wrap = document.querySelector('.table-wrap');
        const table = wrap.querySelector('table');
        return { scroll: wrap.scrollWidth, client: wrap.clientWidth, table: table.getBoundingClientRect().width, page: document.documentElement.scrollWidth, columns: table.querySelectorAll('thead th').length };
      })()`)) as { scroll: number; client: number; table: number; page: number; columns: number };
      expect(size.columns).toBe(6);
      expect(size.scroll).toBeLessThanOrEqual(size.client);
      expect(size.page).toBeLessThanOrEqual(1400);
    } finally {
      await page.close();
    }
  });

  it('notices a chart that fails (the checks above can fail)', async () => {
    const broken = join(tempDir(), 'broken.html');
    // The first chart's data (in the inlined specs, after the Vega runtime) gets a transform Vega does not know.
    const original = readFileSync(run.html, 'utf8');
    const specs = original.indexOf('id="recloop-specs"');
    const html = original.slice(0, specs) + original.slice(specs).replace('"data":[', '"data":[{"name":"boom","transform":[{"type":"no-such-transform"}]},');
    writeFileSync(broken, html);
    const report = await open(broken);
    expect(report.charts[0].state).toBe('failed');
    expect(report.console.some((m) => m.startsWith('error'))).toBe(true);
  });
});

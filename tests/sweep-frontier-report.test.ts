/**
 * The frontier chart from a real sweep: `recloop sweep` over the weight of a score formula with
 * a named parameter (three cells, two seeds, a tiny two-stage world over three days), then the
 * report it writes, opened in headless Chromium (see report-browser.test.ts): the "Trade-off
 * frontier" section opens with a sentence naming the efficient cells, and its chart renders one
 * point and one label per cell, offline and without console noise.
 */
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/experiment/comparison.js';
import { CHROMIUM_ARGS, chromiumExecutable } from './support/chromium.js';
import { cli } from './support/run-cli.js';
import { tempDir } from './support/scenarios.js';

const SCENARIO = `
name: tiny-frontier
seed: 5
horizon: { days: 3 }
schedule: { kind: continuous, batch_window: 1m }
world:
  topics: 6
  users: { count: 100, signups_per_day: 5 }
  items: { count: 120, uploads_per_day: 10, creators: 20, clickbait_share: 0.2 }
  affinity: { clickbait_appeal: 1.5 }
recommender:
  kind: two_stage
  slate_size: 5
  random_startup: 1d
  candidates:
    - { source: two_tower, k: 30 }
    - { source: popularity, k: 10 }
  two_tower: { dim: 8, epochs: 1 }
  ranker: { hidden: [8], epochs: 1 }
  score: "w*click + (1-w)*(0.5*complete + 0.5*survey)"
  score_params: { w: 0.5 }
report: { frontier: { x: ctr, y: mean_true_satisfaction } }
`;
const CELLS = ['0', '0.5', '1'].map((w) => `recommender.score_params.w=${w}`);

let browser: BrowserContext | undefined;
let profile: string | undefined;
let out: string;
let printed: string;

beforeAll(async () => {
  const dir = tempDir('recloop-frontier-');
  const file = join(dir, 'tiny.yaml');
  writeFileSync(file, SCENARIO);
  out = join(dir, 'sweep');
  const sweep = await cli(['sweep', file, '--grid', 'recommender.score_params.w=0,0.5,1', '--seeds', '2', '--out', out, '--workers', '2']);
  expect(sweep.err).toContain('3 cells × 2 seeds');
  expect(sweep.code).toBe(0);
  printed = sweep.out;
  profile = mkdtempSync(join(tmpdir(), 'recloop-chromium-'));
  browser = await chromium.launchPersistentContext(profile, { executablePath: await chromiumExecutable(), headless: true, args: [...CHROMIUM_ARGS], viewport: { width: 1280, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('a sweep over a score weight', () => {
  it('names each cell by the weight and compares them over the seeds', () => {
    const comparison = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8')) as Comparison;
    expect(comparison.arms.map((a) => a.name)).toEqual(CELLS);
    for (const cell of CELLS) expect(comparison.metrics.mean_true_satisfaction.arms[cell].ci95).not.toBeNull();
    const markdown = readFileSync(join(out, 'summary.md'), 'utf8');
    const sentence = /## Trade-off frontier\n\n(.+)\n/.exec(markdown)?.[1] ?? '';
    expect(sentence).toMatch(/the frontier of true satisfaction per click against click-through rate/);
    // The command prints it too, after the comparison table.
    expect(printed).toContain(`\nTrade-off frontier: ${sentence}\n`);
  });

  it("draws the frontier in report.html: one point and one label per cell, under the sentence naming the frontier's cells", async () => {
    const page = await (browser as BrowserContext).newPage();
    const messages: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') messages.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    try {
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      await page.waitForSelector('body[data-charts="done"]', { timeout: 30_000 });
      // Strings, not functions: the project's tsconfig has no DOM types.
      const section = (await page.evaluate(`(() => {
        const s = document.querySelector('section#frontier');
        if (!s) return null;
        const view = s.querySelector('.view[data-chart="sweep-frontier"]');
        const svg = view && view.querySelector('svg');
        return {
          heading: s.querySelector('h2').innerText,
          finding: s.querySelector('.finding') ? s.querySelector('.finding').innerText : '',
          state: view ? view.getAttribute('data-state') : 'missing',
          points: svg ? svg.querySelectorAll('g.frontier_cells_marks path').length : 0,
          labels: svg ? Array.from(svg.querySelectorAll('g.mark-text.role-mark text')).map((t) => t.textContent) : [],
          bars: svg ? svg.querySelectorAll('g.mark-rule.role-mark line, g.mark-rule.role-mark path').length : 0,
        };
      })()`)) as { heading: string; finding: string; state: string; points: number; labels: string[]; bars: number } | null;
      expect(section).not.toBeNull();
      expect(section?.heading).toBe('Trade-off frontier');
      expect(section?.state).toBe('rendered');
      expect(section?.points).toBe(CELLS.length);
      expect([...(section?.labels ?? [])].sort()).toEqual(['w=0', 'w=0.5', 'w=1']);
      // Two error bars per cell (x and y), each cell's interval over two seeds.
      expect(section?.bars).toBe(2 * CELLS.length);
      // The sentence names at least one cell on the frontier, and only cells of the grid.
      expect(section?.finding).toMatch(/frontier of true satisfaction per click against click-through rate/);
      const named = [...(section?.finding ?? '').matchAll(/w=\d+(?:\.\d+)?/g)].map((m) => m[0]);
      expect(named.length).toBeGreaterThan(0);
      for (const label of named) expect(['w=0', 'w=0.5', 'w=1']).toContain(label);
      expect(messages).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

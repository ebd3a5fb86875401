/**
 * `recloop report` end to end on real output: a population run, a bandit run and an experiment
 * (twin worlds, two arms × two seeds) as the simulator writes them today, so the report keeps
 * reading what the other commands write. The input formats are also pinned at compile time:
 * the experiment's Comparison and OPE's OpeReport must satisfy the report's schemas.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Comparison } from '../src/experiment/comparison.js';
import type { OpeReport } from '../src/ope/run-ope.js';
import type { ComparisonInput, OpeInput } from '../src/report/index.js';
import { writeSyntheticCompare, writeSyntheticRun } from './support/report-fixtures.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';


function file(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The writers' types are deeply readonly; the schemas' input types are not. */
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

describe('report input formats', () => {
  it('accepts what recloop compare and recloop ope write (checked by the type checker)', () => {
    expectTypeOf<Comparison>().toExtend<DeepReadonly<ComparisonInput>>();
    expectTypeOf<OpeReport>().toExtend<DeepReadonly<OpeInput>>();
  });
});

describe('recloop report', () => {
  it('reports a run folder written with --no-report, into the folder or elsewhere, with or without PNGs', async () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    expect((await cli(['run', file(dir, 'small.yaml', SMALL_SCENARIO), '--out', run, '--no-report', '--no-logs'])).code).toBe(0);
    expect(existsSync(join(run, 'report.html'))).toBe(false);

    const { code, err } = await cli(['report', run]);
    expect(code).toBe(0);
    const charts = Number(/report: (\d+) charts → .*report\.html \(summary: .*summary\.md\)/.exec(err)?.[1]);
    expect(charts).toBeGreaterThanOrEqual(5);
    expect(readdirSync(join(run, 'charts')).filter((f) => f.endsWith('.png'))).toHaveLength(charts);
    expect(readFileSync(join(run, 'summary.md'), 'utf8')).toContain('| Click-through rate |');

    const elsewhere = join(dir, 'elsewhere');
    expect((await cli(['report', run, '--out', elsewhere, '--no-png'])).code).toBe(0);
    expect(readdirSync(elsewhere).sort()).toEqual(['charts', 'report.html', 'summary.md']);
    expect(readdirSync(join(elsewhere, 'charts')).every((f) => f.endsWith('.svg'))).toBe(true);
  });

  it('says what is wrong with a folder that is not a run, with exit code 2', async () => {
    const dir = tempDir();
    const { code, err } = await cli(['report', dir]);
    expect(code).toBe(2);
    expect(err).toContain('not a run folder');
  });

  it('reports a bandit run with rounds on the x axis and the Lai–Robbins bound', async () => {
    const dir = tempDir();
    const out = join(dir, 'bandit');
    const scenario = file(dir, 'bandit.yaml', readFileSync('scenarios/bandit.yaml', 'utf8'));
    const { code } = await cli(['run', scenario, '--out', out, '--set', 'world.rounds=5000']);
    expect(code).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Lai–Robbins bound');
    expect(html).toContain('"title":"Round"');
    expect(readdirSync(join(out, 'charts')).sort()).toEqual([
      'exploration-learning.png',
      'exploration-learning.svg',
      'exploration-regret.png',
      'exploration-regret.svg',
    ]);
  });

  it('reports a real experiment: arms with intervals, the difference chart, the breached guardrail', async () => {
    const dir = tempDir();
    const scenario = file(
      dir,
      'compare.yaml',
      `${SMALL_SCENARIO.replace('days: 4', 'days: 3')}
replicas: 2
experiment:
  control: popularity
  arms:
    popularity: {}
    random: { kind: random }
  guardrails: { ctr: 0.05 }
`,
    );
    const out = join(dir, 'compare');
    expect((await cli(['compare', scenario, '--out', out, '--workers', '0'])).code).toBe(0);
    const { code } = await cli(['report', out, '--no-png']);
    expect(code).toBe(0);
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(md).toContain('| Metric | popularity (control) | random | random − popularity |');
    expect(md).toMatch(/\| Click-through rate \| [\d.]+% \[[\d.]+%, [\d.]+%\] \| [\d.]+% \[/);
    expect(md).toContain('⚠ guardrail breached');
    expect(readdirSync(join(out, 'charts'))).toContain('experiment-diffs.svg');
  });

  it('overlays several run folders in one report, a series per run named by its folder', async () => {
    const dir = tempDir();
    const a = writeSyntheticRun(join(dir, 'epsilon'));
    const b = writeSyntheticRun(join(dir, 'thompson'));
    const out = join(dir, 'both');
    const { code, err } = await cli(['report', a, b, '--out', out, '--no-png']);
    expect(code, err).toBe(0);
    const svg = readFileSync(join(out, 'charts', 'short-term.svg'), 'utf8');
    const series = new Set([...svg.matchAll(/aria-label="[^"]*Run: ([^;"]+)[^"]*"[^>]*aria-roledescription="line mark"/g)].map((m) => m[1]));
    expect(series).toEqual(new Set(['epsilon', 'thompson']));
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| Metric | epsilon (mean) | thompson (mean) |');
    // The runs' own folders keep their own reports.
    expect(existsSync(join(a, 'report.html'))).toBe(false);
  });

  it('refuses to overlay what cannot be overlaid, naming the folder and what was expected', async () => {
    const dir = tempDir();
    const run = writeSyntheticRun(join(dir, 'run'));
    const compare = writeSyntheticCompare(join(dir, 'compare'));
    const bandit = join(dir, 'bandit');
    mkdirSync(bandit);
    writeFileSync(join(bandit, 'metrics.jsonl'), '{"round":100,"reward_rate":0.4}\n{"round":200,"reward_rate":0.5}\n');
    const out = ['--out', join(dir, 'out')];
    const noOut = await cli(['report', run, bandit]);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('2 run folders to overlay: say where the report goes (--out DIR)');
    const withCompare = await cli(['report', run, compare, ...out]);
    expect(withCompare.code).toBe(2);
    expect(withCompare.err).toContain(`${compare}: has comparison.json, but only run folders (metrics.jsonl) can be overlaid`);
    const mixed = await cli(['report', run, bandit, ...out]);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain(`${bandit}: counts rounds, but ${run} counts days`);
  });
});

/**
 * `recloop compare` end to end on a small world: popularity against random slates over two
 * replica seeds in twin worlds, on the main thread and in two worker processes (from the
 * TypeScript sources, through tsx), with the same comparison either way.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../src/experiment/comparison.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';


/** SMALL_SCENARIO (popularity after a one-day random start-up) against uniformly random slates. */
const COMPARE_SCENARIO = `${SMALL_SCENARIO}
replicas: 2
experiment:
  control: popularity
  arms:
    popularity: {}
    random: { kind: random }
  guardrails: { ctr: 0.05, impression_gini: { absolute: 0.05 } }
`;

function scenarioFile(dir: string, text = COMPARE_SCENARIO): string {
  const file = join(dir, 'compare.yaml');
  writeFileSync(file, text);
  return file;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('recloop compare', () => {
  it('writes one folder with every arm and replica, and finds popularity’s higher CTR', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const inline = join(dir, 'inline');
    const { code, out, err } = await cli(['compare', file, '--out', inline, '--workers', '0']);
    expect(err).toContain('4 jobs on no workers');
    expect(code).toBe(0);
    expect(readdirSync(inline).sort()).toEqual(['.recloop.json', 'arms', 'charts', 'comparison.json', 'experiment.json', 'report.html', 'scenario.resolved.yaml', 'summary.md']);
    expect(readdirSync(join(inline, 'arms', 'random')).sort()).toEqual(['seed-3', 'seed-4']);
    const rows = readFileSync(join(inline, 'arms', 'popularity', 'seed-4', 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(rows.map((row) => row.epoch)).toEqual([0, 1, 2, 3]);

    const comparison = readJson<Comparison>(join(inline, 'comparison.json'));
    expect(comparison).toMatchObject({ design: 'twin_worlds', control: 'popularity', seeds: [3, 4], difference: 'paired' });
    const ctr = comparison.metrics.ctr;
    expect(ctr.arms.popularity.replicas[1]).toBeCloseTo(rows.reduce((s, row) => s + row.ctr, 0) / rows.length, 12);
    // The paired interval of the difference is narrow (the CLI prints both arms' CTR, below).
    expect(ctr.arms.popularity.mean).toBeGreaterThan(ctr.arms.random.mean ?? Number.NaN);
    const diff = ctr.arms.random.vs_control;
    expect(diff?.ci95?.[1]).toBeLessThan(0);
    expect(diff?.relative).toBeLessThan(-0.05);
    // Random slates spread exposure: lower Gini, with an interval excluding 0.
    expect(comparison.metrics.impression_gini.arms.random.vs_control?.ci95?.[1]).toBeLessThan(0);
    expect(comparison.guardrails.map((g) => [g.metric, g.arm, g.status])).toEqual([
      ['ctr', 'random', 'breached'],
      ['impression_gini', 'random', 'ok'],
    ]);
    expect(out).toMatch(/^ctr\s+popularity\s+0\.\d+\s+0\.\d+\s+\(control\)$/m);
    expect(out).toMatch(/^\s+random\s+0\.\d+\s+0\.\d+\s+-0\.\d+\s+\[-0\.\d+, -0\.\d+\]\s+-\d+\.\d% \*$/m);
    expect(out).toContain('ctr random: at most 5.0% relative worsening');
    expect(out).toContain('→ BREACHED');

    // The same jobs in two worker processes give the very same comparison.
    const threaded = join(dir, 'threaded');
    const second = await cli(['compare', file, '--out', threaded, '--workers', '2']);
    expect(second.err).toContain('4 jobs on 2 workers');
    expect(second.code).toBe(0);
    expect(readFileSync(join(threaded, 'comparison.json'), 'utf8')).toBe(readFileSync(join(inline, 'comparison.json'), 'utf8'));
    expect(readFileSync(join(threaded, 'arms', 'random', 'seed-3', 'metrics.jsonl'), 'utf8')).toBe(
      readFileSync(join(inline, 'arms', 'random', 'seed-3', 'metrics.jsonl'), 'utf8'),
    );
    expect(readJson<{ workers: number }>(join(threaded, 'experiment.json')).workers).toBe(2);
  });

  it('leaves an existing folder alone without --force, and reports problems as user errors', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const out = join(dir, 'taken');
    const overrides = ['--set', 'horizon.days=1', '--replicas', '1', '--workers', '0'];
    expect((await cli(['compare', file, '--out', out, ...overrides])).code).toBe(0);
    const before = readFileSync(join(out, 'comparison.json'), 'utf8');
    const again = await cli(['compare', file, '--out', out, ...overrides, '--set', 'seed=9']);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists; pass --force');
    expect(readFileSync(join(out, 'comparison.json'), 'utf8')).toBe(before);
    expect((await cli(['compare', file, '--out', out, ...overrides, '--set', 'seed=9', '--force'])).code).toBe(0);
    expect(readJson<Comparison>(join(out, 'comparison.json')).seeds).toEqual([9]);

    const plain = await cli(['compare', scenarioFile(dir, SMALL_SCENARIO), '--out', join(dir, 'plain')]);
    expect(plain.code).toBe(2);
    expect(plain.err).toContain('no experiment section');
    const bad = await cli(['compare', scenarioFile(dir, COMPARE_SCENARIO.replace('random: { kind: random }', 'random: { kind: random, windw: 2 }')), '--out', join(dir, 'bad')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/compare\.yaml:\d+:\d+: experiment\.arms\.random\.windw: arm "random": unknown key "windw"/);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
    expect((await cli(['compare', file, '--workers', '-1'])).err).toContain('--workers: expected a whole number of 0 or more');
  });
});

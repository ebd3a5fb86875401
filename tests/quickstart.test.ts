/**
 * The quickstart (`npm start`: `recloop compare scenarios/quickstart.yaml --force`) at a reduced
 * size: 100 users and items over 8 days (2 of them the random start-up; 7-day retention, one of
 * its guardrails, is defined from day 8), its own three arms and two replica seeds, on two worker
 * processes as `npm start` runs them. What a newcomer is promised: one folder with every arm's
 * runs, the comparison with its guardrails, and the report with a sentence for each of the loop's
 * three failures. About 19 s on a 2-core machine at a load average of 3 (2 min under 9).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/experiment/comparison.js';
import { FAILURES } from '../src/report/failures.js';
import { tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';

const ARMS = ['greedy', 'epsilon_10', 'thompson'];
const REDUCED = [
  'world.users.count=100',
  'world.users.signups_per_day=2',
  'world.items.count=100',
  'world.items.uploads_per_day=3',
  'world.items.creators=20',
  'horizon.days=8',
];

let dir: string;
let result: { code: number; out: string; err: string };

beforeAll(async () => {
  dir = join(tempDir('recloop-quickstart-'), 'quickstart-compare');
  result = await cli(['compare', 'scenarios/quickstart.yaml', '--out', dir, '--workers', '2', ...REDUCED.flatMap((s) => ['--set', s])]);
}, 180_000);

describe('the quickstart, reduced', () => {
  it('runs every arm over two replica seeds into one folder', () => {
    expect(result.code, result.err).toBe(0);
    expect(result.err).toContain('6 jobs on 2 workers');
    expect(readdirSync(join(dir, 'arms')).sort()).toEqual([...ARMS].sort());
    for (const arm of ARMS) expect(readdirSync(join(dir, 'arms', arm)).sort(), arm).toEqual(['seed-41', 'seed-42']);
    for (const file of ['comparison.json', 'report.html', 'summary.md']) expect(existsSync(join(dir, file)), file).toBe(true);
  });

  it('compares the exploring arms with greedy, paired by seed, and judges every guardrail', () => {
    const comparison = JSON.parse(readFileSync(join(dir, 'comparison.json'), 'utf8')) as Comparison;
    expect(comparison).toMatchObject({ design: 'twin_worlds', control: 'greedy', seeds: [41, 42], difference: 'paired' });
    expect(comparison.arms.map((a) => a.name)).toEqual(ARMS);
    expect(comparison.guardrails.map((g) => `${g.metric}/${g.arm}`).sort()).toEqual(
      ['ctr', 'mean_true_satisfaction', 'retention_7d'].flatMap((m) => [`${m}/epsilon_10`, `${m}/thompson`]).sort(),
    );
    expect(comparison.guardrails_unavailable).toEqual([]);
    // ε-greedy over the catalog shows items greedy never would: wider coverage in both worlds.
    const coverage = comparison.metrics.catalog_coverage.arms;
    for (const [i, greedy] of coverage.greedy.replicas.entries()) expect(coverage.epsilon_10.replicas[i]).toBeGreaterThan(greedy ?? 1);
  });

  it('prints the table with each arm and the guardrail verdicts', () => {
    expect(result.out).toMatch(/^twin_worlds, 2 replicas, control greedy;/);
    const lines = result.out.split('\n');
    const ctr = lines.findIndex((line) => line.startsWith('ctr '));
    // The metric named on the control's row, then one row per exploring arm.
    expect(lines.slice(ctr, ctr + 3).map((line) => line.trim().split(/\s+/).at(line.startsWith('ctr') ? 1 : 0))).toEqual(ARMS);
    expect(result.out).toMatch(/^ {2}retention_7d thompson: at most 0\.02\d* absolute worsening; .* → (OK|UNCERTAIN|BREACHED)$/m);
  });

  it('writes the report with a section and a computed sentence for each failure of the loop', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const failure of FAILURES) {
      expect(html, failure.id).toMatch(new RegExp(`<section id="${failure.id}" class="charts">\\n<h2>${failure.title}</h2>\\n<p class="finding">(Against greedy|No arm differed)`));
    }
  });
});

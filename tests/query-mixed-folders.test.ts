/**
 * `recloop query` over an output/ like a user's: a population run, a bandit run, a compare
 * folder, an OPE folder, a folder of the user's own and a staging folder a killed run left,
 * all made by the real commands at tiny sizes. No folder of another kind breaks a query.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../src/query/index.js';
import { cli } from './support/run-cli.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';

let output: string;

async function ok(args: readonly string[]): Promise<void> {
  const { code, err } = await cli(args);
  expect(code, err).toBe(0);
}

beforeAll(async () => {
  const dir = tempDir('recloop-mixed-');
  output = join(dir, 'output');
  const small = join(dir, 'small.yaml');
  writeFileSync(small, `${SMALL_SCENARIO}experiment:\n  control: pop\n  arms:\n    pop: {}\n    rand: { kind: random }\n`);
  const ope = join(dir, 'ope.yaml');
  writeFileSync(ope, readFileSync('scenarios/ope-random-to-popularity.yaml', 'utf8'));
  const bandit = join(dir, 'bandit.yaml');
  writeFileSync(bandit, readFileSync('scenarios/bandit.yaml', 'utf8'));
  const tiny = ['--set', 'horizon.days=2', '--no-report'];
  await ok(['run', small, '--out', join(output, 'small'), ...tiny]);
  await ok(['run', bandit, '--out', join(output, 'bandit'), '--set', 'world.rounds=3000', '--no-report']);
  await ok(['compare', small, '--out', join(output, 'small-compare'), ...tiny, '--workers', '0', '--replicas', '1']);
  await ok(['ope', ope, '--out', join(output, 'small-ope'), '--set', 'world.users.count=200', '--set', 'ope.bootstrap=10']);
  mkdirSync(join(output, 'notes'));
  writeFileSync(join(output, 'notes', 'todo.txt'), 'not a run');
  mkdirSync(join(output, '.small.tmp-1-1'));
  writeFileSync(join(output, '.small.tmp-1-1', 'metrics.jsonl'), 'half written');
});

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const { code, out, err } = await cli(['query', sql, '--runs', output, '--format', 'json']);
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out) as Record<string, unknown>[];
}

describe('recloop query over every kind of folder', () => {
  it('lists the population run, the bandit run and the compare arms; the OPE folder, the user\'s folder and the staging folder are passed over', async () => {
    const rows = await query('SELECT run, scenario, seed, recommender, days, epochs FROM runs ORDER BY run');
    expect(rows).toEqual([
      { run: 'bandit', scenario: 'bandit', seed: 1, recommender: 'thompson', days: null, epochs: null },
      { run: 'small', scenario: 'small', seed: 3, recommender: 'popularity', days: 2, epochs: 2 },
      // Compare arms keep only their metrics, so their runs rows have the name alone.
      { run: 'small-compare/arms/pop/seed-3', scenario: null, seed: null, recommender: null, days: null, epochs: null },
      { run: 'small-compare/arms/rand/seed-3', scenario: null, seed: null, recommender: null, days: null, epochs: null },
    ]);
  });

  it('reads the bandit run\'s rounds beside the population runs\' epochs in one metrics table', async () => {
    const rows = await query('SELECT run, count(*)::INTEGER AS rows, max(epoch)::INTEGER AS last_epoch, max(round)::INTEGER AS last_round FROM metrics GROUP BY run ORDER BY run');
    expect(rows).toEqual([
      { run: 'bandit', rows: 3, last_epoch: null, last_round: 3000 },
      { run: 'small', rows: 2, last_epoch: 1, last_round: null },
      { run: 'small-compare/arms/pop/seed-3', rows: 2, last_epoch: 1, last_round: null },
      { run: 'small-compare/arms/rand/seed-3', rows: 2, last_epoch: 1, last_round: null },
    ]);
  });

  it('summary holds the population run\'s metrics only, with the values of its summary.json', async () => {
    const rows = await query("SELECT run, last FROM summary WHERE metric = 'impressions'");
    const summary = JSON.parse(readFileSync(join(output, 'small', 'summary.json'), 'utf8')) as { last: Record<string, number> };
    expect(rows).toEqual([{ run: 'small', last: summary.last.impressions }]);
  });

  it('loadRun on a bandit run says what it is instead of failing on its summary', async () => {
    await expect(loadRun(join(output, 'bandit'))).rejects.toThrow(/a bandit run .*loadRun reads population runs/);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it, vi } from 'vitest';
import { runScenario } from '../src/run/run-scenario.js';
import { SMALL_SCENARIO, smallScenario, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';


function scenarioFile(dir: string, text = SMALL_SCENARIO): string {
  const file = join(dir, 'small.yaml');
  writeFileSync(file, text);
  return file;
}

describe('recloop run', () => {
  it('writes the resolved scenario, metrics, summary and Parquet impressions that add up', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const { code, out: stdout, err } = await cli(['run', scenarioFile(dir), '--out', out, '--set', 'horizon.days=2']);
    expect(err).toContain('2 epochs');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ctr\s+[\d.]+ → [\d.]+/);
    expect(readdirSync(out).sort()).toEqual(['.recloop.json', 'charts', 'impressions', 'metrics.jsonl', 'report.html', 'run.json', 'scenario.resolved.yaml', 'summary.json', 'summary.md', 'timings.jsonl']);
    const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
    expect(rows.map((r) => r.epoch)).toEqual([0, 1]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { totals: Record<string, number> };
    expect(summary.totals.impressions).toBe(rows[0].impressions + rows[1].impressions);
    expect(readFileSync(join(out, 'scenario.resolved.yaml'), 'utf8')).toContain('days: 2');

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const reader = await conn.runAndReadAll(
      `SELECT epoch, count(*)::INTEGER AS n, sum(clicked::INTEGER)::INTEGER AS clicks FROM read_parquet('${join(out, 'impressions', '*.parquet')}') GROUP BY epoch ORDER BY epoch`,
    );
    expect(reader.getRowObjects()).toEqual(rows.map((r) => ({ epoch: r.epoch, n: r.impressions, clicks: r.clicks })));
    conn.closeSync();
  });

  it('never overwrites a run without --force, and replaces it with --force', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const file = scenarioFile(dir);
    expect((await cli(['run', file, '--out', out, '--set', 'horizon.days=1', '--no-logs'])).code).toBe(0);
    const before = readFileSync(join(out, 'summary.json'), 'utf8');
    const again = await cli(['run', file, '--out', out, '--set', 'horizon.days=1', '--seed', '9']);
    expect(again.code).toBe(2);
    expect(again.err).toContain('already exists; pass --force');
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'impressions'))).toBe(false); // --no-logs
    expect((await cli(['run', file, '--out', out, '--set', 'horizon.days=1', '--seed', '9', '--force'])).code).toBe(0);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toBe(before);
    expect(readdirSync(dir).sort()).toEqual(['run', 'small.yaml']); // no staging folders left behind
  });

  it('a run that fails part-way leaves the earlier run intact and no staging folder', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    await runScenario(smallScenario(['horizon.days=1']), { outDir: out });
    const before = readFileSync(join(out, 'metrics.jsonl'), 'utf8');
    const failing = runScenario(smallScenario(['horizon.days=3', 'seed=5']), {
      outDir: out,
      force: true,
      onEpoch: (e) => {
        if (e.bounds.epoch === 1) throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(readFileSync(join(out, 'metrics.jsonl'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['run']);
  });

  it('a bad scenario fails before anything is written, naming file and line, without a stack trace', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir, SMALL_SCENARIO.replace('count: 300', 'count: -3'));
    const { code, err } = await cli(['run', file, '--out', join(dir, 'run')]);
    expect(code).toBe(2);
    expect(err).toContain(`${file}:8`); // the users line of SMALL_SCENARIO
    expect(err).toContain('world.users.count');
    expect(err).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });
});

describe('the command line', () => {
  it('lists every command in --help, and each one named alone gives its own help', async () => {
    // yargs prints help with console.log, not through the command line's streams.
    const help = async (args: string[]) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        const { code } = await cli(args);
        return { code, out: log.mock.calls.map((call) => call.join(' ')).join('\n') };
      } finally {
        log.mockRestore();
      }
    };
    const all = await help(['--help']);
    expect(all.code).toBe(0);
    const words = [...all.out.matchAll(/^ {2}recloop ([a-z-]+)/gm)].map((m) => m[1]);
    expect(words).toEqual(['run', 'compare', 'sweep', 'merge', 'ope', 'ope-log', 'replay', 'import', 'fit', 'fit-check', 'report', 'validate', 'query', 'init', 'classic']);
    // Only the named command is loaded: a word pointing at another command's module would leave its own unknown.
    for (const word of words) {
      const own = await help([word, '--help']);
      expect(own.code, word).toBe(0);
      expect(own.out.split('\n')[0], word).toMatch(new RegExp(`^recloop ${word}( |$)`));
    }
  });

  it('an unknown command is refused, naming it, exit code 2', async () => {
    const { code, err } = await cli(['rnu', 'scenarios/popularity.yaml']);
    expect(code).toBe(2);
    expect(err).toContain('rnu');
  });
});

describe('recloop validate', () => {
  it('accepts the shipped scenarios and prints the resolved form on request', async () => {
    for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const { code, out } = await cli(['validate', join('scenarios', file)]);
      expect(code, file).toBe(0);
      expect(out).toContain('valid scenario');
    }
    const printed = await cli(['validate', 'scenarios/quickstart.yaml', '--print']);
    expect(printed.out).toContain('slate_size: 10');
  });

  it('runs as a real process with the exit code and message a shell sees', () => {
    const dir = tempDir();
    const file = scenarioFile(dir, 'name: t\nhorizon: { days: 3 }\nrecommender: { kind: popularity, slate_sise: 5 }\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'validate', file], { encoding: 'utf8' });
    expect(child.status).toBe(2);
    expect(child.stderr).toContain(`${file}:3`);
    expect(child.stderr).toContain('slate_sise');
    expect(child.stderr).not.toMatch(/\n\s+at /);
  });
});

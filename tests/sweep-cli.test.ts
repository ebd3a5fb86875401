/**
 * `recloop sweep` and `recloop merge` end to end on a small world (2 days): a grid of two slate
 * sizes × two seeds, run at once, on two worker processes, and as two shards merged; each
 * cell and seed is the run `recloop run` makes with those values; the folder is read by the
 * report and by queries; bad grids and mismatched slices fail with nothing written.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../src/experiment/comparison.js';
import { RunQuery, rowObjects } from '../src/query/index.js';
import { loadReportData } from '../src/report/index.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';

const GRID = ['--grid', 'recommender.slate_size=3,6', '--seeds', '2', '--set', 'horizon.days=2', '--no-report'];
const CELLS = ['recommender.slate_size=3', 'recommender.slate_size=6'];
/** Wall-clock figures, workers and which slice ran what: the one file that may differ. */
const WALL_CLOCK = 'experiment.json';

function scenarioFile(dir: string, text = SMALL_SCENARIO): string {
  const file = join(dir, 'small.yaml');
  writeFileSync(file, text);
  return file;
}

/** Every file below a folder, by relative path. */
function files(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (here: string): void => {
    for (const name of readdirSync(here).sort()) {
      const path = join(here, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/** The relative paths whose bytes differ (or that only one folder has). */
function differences(a: string, b: string): string[] {
  const fa = files(a);
  const fb = files(b);
  const names = [...new Set([...fa.keys(), ...fb.keys()])].sort();
  return names.filter((name) => !(fa.get(name)?.equals(fb.get(name) ?? Buffer.alloc(0)) ?? false));
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

describe('recloop sweep', () => {
  it('runs every cell × seed into one compare-like folder, each job the run recloop run makes', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const out = join(dir, 'sweep');
    const { code, out: printed, err } = await cli(['sweep', file, ...GRID, '--out', out, '--workers', '0']);
    expect(err).toContain('small sweep: 4 jobs (2 cells × 2 seeds) on no workers');
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.recloop.json', 'arms', 'comparison.json', 'experiment.json', 'scenario.resolved.yaml', 'sweep.json']);
    expect(readdirSync(join(out, 'arms')).sort()).toEqual(CELLS);
    expect(readdirSync(join(out, 'arms', CELLS[1])).sort()).toEqual(['seed-3', 'seed-4']);

    // A cell and seed is `recloop run --set <the cell's value> --seed <seed>`, byte for byte.
    const job = join(out, 'arms', CELLS[1], 'seed-4');
    const run = join(dir, 'run');
    const single = await cli(['run', file, '--out', run, '--set', 'horizon.days=2', '--set', 'recommender.slate_size=6', '--seed', '4', '--no-logs', '--no-report']);
    expect(single.code).toBe(0);
    for (const name of ['metrics.jsonl', 'summary.json', 'scenario.resolved.yaml']) {
      expect(readFileSync(join(job, name), 'utf8'), name).toBe(readFileSync(join(run, name), 'utf8'));
    }

    const comparison = readJson<Comparison>(join(out, 'comparison.json'));
    expect(comparison).toMatchObject({ control: CELLS[0], seeds: [3, 4], difference: 'paired' });
    expect(comparison.arms.map((a) => [a.name, a.role])).toEqual([[CELLS[0], 'control'], [CELLS[1], 'treatment']]);
    // Six slots spread clicks over more impressions than three: a lower CTR, the interval below 0.
    expect(comparison.metrics.ctr.arms[CELLS[1]].vs_control?.ci95?.[1]).toBeLessThan(0);
    const summary = readJson<{ mean: Record<string, number> }>(join(job, 'summary.json'));
    expect(comparison.metrics.ctr.arms[CELLS[1]].replicas[1]).toBeCloseTo(summary.mean.ctr, 12);
    expect(printed).toMatch(/^ctr\s+recommender\.slate_size=3\s+0\.\d+/m);
    expect(readJson<{ fingerprint: string; cells: unknown[] }>(join(out, 'sweep.json'))).toMatchObject({ seeds: [3, 4], jobs: 4, grid: [{ key: 'recommender.slate_size', values: ['3', '6'] }] });

    // The report reads it as a compare folder, the cells as arms; queries see each job as a run.
    const report = await loadReportData(out);
    expect(report.kind).toBe('compare');
    expect(report.arms).toEqual(CELLS);
    const query = await RunQuery.open([out]);
    try {
      const rows = rowObjects(await query.query("SELECT run, seed, epochs FROM runs ORDER BY run"));
      expect(rows).toEqual([
        { run: `arms/${CELLS[0]}/seed-3`, seed: 3, epochs: 2 },
        { run: `arms/${CELLS[0]}/seed-4`, seed: 4, epochs: 2 },
        { run: `arms/${CELLS[1]}/seed-3`, seed: 3, epochs: 2 },
        { run: `arms/${CELLS[1]}/seed-4`, seed: 4, epochs: 2 },
      ]);
    } finally {
      query.close();
    }

    // On two worker processes: the same files.
    const pooled = join(dir, 'pooled');
    const second = await cli(['sweep', file, ...GRID, '--out', pooled, '--workers', '2']);
    expect(second.err).toContain('4 jobs (2 cells × 2 seeds) on 2 workers');
    expect(differences(out, pooled)).toEqual([WALL_CLOCK]);
  });

  it('as two shards merged gives the same files as at once, experiment.json aside', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const whole = join(dir, 'whole');
    expect((await cli(['sweep', file, ...GRID, '--out', whole, '--workers', '0'])).code).toBe(0);
    const slices = [0, 1].map((i) => join(dir, `slice-${i}`));
    for (const [i, slice] of slices.entries()) {
      const shard = await cli(['sweep', file, ...GRID, '--out', slice, '--workers', '0', '--shard', `${i}/2`]);
      expect(shard.err).toContain(`small sweep shard ${i}/2: 2 jobs (of 2 cells × 2 seeds)`);
      expect(shard.code).toBe(0);
    }
    // Round robin: shard 0 has jobs 0 and 2, the first seed of each cell.
    expect(readJson<{ jobs: number[] }>(join(slices[0], 'slice.json')).jobs).toEqual([0, 2]);
    expect(existsSync(join(slices[0], 'arms', CELLS[1], 'seed-3'))).toBe(true);
    expect(existsSync(join(slices[0], 'arms', CELLS[1], 'seed-4'))).toBe(false);
    expect(existsSync(join(slices[0], 'comparison.json'))).toBe(false);

    const merged = join(dir, 'merged');
    const merge = await cli(['merge', slices[1], slices[0], '--out', merged, '--no-report']);
    expect(merge.err).toContain('merged 2 slices (4 jobs)');
    expect(merge.code).toBe(0);
    expect(differences(whole, merged)).toEqual([WALL_CLOCK]);
    expect(readJson<{ slices: { shard: string }[] }>(join(merged, WALL_CLOCK)).slices.map((s) => s.shard)).toEqual(['1/2', '0/2']);
  });

  it('refuses slices of another sweep, missing or repeated shards, with nothing written', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const slice = async (name: string, shard: string, ...extra: string[]): Promise<string> => {
      const out = join(dir, name);
      expect((await cli(['sweep', file, ...GRID, '--out', out, '--workers', '0', '--shard', shard, ...extra])).code).toBe(0);
      return out;
    };
    const a0 = await slice('a0', '0/2');
    const a1 = await slice('a1', '1/2');
    const other = await slice('b1', '1/2', '--seed', '9');
    const thirds = await slice('c1', '1/3');
    const out = join(dir, 'merged');
    const refused = async (args: string[], text: string): Promise<void> => {
      const { code, err } = await cli(['merge', ...args, '--out', out, '--no-report']);
      expect(err).toContain(text);
      expect(code).toBe(2);
      expect(existsSync(out)).toBe(false);
    };
    await refused([a0, other], `${other}: a slice of another sweep than ${a0} (fingerprint`);
    await refused([a0], `missing shard 1/2 of small's sweep (given: 0/2)`);
    await refused([a0, a1, a1], `shard 1/2 is given 2 times: ${a1}, ${a1}`);
    await refused([a0, thirds], `${thirds}: shard 1/3, but ${a0} is shard 0/2`);
    await refused([a0, dir], `${dir}: not a sweep slice: no slice.json`);
    // A slice that lost a job's folder.
    rmSync(join(a1, 'arms', CELLS[0], 'seed-4'), { recursive: true });
    await refused([a0, a1], `${a1}: job 1 (${CELLS[0]}, seed 4) has no metrics.jsonl`);
  });

  it('names the --grid behind a bad key or value, writes nothing, and compares cells of different lengths', async () => {
    const dir = tempDir();
    const file = scenarioFile(dir);
    const out = join(dir, 'bad');
    const unknown = await cli(['sweep', file, '--grid', 'recommender.windw=1,2', '--out', out, '--workers', '0']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^--grid recommender\.windw=1: unknown key "windw".*did you mean "window"/m);
    const value = await cli(['sweep', file, '--grid', 'recommender.slate_size=5,many', '--out', out, '--workers', '0']);
    expect(value.code).toBe(2);
    expect(value.err).toMatch(/^--grid recommender\.slate_size=many: .*expected/m);
    expect(value.err).not.toContain('slate_size=5');
    const reserved = await cli(['sweep', file, '--grid', 'seed=1,2', '--out', out]);
    expect(reserved.err).toContain('--grid seed: cannot be swept');
    expect((await cli(['sweep', file, '--grid', 'recommender.slate_size=5', '--seeds', '0', '--out', out])).err).toContain('--seeds: expected a whole number of 1 or more');
    expect(existsSync(out)).toBe(false);

    // Cells of 1 and 2 days: per-replica means compare; epoch by epoch only where the days match.
    const lengths = join(dir, 'lengths');
    const run = await cli(['sweep', file, '--grid', 'horizon.days=1,2', '--seeds', '2', '--out', lengths, '--workers', '0', '--no-report']);
    expect(run.code).toBe(0);
    const ctr = readJson<Comparison>(join(lengths, 'comparison.json')).metrics.ctr.arms['horizon.days=2'];
    expect(ctr.series.day_end).toEqual([1, 2]);
    // Day 1 is the same random start-up in the same worlds; day 2 has no control epoch to pair with.
    expect(ctr.series.diff).toEqual([0, null]);
    expect(ctr.vs_control?.diff).not.toBe(0);
    // The 2-day cell's runs, expected to take longer, started first; the jobs are listed in grid order.
    const info = readJson<{ jobs: { job: number; cell: string; seed: number }[] }>(join(lengths, 'experiment.json'));
    expect(info.jobs.map((j) => [j.job, j.cell])).toEqual([
      [0, 'horizon.days=1'],
      [1, 'horizon.days=1'],
      [2, 'horizon.days=2'],
      [3, 'horizon.days=2'],
    ]);
  });
});

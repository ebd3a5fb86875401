/**
 * Bad input a new user types: whole-number options given something else, and scenarios with
 * nothing to show or nobody to show it to. Each ends in one line that says what was expected,
 * exit code 2, and nothing written.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';
import { cli } from './support/run-cli.js';

function setup(text = SMALL_SCENARIO): { dir: string; file: string; out: string } {
  const dir = tempDir();
  const file = join(dir, 'small.yaml');
  writeFileSync(file, text);
  return { dir, file, out: join(dir, 'out') };
}

async function refused(args: readonly string[], dir: string): Promise<string> {
  const { code, err } = await cli(args);
  expect(code, err).toBe(2);
  expect(err.trim().split('\n')).toHaveLength(1);
  expect(err).not.toMatch(/NaN|\n\s+at /);
  expect(readdirSync(dir)).toEqual(['small.yaml']);
  return err.trim();
}

const EXPERIMENT = `experiment:\n  control: a\n  arms:\n    a: {}\n    b: { kind: random }\n`;

describe('whole-number options', () => {
  it('--seed abc says --seed expects a whole number and what it got, in every command that takes it', async () => {
    const { dir, file, out } = setup(SMALL_SCENARIO + EXPERIMENT);
    for (const command of ['run', 'compare', 'ope']) {
      expect(await refused([command, file, '--out', out, '--seed', 'abc'], dir)).toBe('--seed: expected a whole number, found "abc"');
    }
    expect(await refused(['sweep', file, '--grid', 'recommender.slate_size=3,5', '--out', out, '--seed', 'abc'], dir)).toBe('--seed: expected a whole number, found "abc"');
  });

  it('--seed 1.5, --seed twice, --workers abc, --replicas 0 and --seeds x are refused the same way', async () => {
    const { dir, file, out } = setup(SMALL_SCENARIO + EXPERIMENT);
    expect(await refused(['run', file, '--out', out, '--seed', '1.5'], dir)).toBe('--seed: expected a whole number, found "1.5"');
    expect(await refused(['run', file, '--out', out, '--seed', '1', '--seed', '2'], dir)).toBe('--seed: given 2 times (1, 2); give it once');
    expect(await refused(['run', file, '--out', out, '--workers', 'abc'], dir)).toBe('--workers: expected a whole number of 1 or more, found "abc"');
    expect(await refused(['run', file, '--out', out, '--workers', '0'], dir)).toBe('--workers: expected a whole number of 1 or more, found 0');
    expect(await refused(['compare', file, '--out', out, '--replicas', '0'], dir)).toBe('--replicas: expected a whole number of 1 or more, found 0');
    expect(await refused(['compare', file, '--out', out, '--workers', '-1'], dir)).toBe('--workers: expected a whole number of 0 or more, found -1');
    expect(await refused(['sweep', file, '--grid', 'recommender.slate_size=3,5', '--out', out, '--seeds', 'x'], dir)).toBe('--seeds: expected a whole number of 1 or more, found "x"');
  });

  it('an option given twice is refused (yargs would pass on a list as a path), list options excepted', async () => {
    const { dir, file, out } = setup();
    expect(await refused(['run', file, '--out', out, '--out', join(dir, 'other')], dir)).toBe(`--out: given 2 times (${out}, ${join(dir, 'other')}); give it once`);
    expect(await refused(['run', file, '--out', out, '--set', 'horizon.days=1', '--set', 'world.items.count=0', '--set', 'world.items.uploads_per_day=0'], dir)).toContain('nothing to show');
  });

  it('an empty --out is refused before the run', async () => {
    const { dir, file } = setup();
    expect(await refused(['run', file, '--out', ''], dir)).toBe('--out is empty; expected the folder to write, e.g. --out output/my-run');
  });

  it('a negative seed is a whole number and runs', async () => {
    const { file, out } = setup();
    const { code, err } = await cli(['run', file, '--out', out, '--seed', '-3', '--set', 'horizon.days=1', '--no-logs', '--no-report']);
    expect(code, err).toBe(0);
  });
});

describe('scenarios with nothing to show or nobody to show it to', () => {
  it('zero items and no uploads', async () => {
    const { dir, file, out } = setup(SMALL_SCENARIO.replace('items: { count: 400, uploads_per_day: 40, creators: 40 }', 'items: { count: 0, creators: 40 }'));
    const err = await refused(['run', file, '--out', out], dir);
    expect(err).toContain(`${file}:9:19: world.items.count: world.items.count is 0 and world.items.uploads_per_day is 0, so there is nothing to show`);
  });

  it('zero items is fine when items are uploaded', async () => {
    const { file } = setup(SMALL_SCENARIO.replace('count: 400, uploads_per_day: 40', 'count: 0, uploads_per_day: 40'));
    const { code, err } = await cli(['validate', file]);
    expect(code, err).toBe(0);
  });

  it('zero users and no sign-ups (from --set)', async () => {
    const { dir, file, out } = setup();
    const err = await refused(['run', file, '--out', out, '--set', 'world.users.count=0', '--set', 'world.users.signups_per_day=0'], dir);
    expect(err).toContain('world.users.count is 0 and world.users.signups_per_day is 0, so there is nobody to show anything to');
    expect(err).toMatch(/^--set world\.users\.(count|signups_per_day)/);
  });

  it('a slate larger than a catalog that never grows', async () => {
    const { dir, file, out } = setup(SMALL_SCENARIO.replace('count: 400, uploads_per_day: 40', 'count: 4'));
    const err = await refused(['run', file, '--out', out], dir);
    expect(err).toContain(
      `${file}:12:15: recommender.slate_size: recommender.slate_size (5) is larger than the catalog (world.items.count: 4), which never grows (world.items.uploads_per_day is 0), so every slate would be short; set recommender.slate_size to at most 4`,
    );
  });

  it("an experiment arm's own slate_size larger than the catalog is reported at the arm", async () => {
    const { dir, file, out } = setup(SMALL_SCENARIO.replace('count: 400, uploads_per_day: 40', 'count: 6') + `experiment:\n  control: a\n  arms:\n    a: {}\n    b: { slate_size: 8 }\n`);
    const err = await refused(['compare', file, '--out', out], dir);
    expect(err).toContain(`${file}:18:22: experiment.arms.b.slate_size: arm "b": recommender.slate_size (8) is larger than the catalog`);
  });
});

describe('a run split over threads', () => {
  it('is refused before any work when every thread holding its own copy of the world would not fit the machine', async () => {
    // About 1.5 GiB on one thread: 64 copies fit no machine of this kind (tens of GiB).
    const { dir, file, out } = setup();
    const err = await refused([...['run', file, '--out', out, '--workers', '64'], ...['--set', 'world.users.count=200000', '--set', 'world.items.count=50000']], dir);
    expect(err).toMatch(/small\.yaml: on 64 threads the run needs about .* of memory .*more than this machine's .*\(or use fewer --workers\)$/);
  });
});

/**
 * The resource estimate before work: a scenario that cannot fit is refused by `run` and
 * `validate` alike, in one line with the estimate and the machine's memory, before anything is
 * written; a medium scenario is accepted; and the estimate is within a factor of two of the peak
 * memory two small real runs measure in processes of their own.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnyScenario, parseScenario } from '../src/scenario/index.js';
import { estimateRun, splitOverThreads } from '../src/run/resource-estimate.js';
import { estimateTraffic } from '../src/run/traffic-estimate.js';
import { totalmem } from 'node:os';
import { largeRunNote, resourceRefusal, runsAtOnce, type MachineMemory } from '../src/run/resource-check.js';
import type { ResourceEstimate } from '../src/run/resource-estimate.js';
import { checkRunsAtOnce } from '../src/cli/commands/runs-at-once.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';
import { Capture, cli } from './support/run-cli.js';

const GIB = 2 ** 30;
const LAPTOP: MachineMemory = { totalBytes: 8 * GIB, heapLimitBytes: 4 * GIB };
const TRILLION = 'world.users.count=1000000000000';

function shipped(name: string, overrides: readonly string[] = []) {
  const file = `scenarios/${name}.yaml`;
  return parseScenario(readFileSync(file, 'utf8'), file, overrides);
}

describe('refused before any work', () => {
  it('10^12 users: validate and run give the same one-line refusal with the estimate and the machine, and write nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, SMALL_SCENARIO);
    const checked = await cli(['validate', file, '--set', TRILLION]);
    const ran = await cli(['run', file, '--out', join(dir, 'out'), '--set', TRILLION]);
    for (const { code, err } of [checked, ran]) {
      expect(code, err).toBe(2);
      expect(err.trim().split('\n')).toHaveLength(1);
      expect(err).toMatch(/^--set world\.users\.count: needs about [\d.]+ PiB of memory \(mostly for .* 1\.0e12 users .*\), more than this machine's [\d.]+ [GT]iB; make the scenario smaller\n$/);
    }
    expect(ran.err).toBe(checked.err);
    expect(readdirSync(dir)).toEqual(['small.yaml']);
  });

  it('a refusal in the file names its line and the field of the largest part', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, SMALL_SCENARIO.replace('count: 400,', 'count: 900000000,'));
    const { code, err } = await cli(['validate', file]);
    expect(code, err).toBe(2);
    expect(err).toMatch(new RegExp(`^${file}:9:19: world\\.items\\.count: needs about .* \\(mostly for 900,000,\\d{3} items\\)`));
  });

  it.each([
    ['world.users.count=1000000000', 'world.users.count'],
    ['world.users.signups_per_day=100000000', 'world.users.signups_per_day'],
    ['world.items.uploads_per_day=100000000', 'world.items.uploads_per_day'],
    ['world.topics=10000000', 'world.topics'],
    ['world.latent_dim=100000000', 'world.latent_dim'],
    ['world.users.countries=1000000000', 'world.users.countries'],
  ])('%s is refused at %s, the field that makes the run too large', (override, field) => {
    const estimate = estimateRun(shipped('popularity', [override]));
    expect(resourceRefusal(estimate, LAPTOP)).toBeDefined();
    expect(estimate.largest.path.join('.')).toBe(field);
  });

  it("what fits the machine but not V8's heap says so and how to raise the limit", () => {
    const estimate = estimateRun(shipped('popularity', ['world.items.count=4000000']));
    const refusal = resourceRefusal(estimate, { totalBytes: 64 * GIB, heapLimitBytes: 2 * GIB });
    expect(refusal).toMatch(/of it on V8's heap, more than its limit of 2\.0 GiB \(this machine has 64\.0 GiB\); .* NODE_OPTIONS=--max-old-space-size=\d+$/);
    expect(resourceRefusal(estimate, { totalBytes: 64 * GIB, heapLimitBytes: 16 * GIB })).toBeUndefined();
  });

  it("a comparison whose runs fit one at a time but not as many at once as it would run is refused, naming --workers, before anything is written", async () => {
    const file = 'scenarios/compare-exploration.yaml';
    const peak = (users: number): number => estimateRun(shipped('compare-exploration', [`world.users.count=${users}`])).peakBytes;
    // Users enough for one run to need 55–90% of this machine's memory: two at once cannot fit.
    let low = 1000;
    let high = 1000;
    while (peak(high) < 0.9 * totalmem()) high *= 2;
    while (!(peak(high) >= 0.55 * totalmem() && peak(high) <= 0.9 * totalmem())) {
      const mid = Math.round((low + high) / 2);
      if (peak(mid) > 0.9 * totalmem()) high = mid;
      else if (peak(mid) < 0.55 * totalmem()) low = mid;
      else high = mid;
    }
    const dir = tempDir();
    const { code, err } = await cli(['compare', file, '--set', `world.users.count=${high}`, '--workers', '2', '--out', join(dir, 'out')]);
    expect(code, err).toBe(2);
    expect(err).toMatch(/^scenarios\/compare-exploration\.yaml: with 2 runs at once the batch needs about [\d.]+ GiB of memory \(mostly for .*\), more than this machine's .*; make the scenario smaller \(or use fewer --workers\)\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a bandit world with a billion arms is refused too', () => {
    const text = 'name: b\nworld: { kind: bandit, arms: { count: 1000000000000 }, rounds: 1000 }\nrecommender: { kind: bandit, exploration: { policy: ucb } }\n';
    const estimate = estimateRun(parseAnyScenario(text, 'b.yaml'));
    expect(resourceRefusal(estimate, LAPTOP)).toContain('arms');
  });
});

describe('accepted', () => {
  it('the medium case (20k users, 50k items, 60 days of two-stage) fits a machine of 8 GiB, with a note of its size', () => {
    const medium = shipped('two-stage', ['world.users.count=20000', 'world.users.signups_per_day=200', 'world.items.count=50000', 'world.items.uploads_per_day=1000', 'horizon.days=60']);
    const estimate = estimateRun(medium);
    expect(resourceRefusal(estimate, LAPTOP)).toBeUndefined();
    expect(largeRunNote(estimate, LAPTOP)).toMatch(/^estimate: about [\d.]+ GiB of memory \(this machine: 8\.0 GiB\) and roughly \d+ (min|h)$/);
    // Its whole run on two threads peaked at 6.48 GiB (docs/PERFORMANCE.md): users come back more as they are served.
    const twoThreads = splitOverThreads(estimate, 2).peakBytes / GIB;
    expect(twoThreads / 6.48).toBeGreaterThan(0.5);
    expect(twoThreads / 6.48).toBeLessThan(2);
  });

  it('validate tells the cost of a large run as run would, before it starts, and stays quiet for a small one', async () => {
    const medium = ['world.users.count=20000', 'world.users.signups_per_day=200', 'world.items.count=50000', 'world.items.uploads_per_day=1000', 'horizon.days=60'];
    const large = await cli(['validate', 'scenarios/two-stage.yaml', ...medium.flatMap((o) => ['--set', o])]);
    expect(large.code, large.err).toBe(0);
    expect(large.err).toMatch(/^estimate: about [\d.]+ GiB of memory \(this machine: [\d.]+ GiB\) and roughly \d+ (min|h)\n$/);
    expect(large.out).toBe('scenarios/two-stage.yaml: valid scenario "two-stage"\n');
    const small = await cli(['validate', 'scenarios/two-stage.yaml']);
    expect(small.err).toBe('');
  });

  it('a run split over threads holds a world and recommender per thread, and its log window once', () => {
    const large = shipped('two-stage', ['world.users.count=100000', 'world.users.signups_per_day=1000', 'world.items.count=200000', 'world.items.uploads_per_day=4000', 'horizon.days=30']);
    const one = estimateRun(large);
    // The busiest 7 days' slates of 10, 36 bytes an impression and 36 a slate.
    expect(one.sharedBytes / (estimateTraffic(large).busiestWindow * (10 * 36 + 36))).toBeCloseTo(1, 12);
    expect(splitOverThreads(one, 1, 2)).toEqual(one);
    const two = splitOverThreads(one, 2);
    expect(two.peakBytes / (2 * one.peakBytes - one.sharedBytes)).toBeCloseTo(1, 12);
    expect(splitOverThreads(one, 3).peakBytes / (3 * one.peakBytes - 2 * one.sharedBytes)).toBeCloseTo(1, 12);
    expect(two.heapBytes).toBe(one.heapBytes); // each thread's heap has a limit of its own
    // Time: by √2 where two threads run at once, not at all on one core.
    expect(splitOverThreads(one, 2, 2).seconds).toBeCloseTo(one.seconds / Math.SQRT2, 6);
    expect(splitOverThreads(one, 2, 1).seconds).toBe(one.seconds);
    expect(splitOverThreads(one, 8, 4).seconds).toBeCloseTo(one.seconds / 2, 6);
    expect(one.sharedBytes).toBeLessThan(one.peakBytes / 2);
    const bandit = estimateRun(parseAnyScenario(readFileSync('scenarios/bandit.yaml', 'utf8'), 'scenarios/bandit.yaml'));
    expect(splitOverThreads(bandit, 2).peakBytes).toBe(2 * bandit.peakBytes);
  });

  it('the shipped scenarios fit and get no note', () => {
    for (const name of ['popularity', 'quickstart', 'two-stage', 'eps-vs-thompson']) {
      const estimate = estimateRun(shipped(name));
      expect(resourceRefusal(estimate, LAPTOP)).toBeUndefined();
      expect(largeRunNote(estimate, LAPTOP)).toBeUndefined();
    }
  });
});

describe('runs at once', () => {
  const run = (gib: number, minutes: number): ResourceEstimate => ({ peakBytes: gib * GIB, heapBytes: GIB / 2, sharedBytes: GIB / 4, seconds: minutes * 60, largest: { path: ['world', 'users', 'count'], what: 'users' } });

  it("hold the largest run's memory as many times as processes run together, and share out their time", () => {
    const { estimate, atOnce, what } = runsAtOnce([run(1, 10), run(3, 20), run(2, 30)], 2, 2);
    expect(atOnce).toBe(2);
    expect(estimate.peakBytes).toBe(6 * GIB);
    expect(estimate.seconds).toBe(30 * 60);
    expect(estimate.heapBytes).toBe(GIB / 2); // each process has a heap of its own
    expect(what).toBe(' for 3 runs, 2 at a time');
    expect(largeRunNote(estimate, LAPTOP, what)).toBe('estimate: about 6.0 GiB of memory for 3 runs, 2 at a time (this machine: 8.0 GiB) and roughly 30 min');
    // On the main thread (workers 0) one at a time; never more processes than runs.
    expect(runsAtOnce([run(1, 10), run(3, 20)], 0).estimate.peakBytes).toBe(3 * GIB);
    // More processes than cores: all of them hold memory, but the time is shared among the cores.
    const crowded = runsAtOnce([run(1, 10), run(1, 10), run(1, 10), run(1, 10)], 4, 2).estimate;
    expect(crowded.peakBytes).toBe(4 * GIB);
    expect(crowded.seconds).toBe(20 * 60);
    expect(runsAtOnce([run(1, 10)], 8)).toMatchObject({ atOnce: 1, what: '' });
  });

  it('a batch too large for the machine together is refused with the number at once; a long one gets its note', () => {
    const io = { stdout: new Capture(), stderr: new Capture() };
    expect(() => checkRunsAtOnce('a.yaml', [run(3, 1), run(3, 1), run(3, 1)], 3, io, LAPTOP)).toThrow(
      /^a\.yaml: with 3 runs at once the batch needs about 9\.0 GiB of memory \(mostly for users\), more than this machine's 8\.0 GiB; make the scenario smaller \(or use fewer --workers\)$/,
    );
    checkRunsAtOnce('a.yaml', [run(3, 0), run(3, 0), run(3, 0)], 2, io, LAPTOP);
    expect(io.stderr.text).toBe('estimate: about 6.0 GiB of memory for 3 runs, 2 at a time (this machine: 8.0 GiB) and roughly 1 s\n');
    const quiet = { stdout: new Capture(), stderr: new Capture() };
    checkRunsAtOnce('a.yaml', [run(0.5, 1), run(0.5, 1)], 2, quiet, LAPTOP);
    expect(quiet.stderr.text).toBe('');
  });
});

/** Peak RSS (MiB) of `recloop run` in a process of its own, as the run's run.json records it. */
function measuredPeak(scenario: string, overrides: readonly string[]): number {
  const out = join(tempDir(), 'run');
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'run', scenario, '--out', out, '--no-report', ...overrides.flatMap((o) => ['--set', o])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8' });
  expect(child.status, child.stderr).toBe(0);
  expect(existsSync(join(out, 'run.json'))).toBe(true);
  return (JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { peak_rss_mib: number }).peak_rss_mib;
}

describe('calibrated', () => {
  it.each([
    ['popularity, 1k users, 1k items, 1 day', 'popularity', ['world.users.count=1000', 'world.items.count=1000', 'horizon.days=1']],
    ['two-stage, 500 users, 500 items, 3 days', 'two-stage', ['world.users.count=500', 'world.items.count=500', 'horizon.days=3']],
  ])('the estimate is within a factor of two of the measured peak: %s', (_, name, overrides) => {
    const estimated = estimateRun(shipped(name, overrides)).peakBytes / 2 ** 20;
    const measured = measuredPeak(`scenarios/${name}.yaml`, overrides);
    expect(estimated / measured).toBeGreaterThan(0.5);
    expect(estimated / measured).toBeLessThan(2);
  }, 60_000);
});

/**
 * `recloop replay`: a small two-stage run with its impression log, its sessions served again by
 * its own design and by the design widened with a topic-spread source. While the random start-up
 * serves both, the replay of the run's design must give the run's own figures exactly (the same
 * requests at the same times, the same sessions, the same draws) and the two replays no gap; once
 * the trained models serve, the widened design shows different slates to the same traffic.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBookkeeping } from '../src/metrics/registry.js';
import type { ReplayDocument } from '../src/replay/replay-run.js';
import { cli } from './support/run-cli.js';

const SMALL = ['--set', 'world.users.count=150', '--set', 'world.items.count=150', '--set', 'horizon.days=4', '--seed', '3'];
/** Figures that depend on wall-clock time or the models' training, not on what users were shown. */
const TRAINING_FIGURE = /^(ece_|ranker_|two_tower_|ann_|calibration)/;

const rowsOf = (dir: string): Record<string, number>[] =>
  readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, number>);

describe('recloop replay', () => {
  let dir: string;
  let replay: ReplayDocument;
  let out: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recloop-replay-'));
    const run = await cli(['run', 'scenarios/filter-bubble.yaml', '--out', join(dir, 'run'), '--logs', '--no-report', ...SMALL]);
    expect(run.code, run.err).toBe(0);
    const result = await cli(['replay', join(dir, 'run'), '--no-report']);
    expect(result.code, result.err).toBe(0);
    out = result.out;
    replay = JSON.parse(readFileSync(join(dir, 'run-replay', 'replay.json'), 'utf8')) as ReplayDocument;
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the run’s own design the run’s figures exactly while the random start-up serves', () => {
    const run = rowsOf(join(dir, 'run'));
    const replayed = rowsOf(join(dir, 'run-replay', 'replayed', 'seed-3'));
    expect(replayed).toHaveLength(run.length);
    for (const epoch of [0, 1]) {
      for (const [metric, value] of Object.entries(run[epoch])) {
        if (isBookkeeping(metric) || TRAINING_FIGURE.test(metric)) continue;
        expect(replayed[epoch][metric], `${metric}, epoch ${epoch}`).toBe(value);
      }
    }
    // Every logged slate is served again: the same impressions in every epoch of the start-up.
    expect(replayed.slice(0, 2).map((row) => row.impressions)).toEqual(run.slice(0, 2).map((row) => row.impressions));
  });

  it('widens the candidate set with a topic-spread source and measures the gap from the end of the start-up', () => {
    expect(replay.runs.map((run) => run.seed)).toEqual([3]);
    expect(replay.runs[0].slates).toBeGreaterThan(1000);
    expect(replay.measure_from).toBe(2);
    expect(replay.widened_by[0]).toMatch(/^recommender\.candidates=\[.*"source":"fresh".*\{source: topic_spread\}\]$/);
    const widened = rowsOf(join(dir, 'run-replay', 'widened', 'seed-3'));
    const replayed = rowsOf(join(dir, 'run-replay', 'replayed', 'seed-3'));
    // The start-up serves random slates in both: no gap there, and a gap once trained models serve.
    for (const epoch of [0, 1]) expect(widened[epoch].intra_list_diversity).toBe(replayed[epoch].intra_list_diversity);
    expect(widened[3].intra_list_diversity).not.toBe(replayed[3].intra_list_diversity);
    const gap = replay.gaps.find((g) => g.metric === 'intra_list_diversity');
    expect(gap?.per_epoch[0]).toHaveLength(2);
    expect(gap?.low).toBeNull();
    expect(gap?.gap).toBeCloseTo((gap?.widened ?? 0) - (gap?.replayed ?? 0), 12);
    expect(replay.gaps.map((g) => g.group)).toContain('satisfaction');
    expect(out).toMatch(/logged slates served again/);
    expect(out).toMatch(/intra_list_diversity/);
  });

  it('refuses a run without an impression log, and a source added to a design without candidates, naming the folder', async () => {
    const bare = await cli(['run', 'scenarios/popularity.yaml', '--out', join(dir, 'bare'), '--no-logs', '--no-report', '--set', 'world.users.count=50', '--set', 'world.items.count=50', '--set', 'horizon.days=1']);
    expect(bare.code, bare.err).toBe(0);
    const noLog = await cli(['replay', join(dir, 'bare'), '--no-report']);
    expect(noLog.code).toBe(2);
    expect(noLog.err).toMatch(/bare: no impression log .*--logs/);
    expect(existsSync(join(dir, 'bare-replay'))).toBe(false);
    const logged = await cli(['run', 'scenarios/popularity.yaml', '--out', join(dir, 'pop'), '--logs', '--no-report', '--set', 'world.users.count=50', '--set', 'world.items.count=50', '--set', 'horizon.days=1']);
    expect(logged.code, logged.err).toBe(0);
    const noSources = await cli(['replay', join(dir, 'pop'), '--no-report']);
    expect(noSources.code).toBe(2);
    expect(noSources.err).toMatch(/recommender\.kind is popularity; only a two_stage recommender/);
    const notRun = await cli(['replay', dir, '--no-report']);
    expect(notRun.code).toBe(2);
    expect(notRun.err).toMatch(/not a run folder/);
    // Several runs are replicas: one scenario, different seeds.
    const twice = await cli(['replay', join(dir, 'pop'), join(dir, 'pop'), '--no-report']);
    expect(twice.code).toBe(2);
    expect(twice.err).toMatch(/are runs of the same seed/);
    const other = await cli(['run', 'scenarios/popularity.yaml', '--out', join(dir, 'pop5'), '--logs', '--no-report', '--seed', '5', '--set', 'world.users.count=50', '--set', 'world.items.count=50', '--set', 'horizon.days=1', '--set', 'recommender.slate_size=5']);
    expect(other.code, other.err).toBe(0);
    const mixed = await cli(['replay', join(dir, 'pop'), join(dir, 'pop5'), '--no-report']);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toMatch(/pop5 and .*pop differ in more than their seed/);
  }, 60_000);
});

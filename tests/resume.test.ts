/**
 * Checkpoint and resume: a run restored from a checkpoint after any epoch goes on exactly as the
 * uninterrupted run does (every metric, every impression), whether it was stopped in-process by
 * a signal or killed outright, at several points, mid-epoch or mid-checkpoint.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { runClasses } from '../src/checkpoint/class-index.js';
import { restoreGraph, snapshotGraph, type GraphSnapshot } from '../src/checkpoint/object-graph.js';
import { Rng } from '../src/rng/index.js';
import { CHECKPOINT_FILE } from '../src/run/checkpoint-file.js';
import { resumeRun, RUN_FILES, RunStopped, runScenario } from '../src/run/run-scenario.js';
import { findResumable } from '../src/run/staging-cleanup.js';
import { parseScenario, type Scenario } from '../src/scenario/index.js';
import { buildParts } from '../src/simulation/build.js';
import { Simulation } from '../src/simulation/simulation.js';
import { cli } from './support/run-cli.js';
import { SMALL_SCENARIO, tempDir } from './support/scenarios.js';

const ROOT = resolve(import.meta.dirname, '..');
const GOLDEN_TWO_STAGE = readFileSync(join(ROOT, 'tests', 'golden', 'two_stage', 'scenario.yaml'), 'utf8');
const GOLDEN_BASELINE = readFileSync(join(ROOT, 'tests', 'golden', 'baseline', 'scenario.yaml'), 'utf8');

async function metricRows(simulation: Simulation): Promise<string[]> {
  const rows: string[] = [];
  await simulation.run((result) => void rows.push(JSON.stringify(result.metrics)));
  return rows;
}

/** The run's rows, with the run snapshotted after `cut` epochs, written out, and laid over a freshly built one for the rest. */
async function resumedRows(scenario: Scenario, cut: number, spoil?: (restored: Simulation) => void): Promise<string[]> {
  const first = new Simulation(buildParts(scenario));
  const rows: string[] = [];
  let saved: Buffer | undefined;
  const stop = new Error('stop');
  await first
    .run((result) => {
      rows.push(JSON.stringify(result.metrics));
      if (result.bounds.epoch + 1 === cut) {
        saved = serialize(snapshotGraph(first));
        throw stop;
      }
    })
    .catch((error: unknown) => {
      if (error !== stop) throw error;
    });
  const restored = restoreGraph(deserialize(saved!) as GraphSnapshot, new Simulation(buildParts(scenario)), await runClasses());
  spoil?.(restored);
  return [...rows, ...(await metricRows(restored))];
}

describe('a run restored from a checkpoint', () => {
  const cases: [string, string, readonly string[], number][] = [
    ['popularity', GOLDEN_BASELINE, [], 2],
    ['popularity with creators joining', GOLDEN_BASELINE, ['world.items.new_creators_per_day=4'], 2],
    ['popularity on the steps schedule', GOLDEN_BASELINE, ['schedule={kind: steps, step: 2h}', 'horizon.days=2', 'recommender.retrain.every=6h', 'recommender.random_startup=6h'], 3],
    ['the oracle', GOLDEN_BASELINE, ['recommender={kind: oracle, slate_size: 5}', 'horizon.days=3'], 2],
    ['two-stage over an HNSW index, Thompson at the candidate stage', GOLDEN_TWO_STAGE, ['horizon.days=4', 'recommender.candidates[0].ann={kind: hnsw}', 'recommender.exploration={policy: thompson, stage: candidate}'], 2],
    ['two-stage over an inverted file, with MMoE, a ranking cascade and UCB', GOLDEN_TWO_STAGE, ['horizon.days=4', 'recommender.candidates[0].ann={kind: ivf, lists: 16, probes: 4}', 'recommender.ranker.model=mmoe', 'recommender.ranker.prerank={keep: 10}', 'recommender.exploration={policy: ucb}'], 3],
  ];
  for (const [name, yaml, overrides, cut] of cases) {
    it(`${name}: goes on exactly as the uninterrupted run`, async () => {
      const scenario = parseScenario(yaml, `${name}.yaml`, overrides);
      const whole = await metricRows(new Simulation(buildParts(scenario)));
      expect(whole.length).toBeGreaterThan(cut);
      expect(await resumedRows(scenario, cut)).toEqual(whole);
    }, 120_000);
  }

  it('differs when a stream position is lost (the comparison sees what a checkpoint misses)', async () => {
    const scenario = parseScenario(GOLDEN_BASELINE, 'baseline.yaml');
    const whole = await metricRows(new Simulation(buildParts(scenario)));
    const spoiled = await resumedRows(scenario, 2, (restored) => {
      (restored.world.rng as { uploads: Rng }).uploads = new Rng('3/world/uploads');
    });
    expect(spoiled.slice(0, 2)).toEqual(whole.slice(0, 2));
    expect(spoiled.slice(2)).not.toEqual(whole.slice(2));
  });
});

/** The hash of every file of a finished run folder that must not depend on being stopped: all but the wall-clock ones. */
function results(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const path = join(sub, name);
      if (name === RUN_FILES.timings || name === RUN_FILES.runInfo) continue;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = createHash('sha256').update(readFileSync(join(dir, path))).digest('hex');
    }
  };
  walk('');
  return out;
}

describe('recloop run stopped by a signal', () => {
  it('writes a checkpoint after the epoch in progress and resumes to the uninterrupted result', async () => {
    const scenario = parseScenario(GOLDEN_TWO_STAGE, 'two-stage.yaml', ['horizon.days=4', 'logs.impressions=true']);
    const dir = tempDir();
    const whole = await runScenario(scenario, { outDir: join(dir, 'whole') });
    const out = join(dir, 'stopped');
    const stopped = runScenario(scenario, { outDir: out, onEpoch: (result) => void (result.bounds.epoch === 1 && process.emit('SIGINT', 'SIGINT')) });
    await expect(stopped).rejects.toThrow(new RunStopped(out, 2));
    // Its process lives on here, so findResumable (which looks for a dead one's) would not offer it.
    const waiting = readdirSync(dir).filter((name) => name.startsWith('.stopped.tmp-'));
    expect(waiting).toHaveLength(1);
    const staging = join(dir, waiting[0]);
    expect(existsSync(join(staging, CHECKPOINT_FILE))).toBe(true);
    expect(readFileSync(join(staging, RUN_FILES.metrics), 'utf8').trim().split('\n')).toHaveLength(2);

    const resumed = await resumeRun(scenario, staging, { outDir: out });
    expect(resumed.rows).toEqual(whole.rows);
    expect(results(out)).toEqual(results(whole.dir));
    expect(readdirSync(dir).sort()).toEqual(['stopped', 'whole']);
  }, 120_000);
});

const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
/** A popularity run of a few seconds: long enough to be killed at several points. */
const KILLABLE = ['--set', 'world.users.count=3000', '--set', 'horizon.days=40', '--no-report'];

/** Epochs in the metrics file of the staging folder in `dir`. */
function stagedEpochs(dir: string): number {
  const staging = readdirSync(dir).find((name) => name.startsWith('.') && existsSync(join(dir, name, RUN_FILES.metrics)));
  return staging === undefined ? 0 : readFileSync(join(dir, staging, RUN_FILES.metrics), 'utf8').split('\n').length - 1;
}

function stagedCheckpoint(dir: string): boolean {
  return readdirSync(dir).some((name) => name.startsWith('.') && existsSync(join(dir, name, CHECKPOINT_FILE)));
}

/**
 * Starts `recloop run` in a child and kills it `afterMs` after it has finished an epoch of its
 * own (and, for a run started afresh, written its first checkpoint: killed before that, a run has
 * nothing to resume and the next run of the folder starts over).
 */
async function killedRun(dir: string, args: readonly string[], afterMs: number): Promise<void> {
  const before = stagedEpochs(dir);
  const fresh = !stagedCheckpoint(dir);
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'run', ...args], { cwd: dir, stdio: 'ignore' });
  let running = true;
  const ended = new Promise<void>((done) =>
    child.on('exit', () => {
      running = false;
      done();
    }),
  );
  const started = Date.now();
  const ready = (): boolean => stagedEpochs(dir) > before && (!fresh || stagedCheckpoint(dir));
  while (running && !ready() && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, afterMs));
  child.kill('SIGKILL');
  await ended;
}

describe('recloop run killed outright (SIGKILL)', () => {
  it('resumes, killed again and again at points drawn from a seeded stream, to the uninterrupted result', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, SMALL_SCENARIO);
    expect((await cli(['run', file, '--out', join(dir, 'whole'), ...KILLABLE])).code).toBe(0);

    const out = join(dir, 'killed');
    const delays = new Rng('resume-test/kills');
    await killedRun(dir, [file, '--out', out, ...KILLABLE], 150 + delays.int(400));
    for (let kill = 0; kill < 2; kill++) await killedRun(dir, ['--resume', out], 100 + delays.int(500));
    const waiting = findResumable(out);
    expect(waiting, 'a killed run leaves a checkpoint to resume from').toBeDefined();
    const fresh = await cli(['run', file, '--out', out, ...KILLABLE]);
    expect(fresh.code).toBe(2);
    expect(fresh.err).toContain(`a stopped run waits in ${waiting}; resume it with \`recloop run --resume ${out}\`, or pass --force to start over`);
    // Killed mid-checkpoint and after its last checkpoint: a half-written checkpoint beside the
    // whole one, a metrics line and an impression file of an epoch the checkpoint has not run.
    writeFileSync(join(waiting!, `${CHECKPOINT_FILE}.tmp`), 'half a checkpoint');
    appendFileSync(join(waiting!, RUN_FILES.metrics), '{"ctr": 0.');
    writeFileSync(join(waiting!, 'impressions', 'epoch-00039.parquet'), 'a file of an epoch not yet run');
    writeFileSync(join(waiting!, 'impressions', 'epoch-00039.parquet.tmp-1-1'), 'half a file');

    const resumed = await cli(['run', '--resume', out, '--no-report']);
    expect(resumed.code, resumed.err).toBe(0);
    expect(results(out)).toEqual(results(join(dir, 'whole')));
    expect(readdirSync(dir).sort()).toEqual(['killed', 'small.yaml', 'whole']);
  }, 300_000);

  it('says before a run on several threads that it writes no checkpoints, and writes none', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.yaml');
    writeFileSync(file, SMALL_SCENARIO);
    const { code, err } = await cli(['run', file, '--out', join(dir, 'split'), '--workers', '2', '--set', 'horizon.days=2', '--no-report']);
    expect(code, err).toBe(0);
    expect(err).toContain('small: no checkpoints on 2 threads (each holds its own copy of the run); Ctrl-C ends the run, and --resume cannot continue it');
    const info = JSON.parse(readFileSync(join(dir, 'split', RUN_FILES.runInfo), 'utf8')) as { checkpoints_written: number; workers: number };
    expect(info).toMatchObject({ checkpoints_written: 0, workers: 2 });
  }, 120_000);

  it('says so when nothing waits to be resumed', async () => {
    const dir = tempDir();
    const { code, err } = await cli(['run', '--resume', join(dir, 'nothing')]);
    expect(code).toBe(2);
    expect(err).toContain(`--resume ${join(dir, 'nothing')}: no stopped run of that folder waits to be resumed`);
  });
});

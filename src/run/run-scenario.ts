/**
 * One run, as named phases: stage the output folder → build the simulation → simulate, writing
 * each epoch's metrics row and impression log as it ends → summarize → move into place.
 */
import { existsSync } from 'node:fs';
import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toResolvedYaml, type Scenario } from '../scenario/index.js';
import { buildParts } from '../simulation/build.js';
import { UserShards } from '../parallel/user-shards.js';
import { Simulation, type EpochResult, type SimulationParts } from '../simulation/simulation.js';
import { ParquetLogWriter } from '../training/parquet-log.js';
import type { ReplayedTraffic } from '../simulation/replayed-traffic.js';
import { StagedOutput } from './output-dir.js';
import { runClasses } from '../checkpoint/class-index.js';
import { restoreGraph, snapshotGraph } from '../checkpoint/object-graph.js';
import { CheckpointSchedule, readCheckpoint, removeCheckpoint, writeCheckpoint, type RunCheckpoint } from './checkpoint-file.js';
import { onStopRequest } from './interrupt.js';
import { summarize, type MetricsRow, type RunSummary } from './summary.js';
import { checkFiniteDocument, checkFiniteImpressions } from './finite-output.js';
import { backendName } from '../ml/backend.js';
import { inferenceBackend } from '../ml/onnx/runtime.js';

export interface RunOptions {
  readonly outDir: string;
  /** Replace an existing run folder. */
  readonly force?: boolean;
  /** Threads that serve each batch window (1: the main thread alone); results do not depend on it. */
  readonly workers?: number;
  /** Told after every epoch (progress display). */
  readonly onEpoch?: (result: EpochResult, total: number) => void;
  /** Checkpoints after epochs, for `--resume` (default: on; a run on one thread only). */
  readonly checkpoints?: boolean;
  /** Told when a signal asks a checkpointing run to stop (it stops after the epoch in progress). */
  readonly onStopRequest?: () => void;
  /** Serve this logged traffic instead of the world's arrivals (one thread, no checkpoints: src/replay). */
  readonly traffic?: ReplayedTraffic;
}

export interface RunOutcome {
  readonly dir: string;
  readonly summary: RunSummary;
  readonly rows: readonly MetricsRow[];
  readonly wallSeconds: number;
}

export const RUN_FILES = {
  scenario: 'scenario.resolved.yaml',
  metrics: 'metrics.jsonl',
  /** Wall-clock figures per epoch (latency, training time): not part of the reproducible output. */
  timings: 'timings.jsonl',
  summary: 'summary.json',
  runInfo: 'run.json',
  impressions: 'impressions',
} as const;

/**
 * The tfjs backend the run's models used: only two_stage has models. The backend is chosen once
 * per process, so a run without models must not report one an earlier run in the process chose.
 */
function modelBackend(scenario: Scenario): string {
  return scenario.recommender.kind === 'two_stage' ? (backendName() ?? 'none') : 'none';
}

/** What served the ranker's forward passes: ONNX Runtime where it loads, else the tfjs backend. */
function inferenceBackendOf(scenario: Scenario): string {
  const models = modelBackend(scenario);
  return models !== 'none' && inferenceBackend() === 'onnxruntime' ? 'onnxruntime' : models;
}

/** A run stopped by a signal after an epoch, its staging folder kept with a checkpoint for `--resume`. */
export class RunStopped extends Error {
  constructor(
    readonly outDir: string,
    readonly epochsDone: number,
  ) {
    super(`stopped after epoch ${epochsDone}; resume with \`recloop run --resume ${outDir}\``);
    this.name = 'RunStopped';
  }
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'run');
  return simulateInto(output, scenario, options, undefined);
}

/** Goes on with a stopped run (`stopped`, from findResumable) from its last checkpoint; `scenario` is the one it saved. */
export async function resumeRun(scenario: Scenario, stopped: string, options: Omit<RunOptions, 'force' | 'workers'>): Promise<RunOutcome> {
  const checkpoint = readCheckpoint(stopped);
  const output = await StagedOutput.resume(options.outDir, stopped, checkpoint.force);
  return simulateInto(output, scenario, { ...options, force: checkpoint.force }, checkpoint);
}

async function simulateInto(output: StagedOutput, scenario: Scenario, options: RunOptions, resume: RunCheckpoint | undefined): Promise<RunOutcome> {
  const started = performance.now();
  const workers = options.workers ?? 1;
  let logWriter: ParquetLogWriter | undefined;
  let serving: Serving | undefined;
  try {
    if (!resume) await writeFile(join(output.dir, RUN_FILES.scenario), toResolvedYaml(scenario));
    serving = await buildServing(scenario, workers);
    const built = new Simulation(options.traffic ? { ...serving.parts, traffic: options.traffic } : serving.parts);
    const simulation = resume ? restoreGraph(resume.graph, built, await runClasses()) : built;
    if (scenario.logs.impressions) logWriter = await ParquetLogWriter.open(output.dir);
    const rows = await keepFirstEpochs(output.dir, resume?.epochsDone ?? 0);
    // A run split over threads has state on every thread; only a one-thread run checkpoints.
    // A replay's traffic is not in its scenario, so a stopped replay could not be resumed.
    const checkpoints = workers === 1 && options.checkpoints !== false && !options.traffic ? new CheckpointSchedule() : undefined;
    let stopAsked = false;
    const stop = (): void => {
      stopAsked = true;
      options.onStopRequest?.();
    };
    const release = checkpoints ? onStopRequest(stop) : () => {};
    try {
      await simulation.run(async (result) => {
        const epoch = result.bounds.epoch;
        rows.push(result.metrics);
        await writeEpoch(output.dir, result, logWriter);
        options.onEpoch?.(result, simulation.epochs.length);
        if (!checkpoints || epoch + 1 === simulation.epochs.length) return;
        if (stopAsked || checkpoints.due()) {
          const force = options.force ?? false;
          await checkpoints.write(() => writeCheckpoint(output.dir, { epochsDone: epoch + 1, force, graph: snapshotGraph(simulation) }));
        }
        if (stopAsked) throw new RunStopped(output.finalDir, epoch + 1);
      });
    } finally {
      release();
    }
    await serving.finish();
    await logWriter?.close();
    logWriter = undefined;
    await removeCheckpoint(output.dir);
    const summary = summarize(scenario, simulation.recommender.name, rows);
    checkFiniteDocument(RUN_FILES.summary, summary);
    await writeFile(join(output.dir, RUN_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
    const wallSeconds = (performance.now() - started) / 1000;
    const runInfo = {
      finished_at: new Date().toISOString(),
      wall_seconds: wallSeconds,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      model_backend: modelBackend(scenario),
      inference_backend: inferenceBackendOf(scenario),
      workers,
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
      // This process's: a resumed run counts from where it went on.
      checkpoints_written: checkpoints?.written.count ?? 0,
      checkpoint_seconds: checkpoints?.written.seconds ?? 0,
    };
    await writeFile(join(output.dir, RUN_FILES.runInfo), `${JSON.stringify(runInfo, null, 2)}\n`);
    await output.commit();
    return { dir: output.finalDir, summary, rows, wallSeconds };
  } catch (error) {
    await logWriter?.close().catch(() => undefined);
    if (error instanceof RunStopped) output.leave();
    else await output.discard();
    throw error;
  } finally {
    await serving?.close();
  }
}

/** An epoch's metrics row, timings, recommender files and impression log, each refused if it holds a NaN or Infinity. */
async function writeEpoch(dir: string, result: EpochResult, logWriter: ParquetLogWriter | undefined): Promise<void> {
  const epoch = result.bounds.epoch;
  checkFiniteDocument(`${RUN_FILES.metrics}, epoch ${epoch}`, result.metrics);
  await appendFile(join(dir, RUN_FILES.metrics), `${JSON.stringify(result.metrics)}\n`);
  await appendFile(join(dir, RUN_FILES.timings), `${JSON.stringify({ epoch, ...result.timings })}\n`);
  for (const [name, document] of Object.entries(result.files)) {
    if (!/^[\w-]+\.json$/.test(name)) throw new Error(`recommender asked to write "${name}"; expected a plain name ending in .json`);
    checkFiniteDocument(`${name}, epoch ${epoch}`, document);
    await writeFile(join(dir, name), `${JSON.stringify(document, null, 2)}\n`);
  }
  if (logWriter) {
    checkFiniteImpressions(`impression log, epoch ${epoch}`, result.impressions);
    await logWriter.writeEpoch(epoch, result.impressions);
  }
}

/**
 * The run folder as it was after `epochs` epochs: the metrics and timings files cut to their
 * first lines, and in the impression log only the files of those epochs kept (a run killed after
 * its last checkpoint may have written later ones, or left one half-written under a temporary
 * name). Returns those metrics rows.
 */
async function keepFirstEpochs(dir: string, epochs: number): Promise<MetricsRow[]> {
  const rows: MetricsRow[] = [];
  for (const file of [RUN_FILES.metrics, RUN_FILES.timings]) {
    const path = join(dir, file);
    const lines = epochs === 0 ? [] : (await readFile(path, 'utf8')).split('\n').slice(0, epochs);
    if (lines.length < epochs || lines.some((line) => line === '')) throw new Error(`${path}: fewer than the ${epochs} epochs its checkpoint has run`);
    await writeFile(path, lines.map((line) => `${line}\n`).join(''));
    if (file === RUN_FILES.metrics) rows.push(...lines.map((line) => JSON.parse(line) as MetricsRow));
  }
  const impressions = join(dir, RUN_FILES.impressions);
  for (const name of existsSync(impressions) ? await readdir(impressions) : []) {
    const epoch = /^epoch-(\d+)\.parquet$/.exec(name);
    if (!epoch || Number(epoch[1]) >= epochs) await rm(join(impressions, name), { recursive: true });
  }
  return rows;
}

export interface Serving {
  readonly parts: SimulationParts;
  /** After the run: waits for the other threads to end theirs. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/** The scenario's parts; with more than one worker, the run is split by users over that many threads (this one serves shard 0). */
export async function buildServing(scenario: Scenario, workers: number): Promise<Serving> {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a whole number of at least 1, got ${workers}`);
  if (workers === 1) return { parts: buildParts(scenario), finish: async () => {}, close: async () => {} };
  // Its posterior learns from the features each slate was scored with, which stay on the thread
  // that served it: the threads' posteriors (and the run) would differ from one thread's.
  if ('exploration' in scenario.recommender && scenario.recommender.exploration.policy === 'linear_thompson') {
    throw new Error('exploration policy linear_thompson learns from the features computed while serving, which stay on the serving thread, and runs on one worker (drop --workers)');
  }
  const learnsOnline = learnsAcrossUsersOnline(scenario);
  if (learnsOnline) throw new Error(`exploration policy ${learnsOnline} learns online from every user's feedback, which a thread sees only at the epoch's end; set update: retrain for --workers, or drop --workers`);
  // The shard threads load their modules and build their copies while this thread builds its own:
  // started after it, the first epoch's end waited for them (~2 s of a 30 s run).
  const shards = UserShards.start(toResolvedYaml(scenario), workers);
  let parts: SimulationParts;
  try {
    parts = buildParts(scenario);
  } catch (error) {
    await shards.close();
    throw error;
  }
  return { parts: { ...parts, shard: { index: 0, count: workers, exchange: shards } }, finish: () => shards.finish(), close: () => shards.close() };
}

/** The slate-stage policy that counts rewards online (one user's feedback changes the next user's slate), if any. */
function learnsAcrossUsersOnline(scenario: Scenario): string | undefined {
  if (!('exploration' in scenario.recommender)) return undefined;
  const exploration: { policy: string; stage?: string; update?: string } = scenario.recommender.exploration;
  const online = (exploration.policy === 'thompson' || exploration.policy === 'ucb') && exploration.stage !== 'candidate' && (exploration.update ?? 'online') === 'online';
  return online ? exploration.policy : undefined;
}

/**
 * One run, as named phases: stage the output folder → build the simulation → simulate, writing
 * each epoch's metrics row and impression log as it ends → summarize → move into place.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toResolvedYaml, type Scenario } from '../scenario/index.js';
import { buildParts } from '../simulation/build.js';
import { UserShards } from '../parallel/user-shards.js';
import { Simulation, type EpochResult, type SimulationParts } from '../simulation/simulation.js';
import { ParquetLogWriter } from '../training/parquet-log.js';
import { StagedOutput } from './output-dir.js';
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

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'run');
  let logWriter: ParquetLogWriter | undefined;
  let serving: Serving | undefined;
  try {
    await writeFile(join(output.dir, RUN_FILES.scenario), toResolvedYaml(scenario));
    serving = await buildServing(scenario, options.workers ?? 1);
    const simulation = new Simulation(serving.parts);
    if (scenario.logs.impressions) logWriter = await ParquetLogWriter.open(output.dir);
    const metricsFile = join(output.dir, RUN_FILES.metrics);
    const timingsFile = join(output.dir, RUN_FILES.timings);
    await writeFile(metricsFile, '');
    await writeFile(timingsFile, '');
    const rows: MetricsRow[] = [];
    await simulation.run(async (result) => {
      const epoch = result.bounds.epoch;
      checkFiniteDocument(`${RUN_FILES.metrics}, epoch ${epoch}`, result.metrics);
      rows.push(result.metrics);
      await appendFile(metricsFile, `${JSON.stringify(result.metrics)}\n`);
      await appendFile(timingsFile, `${JSON.stringify({ epoch: result.bounds.epoch, ...result.timings })}\n`);
      for (const [name, document] of Object.entries(result.files)) {
        if (!/^[\w-]+\.json$/.test(name)) throw new Error(`recommender asked to write "${name}"; expected a plain name ending in .json`);
        checkFiniteDocument(`${name}, epoch ${epoch}`, document);
        await writeFile(join(output.dir, name), `${JSON.stringify(document, null, 2)}\n`);
      }
      if (logWriter) {
        checkFiniteImpressions(`impression log, epoch ${epoch}`, result.impressions);
        await logWriter.writeEpoch(epoch, result.impressions);
      }
      options.onEpoch?.(result, simulation.epochs.length);
    });
    await serving.finish();
    await logWriter?.close();
    logWriter = undefined;
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
      workers: options.workers ?? 1,
      peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    await writeFile(join(output.dir, RUN_FILES.runInfo), `${JSON.stringify(runInfo, null, 2)}\n`);
    await output.commit();
    return { dir: output.finalDir, summary, rows, wallSeconds };
  } catch (error) {
    await logWriter?.close().catch(() => undefined);
    await output.discard();
    throw error;
  } finally {
    await serving?.close();
  }
}

interface Serving {
  readonly parts: SimulationParts;
  /** After the run: waits for the other threads to end theirs. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/** The scenario's parts; with more than one worker, the run is split by users over that many threads. */
async function buildServing(scenario: Scenario, workers: number): Promise<Serving> {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a whole number of at least 1, got ${workers}`);
  const parts = buildParts(scenario);
  if (workers === 1) return { parts, finish: async () => {}, close: async () => {} };
  // Its posterior learns from the features each slate was scored with, which stay on the thread
  // that served it: the threads' posteriors (and the run) would differ from one thread's.
  if ('exploration' in scenario.recommender && scenario.recommender.exploration.policy === 'linear_thompson') {
    throw new Error('exploration policy linear_thompson learns from the features computed while serving, which stay on the serving thread, and runs on one worker (drop --workers)');
  }
  const learnsOnline = learnsAcrossUsersOnline(scenario);
  if (learnsOnline) throw new Error(`exploration policy ${learnsOnline} learns online from every user's feedback, which a thread sees only at the epoch's end; set update: retrain for --workers, or drop --workers`);
  if (scenario.recommender.kind === 'two_stage' && scenario.recommender.ranker.prerank) {
    throw new Error('ranker.prerank measures its recall on the requests each thread serves, which one thread alone does not see; drop --workers');
  }
  const shards = UserShards.start(toResolvedYaml(scenario), workers);
  return { parts: { ...parts, shard: { index: 0, count: workers, exchange: shards } }, finish: () => shards.finish(), close: () => shards.close() };
}

/** The slate-stage policy that counts rewards online (one user's feedback changes the next user's slate), if any. */
function learnsAcrossUsersOnline(scenario: Scenario): string | undefined {
  if (!('exploration' in scenario.recommender)) return undefined;
  const exploration: { policy: string; stage?: string; update?: string } = scenario.recommender.exploration;
  const online = (exploration.policy === 'thompson' || exploration.policy === 'ucb') && exploration.stage !== 'candidate' && (exploration.update ?? 'online') === 'online';
  return online ? exploration.policy : undefined;
}

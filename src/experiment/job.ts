/**
 * One unit of experiment work: a replica seed and, in twin worlds, one arm; in a user split,
 * every arm inside one world. It runs the same on the calling thread or in a worker: the
 * scenario travels as its resolved YAML and is loaded (validated, its plug-ins imported) again where the job runs.
 *
 * Streams: the world draws from `root/world/...` for every arm alike (common random numbers in
 * twin worlds); each arm's recommender draws from `root/arm:<name>/...`.
 */
import type { MetricsRow, RunSummary } from '../run/summary.js';
import { resolvePlugins } from '../plugins/resolve.js';
import { resolveScenario, type Scenario } from '../scenario/index.js';
import type { ParquetLogWriter } from '../training/parquet-log.js';
import { resolveExperiment } from './arms.js';
import { runPlain } from './plain-run.js';
import { runTwin } from './twin-world.js';
import { runSplit } from './user-split.js';

export interface ExperimentJob {
  /** Position in the job list; results are matched back by it. */
  readonly id: number;
  /** The resolved scenario (every default filled), as written to the result folder. */
  readonly scenarioYaml: string;
  /** Root seed of this replica. */
  readonly seed: number;
  /** Twin worlds: the arm this job simulates. User split: absent (every arm in one world). */
  readonly arm?: string;
  /** Folder to write the job's Parquet impression log under (`<logDir>/impressions`); absent for none. */
  readonly logDir?: string;
  /**
   * A sweep's job: run the scenario as written (its own recommender, `recloop run`'s streams)
   * and file its rows under `arm`; an experiment section, if present, is not read.
   */
  readonly plain?: boolean;
}

export interface JobResult {
  readonly id: number;
  readonly seed: number;
  /** Per-epoch metric rows of each arm the job ran. */
  readonly arms: Readonly<Record<string, readonly MetricsRow[]>>;
  /** User split: the whole world's rows, all arms together. */
  readonly world?: readonly MetricsRow[];
  /** A plain job: the run's summary.json and the recommender's files (calibration.json), as `recloop run` writes them. */
  readonly summary?: RunSummary;
  readonly files?: Readonly<Record<string, unknown>>;
  readonly wallSeconds: number;
}

export type EpochListener = (epochsDone: number, epochs: number) => void;

export async function runJob(job: ExperimentJob, onEpoch: EpochListener = () => {}): Promise<JobResult> {
  const started = performance.now();
  // Plug-in paths in a resolved scenario are absolute: the job loads the same files wherever it runs.
  const scenario = await resolveScenario(job.scenarioYaml, 'scenario.resolved.yaml', [], { resolve: resolvePlugins });
  const replica: Scenario = { ...scenario, seed: job.seed };
  const experiment = job.plain ? undefined : resolveExperiment(scenario);
  const logs = job.logDir === undefined ? undefined : await openLog(job.logDir);
  try {
    let result: Pick<JobResult, 'arms' | 'world' | 'summary' | 'files'>;
    if (experiment === undefined) {
      result = await runPlain(replica, job.arm ?? scenario.name, logs, onEpoch);
    } else if (experiment.config.design === 'twin_worlds') {
      const arm = experiment.arms.find((candidate) => candidate.name === job.arm);
      if (arm === undefined) throw new Error(`job ${job.id}: unknown arm "${job.arm}"`);
      result = await runTwin(replica, arm, logs, onEpoch);
    } else {
      result = await runSplit(replica, experiment.arms, logs, onEpoch);
    }
    await logs?.close();
    return { id: job.id, seed: job.seed, ...result, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    await logs?.close().catch(() => undefined);
  }
}

/** DuckDB is loaded only when a log is asked for: a worker starts faster without it. */
async function openLog(dir: string): Promise<ParquetLogWriter> {
  const { ParquetLogWriter: Writer } = await import('../training/parquet-log.js');
  return Writer.open(dir);
}

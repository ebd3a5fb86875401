/**
 * An experiment, as named phases: resolve the arms → plan one job per (arm, replica) in twin
 * worlds or per replica in a user split → run the jobs in worker processes → write every arm's
 * and replica's metrics → compare the arms → move the result folder into place. Like a run, the
 * folder is staged and appears only when everything has finished.
 *
 *   scenario.resolved.yaml
 *   comparison.json                      deterministic: same scenario, same bytes
 *   experiment.json                      wall-clock figures and workers (vary between runs)
 *   arms/<arm>/seed-<n>/metrics.jsonl
 *   arms/<arm>/seed-<n>/impressions/     twin worlds, with logs
 *   worlds/seed-<n>/metrics.jsonl        user split: the whole world, all arms together
 *   worlds/seed-<n>/impressions/         user split, with logs (the `arm` column tells arms apart)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StagedOutput } from '../run/output-dir.js';
import type { MetricsRow } from '../run/summary.js';
import { toResolvedYaml, type Scenario } from '../scenario/index.js';
import { resolveExperiment } from './arms.js';
import { compareArms, type Comparison } from './comparison.js';
import type { ExperimentJob, JobResult } from './job.js';
import { defaultWorkers, runJobs } from './pool.js';
import { WorkShare } from './work-share.js';
import { epochWork } from '../run/epoch-work.js';

export const EXPERIMENT_FILES = {
  scenario: 'scenario.resolved.yaml',
  comparison: 'comparison.json',
  info: 'experiment.json',
  metrics: 'metrics.jsonl',
} as const;

export interface ExperimentOptions {
  readonly outDir: string;
  /** Replace an existing result folder. */
  readonly force?: boolean;
  /** Worker threads; 0 runs every job on this thread. Default: one per core. */
  readonly workers?: number;
  /** Write Parquet impression logs (off by default: an experiment multiplies them). */
  readonly logs?: boolean;
  /** Progress over all jobs' epochs; `timeLeft`: milliseconds, reckoned from the expected work left (./work-share.ts). */
  readonly onProgress?: (epochsDone: number, epochsTotal: number, jobsDone: number, jobs: number, timeLeft: number | undefined) => void;
}

export interface ExperimentOutcome {
  readonly dir: string;
  readonly comparison: Comparison;
  readonly jobs: number;
  readonly workers: number;
  readonly wallSeconds: number;
}

/** The replica seeds: the scenario's seed, then seed + 1, ... */
export function replicaSeeds(scenario: Scenario): number[] {
  return Array.from({ length: scenario.replicas }, (_, r) => scenario.seed + r);
}

export async function runExperiment(scenario: Scenario, options: ExperimentOptions): Promise<ExperimentOutcome> {
  const started = performance.now();
  const experiment = resolveExperiment(scenario);
  const seeds = replicaSeeds(scenario);
  const output = await StagedOutput.create(options.outDir, options.force ?? false, 'compare');
  try {
    const scenarioYaml = toResolvedYaml(scenario);
    await writeFile(join(output.dir, EXPERIMENT_FILES.scenario), scenarioYaml);
    const twin = experiment.config.design === 'twin_worlds';
    const armDir = (arm: string, seed: number): string => join(output.dir, 'arms', arm, `seed-${seed}`);
    const worldDir = (seed: number): string => join(output.dir, 'worlds', `seed-${seed}`);

    const jobs: ExperimentJob[] = [];
    for (const seed of seeds) {
      if (!twin) jobs.push({ id: jobs.length, scenarioYaml, seed, logDir: options.logs ? worldDir(seed) : undefined });
      else for (const arm of experiment.arms) jobs.push({ id: jobs.length, scenarioYaml, seed, arm: arm.name, logDir: options.logs ? armDir(arm.name, seed) : undefined });
    }

    const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
    const epochsDone = new Map<number, number>();
    let epochsTotal = 0;
    let jobsDone = 0;
    const armScenario = (arm: string | undefined): Scenario => {
      const recommender = experiment.arms.find((a) => a.name === arm)?.recommender;
      return recommender === undefined ? scenario : { ...scenario, recommender };
    };
    // An arm's runs are paced together: arms differ in what a slate costs.
    const work = new WorkShare(
      new Map(jobs.map((job) => [job.id, epochWork(armScenario(job.arm))])),
      { processes: Math.max(1, workers), groups: new Map(jobs.map((job) => [job.id, job.arm ?? ''])) },
    );
    const report = (): void => options.onProgress?.([...epochsDone.values()].reduce((a, b) => a + b, 0), epochsTotal, jobsDone, jobs.length, work.timeLeft());
    const results = await runJobs(jobs, {
      workers,
      onEpoch: (job, done, epochs) => {
        epochsTotal = epochs * jobs.length;
        epochsDone.set(job.id, done);
        work.epochsDone(job.id, done);
        report();
      },
      onJobDone: (result) => {
        jobsDone++;
        work.jobDone(result.id);
        report();
      },
    });

    const rows = new Map<string, MetricsRow[][]>(experiment.arms.map((arm) => [arm.name, []]));
    for (const result of results) {
      for (const [arm, armRows] of Object.entries(result.arms)) {
        await writeRows(armDir(arm, result.seed), armRows);
        rows.get(arm)?.push([...armRows]);
      }
      if (result.world) await writeRows(worldDir(result.seed), result.world);
    }
    const comparison = compareArms({ scenario: scenario.name, experiment, seeds, rows });
    await writeFile(join(output.dir, EXPERIMENT_FILES.comparison), `${JSON.stringify(comparison, null, 2)}\n`);
    const wallSeconds = (performance.now() - started) / 1000;
    await writeFile(join(output.dir, EXPERIMENT_FILES.info), `${JSON.stringify(runInfo(results, workers, wallSeconds), null, 2)}\n`);
    await output.commit();
    return { dir: output.finalDir, comparison, jobs: jobs.length, workers, wallSeconds };
  } catch (error) {
    await output.discard();
    throw error;
  }
}

async function writeRows(dir: string, rows: readonly MetricsRow[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, EXPERIMENT_FILES.metrics), rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
}

function runInfo(results: readonly JobResult[], workers: number, wallSeconds: number): Record<string, unknown> {
  return {
    finished_at: new Date().toISOString(),
    wall_seconds: wallSeconds,
    workers,
    jobs: results.map((r) => ({ seed: r.seed, arms: Object.keys(r.arms), wall_seconds: r.wallSeconds })),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

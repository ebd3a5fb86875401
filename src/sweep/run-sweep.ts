/**
 * A sweep, as named phases: plan the jobs (one per cell and seed, or one shard's share of them)
 * → run them in worker processes → write each job's run folder → compare the cells (a whole
 * sweep) or write slice.json (a shard) → move the folder into place. Like a run, the folder is
 * staged and appears only when everything has finished.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Comparison } from '../experiment/comparison.js';
import type { ExperimentJob, JobResult } from '../experiment/job.js';
import { defaultWorkers, runJobs } from '../experiment/pool.js';
import { StagedOutput } from '../run/output-dir.js';
import { toResolvedYaml } from '../scenario/index.js';
import { SWEEP_FILES, finishSweep, jobDir, sweepInfo, toJson, writeJobFolder, type SliceInfo } from './folder.js';
import type { SweepPlan } from './plan.js';
import { shardJobs, type Shard } from './shard.js';
import { longestFirst, WorkShare } from '../experiment/work-share.js';
import { epochWork } from '../run/epoch-work.js';

export interface SweepOptions {
  readonly outDir: string;
  readonly force?: boolean;
  /** Worker processes; 0 runs every job on this thread. Default: one per core. */
  readonly workers?: number;
  /** Run only this slice of the jobs and write a slice folder for `recloop merge`. */
  readonly shard?: Shard;
  /** `timeLeft`: milliseconds, reckoned from the expected work left (experiment/work-share.ts). */
  readonly onProgress?: (epochsDone: number, epochsTotal: number, jobsDone: number, jobs: number, timeLeft: number | undefined) => void;
}

export interface SweepOutcome {
  readonly dir: string;
  readonly jobs: number;
  readonly workers: number;
  readonly wallSeconds: number;
  /** A whole sweep's comparison; absent for a slice. */
  readonly comparison?: Comparison;
}

export async function runSweep(plan: SweepPlan, options: SweepOptions): Promise<SweepOutcome> {
  const started = performance.now();
  const info = sweepInfo(plan);
  const output = await StagedOutput.create(options.outDir, options.force ?? false, options.shard === undefined ? 'sweep' : 'sweep-slice');
  try {
    await writeFile(join(output.dir, SWEEP_FILES.scenario), toResolvedYaml(plan.scenario));
    const ids = options.shard === undefined ? Array.from({ length: info.jobs }, (_, k) => k) : shardJobs(info.jobs, options.shard);
    const cellOf = (k: number) => plan.cells[Math.floor(k / plan.seeds.length)];
    const jobs: ExperimentJob[] = ids.map((k) => {
      const cell = cellOf(k);
      const seed = plan.seeds[k % plan.seeds.length];
      return { id: k, scenarioYaml: cell.scenarioYaml, seed, arm: cell.name, plain: true, logDir: plan.logs ? jobDir(output.dir, cell.name, seed) : undefined };
    });

    const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
    const epochs = new Map<number, { done: number; of: number }>();
    const perEpoch = new Map(ids.map((k) => [k, epochWork(cellOf(k).scenario)]));
    const order = longestFirst(jobs, perEpoch);
    // A cell's runs are paced together: cells differ in what a slate costs.
    const work = new WorkShare(new Map(order.map((job) => [job.id, perEpoch.get(job.id) ?? []])), {
      processes: Math.max(1, workers),
      groups: new Map(ids.map((k) => [k, cellOf(k).name])),
    });
    let jobsDone = 0;
    const report = (): void => {
      const all = [...epochs.values()];
      // Jobs not yet started count as long as the ones seen (cells may differ in length).
      const typical = all.length === 0 ? 0 : all.reduce((s, e) => s + e.of, 0) / all.length;
      const total = Math.round(all.reduce((s, e) => s + e.of, 0) + typical * (jobs.length - all.length));
      options.onProgress?.(all.reduce((s, e) => s + e.done, 0), total, jobsDone, jobs.length, work.timeLeft());
    };
    const unordered = await runJobs(order, {
      workers,
      onEpoch: (job, done, of) => {
        epochs.set(job.id, { done, of });
        work.epochsDone(job.id, done);
        report();
      },
      onJobDone: (result) => {
        jobsDone++;
        work.jobDone(result.id);
        report();
      },
    });
    // Written and listed in job order, whatever order they ran in.
    const results = unordered.sort((a, b) => a.id - b.id);
    for (const result of results) {
      const cell = cellOf(result.id);
      await writeJobFolder(output.dir, cell.scenario, cell.name, result);
    }

    let comparison: Comparison | undefined;
    if (options.shard === undefined) comparison = await finishSweep(output.dir, info);
    else {
      const slice: SliceInfo = { format: 'recloop-sweep-slice/1', shard: { ...options.shard }, jobs: ids, sweep: info };
      await writeFile(join(output.dir, SWEEP_FILES.slice), toJson(slice));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    await writeFile(join(output.dir, SWEEP_FILES.info), toJson(runInfo(plan, results, workers, wallSeconds, options.shard)));
    await output.commit();
    return { dir: output.finalDir, jobs: jobs.length, workers, wallSeconds, comparison };
  } catch (error) {
    await output.discard();
    throw error;
  }
}

function runInfo(plan: SweepPlan, results: readonly JobResult[], workers: number, wallSeconds: number, shard: Shard | undefined): Record<string, unknown> {
  return {
    finished_at: new Date().toISOString(),
    wall_seconds: wallSeconds,
    workers,
    ...(shard === undefined ? {} : { shard: `${shard.index}/${shard.count}` }),
    jobs: results.map((r) => ({ job: r.id, cell: plan.cells[Math.floor(r.id / plan.seeds.length)].name, seed: r.seed, wall_seconds: r.wallSeconds })),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

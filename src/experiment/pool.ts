/**
 * Runs experiment jobs in worker processes, one job per worker at a time, the next job going to
 * whichever worker finishes first. Results come back in job order whatever order they finish
 * in, and a job gives the same rows in a worker as on the calling thread (`workers: 0`).
 *
 * Why processes and not worker threads: V8 compiles and collects garbage on background threads
 * that belong to the process, so a job on a worker thread keeps about 1.2 cores busy, and two
 * such jobs on two cores slowed each other by about 20%. A worker process runs its job with
 * single-threaded garbage collection and compilation on the job's own thread: one core per job,
 * and a job alone is no slower (bench/experiment.ts; docs/ARCHITECTURE.md).
 *
 * The worker entry is ./worker.js next to this file when running compiled JavaScript; from
 * TypeScript sources (vitest, tsx) it is ./worker.ts, loaded through tsx.
 */
import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withHugePages } from '../core/huge-pages.js';
import { HEAP_FLAGS } from '../core/young-generation.js';
import { onInterrupt } from '../run/interrupt.js';
import { runJob, type ExperimentJob, type JobResult } from './job.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface PoolOptions {
  /** Worker processes (at most one per job); 0 runs the jobs one after another on this thread. Default: one per core. */
  readonly workers?: number;
  /** A job finished an epoch (`done` of `epochs`). */
  readonly onEpoch?: (job: ExperimentJob, done: number, epochs: number) => void;
  readonly onJobDone?: (result: JobResult) => void;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

export async function runJobs(jobs: readonly ExperimentJob[], options: PoolOptions = {}): Promise<JobResult[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(), jobs.length);
  if (!Number.isInteger(workers) || workers < 0) throw new RangeError(`workers must be a whole number of 0 or more, got ${options.workers}`);
  return workers === 0 ? runInline(jobs, options) : runOnWorkers(jobs, workers, options);
}

async function runInline(jobs: readonly ExperimentJob[], options: PoolOptions): Promise<JobResult[]> {
  const results: JobResult[] = [];
  for (const job of jobs) {
    const result = await runJob(job, (done, epochs) => options.onEpoch?.(job, done, epochs));
    options.onJobDone?.(result);
    results.push(result);
  }
  return results;
}

function runOnWorkers(jobs: readonly ExperimentJob[], count: number, options: PoolOptions): Promise<JobResult[]> {
  const byId = new Map(jobs.map((job) => [job.id, job]));
  const results = new Map<number, JobResult>();
  const workers: ChildProcess[] = [];
  let next = 0;
  let settled = false;

  return new Promise<JobResult[]>((resolve, reject) => {
    // Stopped by Ctrl-C or killed by a signal, this process takes its workers with it.
    const forgetWorkers = onInterrupt(() => {
      for (const worker of workers) worker.kill();
    });
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      forgetWorkers();
      for (const worker of workers) worker.kill();
      if (error) reject(error);
      else resolve(jobs.map((job) => results.get(job.id) as JobResult));
    };
    const feed = (worker: ChildProcess): void => {
      if (next < jobs.length) worker.send({ type: 'job', job: jobs[next++] } satisfies ToWorker);
      else if (results.size === jobs.length) finish();
    };
    for (let i = 0; i < count; i++) {
      const worker = startWorker();
      workers.push(worker);
      worker.on('message', (message: FromWorker) => {
        if (settled) return;
        switch (message.type) {
          case 'epoch': {
            const job = byId.get(message.id);
            if (job) options.onEpoch?.(job, message.done, message.epochs);
            return;
          }
          case 'done':
            results.set(message.result.id, message.result);
            options.onJobDone?.(message.result);
            feed(worker);
            return;
          case 'failed': {
            const error = new Error(message.message);
            if (message.stack !== undefined) error.stack = message.stack;
            finish(error);
            return;
          }
        }
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code, signal) => {
        if (!settled) finish(new Error(`an experiment worker stopped (${signal ?? `exit code ${code}`}) before its jobs were done`));
      });
      feed(worker);
    }
  });
}

/**
 * One core per job (see the top of this file). A simulation allocates many short-lived objects:
 * a larger young generation means fewer scavenges, and no pretenuring keeps them out of the old one.
 */
const WORKER_FLAGS = ['--single-threaded-gc', '--no-concurrent-recompilation', ...HEAP_FLAGS];

function startWorker(): ChildProcess {
  const here = import.meta.url;
  const options: ForkOptions = { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: withHugePages(process.env) };
  if (!here.endsWith('.ts')) return fork(fileURLToPath(new URL('./worker.js', here)), [], { ...options, execArgv: WORKER_FLAGS });
  const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return fork(fileURLToPath(new URL('./worker.ts', here)), [], { ...options, execArgv: ['--import', tsx, ...WORKER_FLAGS] });
}

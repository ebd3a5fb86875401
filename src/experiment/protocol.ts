/** Messages between the experiment pool and its worker processes. */
import type { ExperimentJob, JobResult } from './job.js';

export type ToWorker = { readonly type: 'job'; readonly job: ExperimentJob };

export type FromWorker =
  | { readonly type: 'epoch'; readonly id: number; readonly done: number; readonly epochs: number }
  | { readonly type: 'done'; readonly result: JobResult }
  | { readonly type: 'failed'; readonly id: number; readonly message: string; readonly stack?: string };

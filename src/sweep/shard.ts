/**
 * `--shard i/n`: one of n slices of a sweep's jobs, for n machines (a Slurm array, a Kubernetes
 * Indexed Job). Job k, in the sweep's job order (cell by cell, each cell's seeds in order), goes
 * to slice k mod n: round robin, so slices of a grid whose cells differ in cost stay even. i
 * counts from 0, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX do.
 */
import { SweepError } from './errors.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || count < 1 || index >= count) {
    throw new SweepError(`--shard ${text}: expected i/n with n at least 1 and i from 0 to n-1, e.g. --shard 0/4`);
  }
  return { index, count };
}

/** The jobs (0 … jobs-1) that belong to a shard. */
export function shardJobs(jobs: number, shard: Shard): number[] {
  return Array.from({ length: jobs }, (_, k) => k).filter((k) => k % shard.count === shard.index);
}

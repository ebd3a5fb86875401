/**
 * A run's checkpoint in its staging folder: the whole simulation as one object graph
 * (checkpoint/object-graph.ts) after an epoch, with what the run needs to go on from it. Written
 * beside and then renamed over the last one, so a process killed while writing leaves the earlier
 * checkpoint whole.
 */
import { existsSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { GraphSnapshot } from '../checkpoint/object-graph.js';

export const CHECKPOINT_FILE = 'checkpoint.bin';
const FORMAT = 1;

export interface RunCheckpoint {
  readonly format: typeof FORMAT;
  /** Epochs run to their end: the metrics file's first lines, the impression log's first files. */
  readonly epochsDone: number;
  /** Whether the run was started with --force (it may then replace an earlier run when it ends). */
  readonly force: boolean;
  readonly graph: GraphSnapshot;
}

export async function writeCheckpoint(dir: string, checkpoint: Omit<RunCheckpoint, 'format'>): Promise<void> {
  const file = join(dir, CHECKPOINT_FILE);
  await writeFile(`${file}.tmp`, serialize({ format: FORMAT, ...checkpoint }));
  await rename(`${file}.tmp`, file);
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

export function readCheckpoint(dir: string): RunCheckpoint {
  const file = join(dir, CHECKPOINT_FILE);
  const value = deserialize(readFileSync(file)) as Partial<RunCheckpoint> | null;
  if (value?.format !== FORMAT || typeof value.epochsDone !== 'number' || value.graph === undefined) {
    throw new Error(`${file}: not a checkpoint this version of recloop wrote (format ${String(value?.format)}, expected ${FORMAT})`);
  }
  return value as RunCheckpoint;
}

export async function removeCheckpoint(dir: string): Promise<void> {
  const file = join(dir, CHECKPOINT_FILE);
  await rm(file, { force: true });
  await rm(`${file}.tmp`, { force: true });
}

/**
 * When to write one: after the first epoch, then once the time since the last is at least 19
 * times what the last one cost, so checkpoints take at most 5% of the run.
 */
export class CheckpointSchedule {
  private lastEnd = performance.now();
  private lastCost = 0;

  due(): boolean {
    return performance.now() - this.lastEnd >= 19 * this.lastCost;
  }

  async write(save: () => Promise<void>): Promise<void> {
    const start = performance.now();
    await save();
    this.lastEnd = performance.now();
    this.lastCost = this.lastEnd - start;
  }
}

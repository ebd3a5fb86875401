/**
 * A run's checkpoint in its staging folder: the whole simulation as one object graph
 * (checkpoint/object-graph.ts) after an epoch, with what the run needs to go on from it. Written
 * beside and then renamed over the last one, so a process killed while writing leaves the earlier
 * checkpoint whole.
 */
import { existsSync, readFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { GraphSnapshot } from '../checkpoint/object-graph.js';

export const CHECKPOINT_FILE = 'checkpoint.bin';
const FORMAT = 3;
let version: string | undefined;

/**
 * The recloop that writes and reads checkpoints (another one's classes may hold other fields):
 * the version in the nearest package.json named recloop above this module, wherever it was built.
 */
function recloopVersion(): string {
  if (version !== undefined) return version;
  version = 'unknown';
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    const found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }) : undefined;
    if (found?.name === 'recloop' && found.version !== undefined) return (version = found.version);
    if (dirname(dir) === dir) return version;
  }
}

export interface RunCheckpoint {
  /** Epochs run to their end: the metrics file's first lines, the impression log's first files. */
  readonly epochsDone: number;
  /** Whether the run was started with --force (it may then replace an earlier run when it ends). */
  readonly force: boolean;
  readonly graph: GraphSnapshot;
}

/**
 * The file: the byte length of the header, the header (v8-serialized: the checkpoint with the
 * graph's code and buffers replaced by their lengths), the graph's code, then the buffers' bytes
 * in order. Written raw, the code and the buffers (most of a run's state: the impression log
 * window) are never copied into one serialized whole, which took longer than writing them.
 */
export async function writeCheckpoint(dir: string, checkpoint: RunCheckpoint): Promise<void> {
  const file = join(dir, CHECKPOINT_FILE);
  const { code, strings, buffers, payloads } = checkpoint.graph;
  const graph = { strings, payloads, codeLength: code.length, bufferLengths: buffers.map((b) => b.byteLength) };
  const header = serialize({ format: FORMAT, version: recloopVersion(), epochsDone: checkpoint.epochsDone, force: checkpoint.force, graph });
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const handle = await open(`${file}.tmp`, 'w');
  try {
    const parts = [length, header, code, ...buffers.map((b) => new Uint8Array(b))];
    // writev takes a bounded number of buffers per call.
    for (let at = 0; at < parts.length; at += 512) await handle.writev(parts.slice(at, at + 512));
  } finally {
    await handle.close();
  }
  await rename(`${file}.tmp`, file);
}

interface Header {
  readonly format?: unknown;
  readonly version?: unknown;
  readonly epochsDone?: unknown;
  readonly force?: boolean;
  readonly graph?: { readonly strings: string[]; readonly payloads: unknown[]; readonly codeLength: number; readonly bufferLengths: number[] };
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

export function readCheckpoint(dir: string): RunCheckpoint {
  const file = join(dir, CHECKPOINT_FILE);
  const bytes = readFileSync(file);
  const headerLength = bytes.length >= 8 ? Number(bytes.readBigUInt64LE(0)) : Infinity;
  const header = headerLength <= bytes.length - 8 ? (deserialize(bytes.subarray(8, 8 + headerLength)) as Header) : undefined;
  if (header?.format !== FORMAT || typeof header.epochsDone !== 'number' || header.graph === undefined) {
    throw new Error(`${file}: not a checkpoint this version of recloop wrote (format ${String(header?.format)}, expected ${FORMAT})`);
  }
  if (header.version !== recloopVersion()) {
    throw new Error(`${file}: written by recloop ${String(header.version)}, and this is ${recloopVersion()}; resume with the version that started the run, or start it over with --force`);
  }
  const { strings, payloads, codeLength, bufferLengths } = header.graph;
  let at = 8 + headerLength;
  const described = at + codeLength + bufferLengths.reduce((sum, n) => sum + n, 0);
  if (described !== bytes.length) throw new Error(`${file}: ${bytes.length} bytes where its header describes ${described}; the file is damaged`);
  const code = bytes.subarray(at, at + codeLength);
  at += codeLength;
  const buffers = bufferLengths.map((length) => {
    const start = bytes.byteOffset + at;
    at += length;
    return bytes.buffer.slice(start, start + length) as ArrayBuffer;
  });
  return { epochsDone: header.epochsDone, force: header.force ?? false, graph: { code, strings, buffers, payloads } };
}

export async function removeCheckpoint(dir: string): Promise<void> {
  const file = join(dir, CHECKPOINT_FILE);
  await rm(file, { force: true });
  await rm(`${file}.tmp`, { force: true });
}

/**
 * When to write one: after the first epoch, then whenever the checkpoints so far and the next
 * (taken as 1.5 times the last: they grow with the log window) fit in 4% of the run's time so
 * far. Checkpoints then stay under 5% of a run however long it is.
 */
export class CheckpointSchedule {
  private readonly started = performance.now();
  private spent = 0;
  private lastCost = 0;
  private count = 0;

  /** Checkpoints written and the seconds they took (run.json). */
  get written(): { readonly count: number; readonly seconds: number } {
    return { count: this.count, seconds: this.spent / 1000 };
  }

  due(): boolean {
    return this.spent + 1.5 * this.lastCost <= 0.04 * (performance.now() - this.started);
  }

  async write(save: () => Promise<void>): Promise<void> {
    const start = performance.now();
    await save();
    this.lastCost = performance.now() - start;
    this.spent += this.lastCost;
    this.count += 1;
  }
}

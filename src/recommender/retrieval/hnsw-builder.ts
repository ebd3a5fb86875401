/**
 * Builds HNSW graphs on a thread of their own, so a retrain can train the ranker on the main
 * thread while the two-tower's index is built (the largest single cost of a retrain at 50k
 * items and more). The graph is the one an in-thread build gives: the same vectors added in the
 * same order with the same seed. Where the thread cannot start, the build runs in place.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';
import { moduleWorker } from '../../core/module-worker.js';
import { HnswRetriever, type HnswParams } from './hnsw.js';

export interface HnswBuildTask {
  readonly id: number;
  readonly vectors: Float32Array;
  readonly count: number;
  readonly dim: number;
  readonly params: HnswParams;
  /** Where the thread writes the graph. */
  readonly file: string;
}

interface HnswBuildReply {
  readonly id: number;
  readonly error: string | null;
}

let thread: Worker | null | undefined;
let nextId = 0;
const waiting = new Map<number, (reply: HnswBuildReply) => void>();

function buildThread(): Worker | null {
  if (thread !== undefined) return thread;
  try {
    const worker = moduleWorker(import.meta.url, 'hnsw-build-thread');
    worker.on('message', (reply: HnswBuildReply) => {
      waiting.get(reply.id)?.(reply);
      waiting.delete(reply.id);
      if (waiting.size === 0) worker.unref();
    });
    worker.on('error', (error) => fail(`HNSW build thread failed: ${error.message}`));
    worker.on('exit', (code) => fail(`HNSW build thread stopped (exit code ${code})`));
    worker.unref(); // an idle builder never keeps the process alive
    thread = worker;
  } catch {
    thread = null;
  }
  return thread;
}

/** Ends every waiting build with `message`; the next build starts a new thread. */
function fail(message: string): void {
  thread = undefined;
  for (const [id, resolve] of waiting) resolve({ id, error: message });
  waiting.clear();
}

/** The retriever over `vectors` (one row of `dim` per entry of `ids`), its graph built on the build thread. */
export async function buildHnswOffThread(ids: Int32Array, vectors: Float32Array, dim: number, params: HnswParams): Promise<HnswRetriever> {
  if (vectors.length !== ids.length * dim) throw new RangeError(`HnswRetriever: ${vectors.length} values for ${ids.length} ids of dim ${dim}`);
  const worker = buildThread();
  if (!worker) return new HnswRetriever(ids, vectors, dim, params);
  const id = nextId++;
  const file = join(tmpdir(), `recloop-hnsw-${process.pid}-${id}.bin`);
  try {
    const reply = await new Promise<HnswBuildReply>((resolve) => {
      waiting.set(id, resolve);
      worker.ref(); // the run waits on this build
      const task: HnswBuildTask = { id, vectors: Float32Array.from(vectors), count: ids.length, dim, params, file };
      worker.postMessage(task, [task.vectors.buffer]);
    });
    if (reply.error !== null) throw new Error(reply.error);
    const index = new hnswlib.HierarchicalNSW('ip', dim);
    index.readIndexSync(file);
    return new HnswRetriever(ids, index, dim, params);
  } finally {
    rmSync(file, { force: true });
  }
}

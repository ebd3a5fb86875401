/**
 * Builds HNSW graphs on a thread of their own, so a retrain can train the ranker on the main
 * thread while the two-tower's index is built (the largest single cost of a retrain at 50k
 * items and more). The graph is the one an in-thread build gives: the same vectors added in the
 * same order with the same seed. Where the thread cannot start, the build runs in place. A run
 * served on several threads builds each graph once and shares it (hnsw-sharing.ts).
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId, type Worker } from 'node:worker_threads';
import hnswlib from 'hnswlib-node';
import { moduleWorker } from '../../core/module-worker.js';
import { buildHnswIndex, HnswRetriever, type HnswParams } from './hnsw.js';
import { hnswSharing } from './hnsw-sharing.js';

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

/**
 * The retriever over `vectors` (one row of `dim` per entry of `ids`), its graph built on the build
 * thread, or, where this thread reads the main thread's graphs (hnsw-sharing.ts), read from there.
 */
export async function buildHnswOffThread(ids: Int32Array, vectors: Float32Array, dim: number, params: HnswParams): Promise<HnswRetriever> {
  if (vectors.length !== ids.length * dim) throw new RangeError(`HnswRetriever: ${vectors.length} values for ${ids.length} ids of dim ${dim}`);
  const sharing = hnswSharing();
  if (sharing?.kind === 'receive') {
    const { file, done } = await sharing.next(vectors);
    try {
      return new HnswRetriever(ids, readGraph(file, dim), dim, params);
    } finally {
      done();
    }
  }
  const worker = buildThread();
  if (!worker && !sharing) return new HnswRetriever(ids, vectors, dim, params);
  const id = nextId++;
  const file = join(tmpdir(), `recloop-hnsw-${process.pid}-${threadId}-${id}.bin`);
  let announced = false;
  try {
    if (worker) await buildOnThread(worker, { id, vectors: Float32Array.from(vectors), count: ids.length, dim, params, file });
    else buildHnswIndex(vectors, ids.length, dim, params).writeIndexSync(file);
    const retriever = new HnswRetriever(ids, readGraph(file, dim), dim, params);
    if (sharing) {
      sharing.announce(file, vectors);
      announced = true; // the readers remove it
    }
    return retriever;
  } finally {
    if (!announced) rmSync(file, { force: true });
  }
}

async function buildOnThread(worker: Worker, task: HnswBuildTask): Promise<void> {
  const reply = await new Promise<HnswBuildReply>((resolve) => {
    waiting.set(task.id, resolve);
    worker.ref(); // the run waits on this build
    worker.postMessage(task, [task.vectors.buffer]);
  });
  if (reply.error !== null) throw new Error(reply.error);
}

function readGraph(file: string, dim: number): hnswlib.HierarchicalNSW {
  const index = new hnswlib.HierarchicalNSW('ip', dim);
  index.readIndexSync(file);
  return index;
}

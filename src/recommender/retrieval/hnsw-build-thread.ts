/**
 * The HNSW build thread's entry (hnsw-builder.ts starts it): builds each graph it is sent and
 * writes it to the file named, then says so. hnswlib's graphs cannot cross threads; a file can.
 */
import { parentPort } from 'node:worker_threads';
import { buildHnswIndex } from './hnsw.js';
import type { HnswBuildTask } from './hnsw-builder.js';

parentPort?.on('message', (task: HnswBuildTask) => {
  try {
    buildHnswIndex(task.vectors, task.count, task.dim, task.params).writeIndexSync(task.file);
    parentPort?.postMessage({ id: task.id, error: null });
  } catch (error) {
    parentPort?.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
  }
});

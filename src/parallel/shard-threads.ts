/**
 * Shard threads (shard-worker.ts), started early. A thread spends about a second loading its
 * modules before it can build its copy of the run; started once the scenario was read, it made
 * the main thread wait that long at the first epoch's end (~2 s of a 28 s run on two threads).
 * The `recloop` command starts the threads its command line asks for before it loads its own
 * modules (cli/main.ts), so both load at once; the run takes them, and tells each what to
 * simulate by a message (user-shards.ts). A thread no run takes does not keep the process alive.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../core/module-worker.js';
import { YOUNG_GENERATION_MIB } from '../core/young-generation.js';

/** A started shard thread, and why it stopped if it did before a run took it. */
export interface StartedShardThread {
  readonly worker: Worker;
  /** Set when the thread failed or stopped while waiting: the run that takes it fails with this. */
  readonly stopped: () => Error | undefined;
}

const waiting: StartedShardThread[] = [];

/** A new shard thread, loading its modules; it waits for its ShardStart message. */
function startShardThread(): StartedShardThread {
  const worker = moduleWorker(import.meta.url, 'shard-worker', { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB } });
  let stopped: Error | undefined;
  // Always listened to: an 'error' with no listener would throw in this thread.
  worker.on('error', (error) => (stopped ??= error));
  worker.on('exit', (code) => (stopped ??= new Error(`shard thread stopped (exit code ${code})`)));
  return { worker, stopped: () => stopped };
}

/**
 * Starts `count` shard threads now (at most one per core beyond this thread's), for a run that
 * will ask for them; until one is taken it does not keep the process alive.
 */
export function startShardThreadsEarly(count: number): void {
  const cores = Math.max(1, availableParallelism() - 1);
  for (let k = 0; k < Math.min(count, cores); k++) {
    const thread = startShardThread();
    thread.worker.unref();
    waiting.push(thread);
  }
}

/** A shard thread for a run: one started early if any waits, else a new one. */
export function takeShardThread(): StartedShardThread {
  const thread = waiting.shift() ?? startShardThread();
  thread.worker.ref();
  return thread;
}

/** Shard threads started early that no run has taken. */
export function shardThreadsWaiting(): number {
  return waiting.length;
}

/**
 * The shard threads a command line asks for: N − 1 for `run … --workers N` (or `--workers=N`),
 * else 0. A guess from the words alone, before the command is parsed: the run reads its options
 * itself, and a thread it does not take only cost its start.
 */
export function shardThreadsAsked(args: readonly string[]): number {
  if (args[0] !== 'run') return 0;
  let workers: string | undefined;
  for (let k = 1; k < args.length; k++) {
    if (args[k] === '--workers') workers = args[k + 1];
    else if (args[k].startsWith('--workers=')) workers = args[k].slice('--workers='.length);
  }
  const count = workers !== undefined && /^\d+$/.test(workers) ? Number(workers) : 0;
  return count >= 2 ? count - 1 : 0;
}

/**
 * The main thread's handle on one serving replica (replica.ts): starts its worker thread, sends
 * tasks, and takes replies either blocking (serving is synchronous: the loop waits for its
 * slates) or awaiting (a retrain runs while the main thread retrains its own copy).
 */
import { once } from 'node:events';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { moduleWorker } from '../core/module-worker.js';
import { YOUNG_GENERATION_MIB } from '../core/young-generation.js';
import type { Slate } from '../recommender/types.js';
import { unpackSlates } from './wire-format.js';
import type { ReplicaReply, ReplicaStart, ReplicaTask } from './protocol.js';

/** How long a blocking wait for slates lasts before the run stops with an error (a replica that died cannot say so). */
const SERVE_TIMEOUT_MS = 120_000;

export class ReplicaLink {
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
  ) {
    worker.on('error', (error) => (this.failure = error));
    worker.on('exit', (code) => (this.failure ??= new Error(`serving replica stopped (exit code ${code})`)));
  }

  /** Starts a replica and waits until its recommender is built. */
  static async start(settings: Omit<ReplicaStart, 'signal' | 'port'>): Promise<ReplicaLink> {
    const signal = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker({ ...settings, signal, port: port2 }, [port2]);
    const ready = once(worker, 'message');
    const failed = once(worker, 'error').then(([error]: unknown[]) => Promise.reject(error instanceof Error ? error : new Error(String(error))));
    await Promise.race([ready, failed]);
    return new ReplicaLink(worker, port1, new Int32Array(signal));
  }

  /** Sends a task that is answered (serve, retrain); take the answer with receiveNow or receive. */
  send(task: Exclude<ReplicaTask, { kind: 'catch-up' }>): void {
    this.check();
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(task);
  }

  /** Sends a catch-up, which has no answer. */
  post(task: Extract<ReplicaTask, { kind: 'catch-up' }>): void {
    this.check();
    this.port.postMessage(task);
  }

  /** Blocks until the reply to the last task arrives. */
  receiveNow(): readonly Slate[] {
    const deadline = Date.now() + SERVE_TIMEOUT_MS;
    while (Atomics.load(this.signal, 0) === 0) {
      if (Date.now() > deadline) throw new Error(`serving replica did not answer within ${SERVE_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.signal, 0, 0, 1000);
    }
    return this.take();
  }

  /** Waits, without blocking the thread, for the reply to the last task. */
  async receive(): Promise<readonly Slate[]> {
    while (Atomics.load(this.signal, 0) === 0) {
      this.check();
      const waiting = Atomics.waitAsync(this.signal, 0, 0, 1000);
      if (waiting.async) await waiting.value;
    }
    return this.take();
  }

  async close(): Promise<void> {
    this.port.close();
    await this.worker.terminate();
  }

  private take(): readonly Slate[] {
    const received = receiveMessageOnPort(this.port);
    if (received === undefined) throw new Error('serving replica signalled a reply that is not there');
    const reply = received.message as ReplicaReply;
    if (!reply.ok) throw new Error(`serving replica: ${reply.message}`);
    return unpackSlates(reply.slates);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}

/** The replica's worker thread (replica.ts). */
function startWorker(workerData: ReplicaStart, transferList: MessagePort[]): Worker {
  return moduleWorker(import.meta.url, 'replica', { workerData, transferList, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB } });
}

/**
 * One run's serving spread over threads. Every batch window's requests are cut into contiguous
 * parts: the main thread's recommender serves the first, each serving replica (replica.ts, a full
 * copy of the recommender in a worker thread) one of the others, at the same time. The replicas
 * observe every slate and retrain on the same log as the main thread's recommender, so each holds
 * its state; a request's slate depends only on that state and on draws keyed by the request, so
 * the slates, and with them the whole run, do not depend on how many threads served them.
 *
 * Retraining runs on every copy at once (the main thread's and each replica's), so it costs no
 * less wall time than on one thread; the HNSW graphs, the costliest part at large catalogs, are
 * built once, by the main thread, and read by the replicas (retrieval/hnsw-sharing.ts).
 */
import { HnswPublisher, shareHnswGraphs } from '../recommender/retrieval/hnsw-sharing.js';
import type { Recommender, RecommenderContext, RecommenderDiagnostics, RecRequest, Slate, SlateFeedback } from '../recommender/types.js';
import type { TrainingLog } from '../training/training-log.js';
import type { CatchUp, ReplicaTask, WindowSeen } from './protocol.js';
import { packFeedback, packRequests } from './wire-format.js';
import { ReplicaLink } from './replica-link.js';

/** A window as the main thread collects it: its feedback objects are packed when sent (wire-format.ts). */
interface WindowSeeing extends Omit<WindowSeen, 'feedback'> {
  readonly feedback: SlateFeedback[];
}

/** Runs started in this process: each gets its own channel for sharing HNSW graphs. */
let runs = 0;

/** Fewer requests than this per thread and the main thread serves the window alone: a handover costs ~0.1 ms. */
const MIN_REQUESTS_PER_PART = 2;

export class ParallelRecommender implements Recommender {
  readonly name: string;
  private seen: WindowSeeing[] = [{ items: [], users: [], feedback: [] }];
  /** Slates served in the current window: once as many have been observed, its feedback is complete. */
  private served = 0;
  private itemsSent: number;
  private usersSent: number;

  private constructor(
    private readonly local: Recommender,
    private readonly context: RecommenderContext,
    private readonly replicas: readonly ReplicaLink[],
  ) {
    this.name = local.name;
    this.itemsSent = context.catalog.size;
    this.usersSent = context.users.size;
  }

  /**
   * `local`, served together with `replicas` copies of it built from `scenarioYaml` in worker
   * threads. Call right after building `local`, before it serves or observes.
   */
  static async start(local: Recommender, context: RecommenderContext, scenarioYaml: string, logWindow: number, replicas: number): Promise<ParallelRecommender> {
    const items = context.catalog.all();
    const users = context.users.all();
    const links: ReplicaLink[] = [];
    // The replicas read the HNSW graphs this thread builds instead of building them again.
    const hnswChannel = `recloop-hnsw-${process.pid}-${runs++}`;
    try {
      for (let r = 0; r < replicas; r++) links.push(await ReplicaLink.start({ scenarioYaml, logWindow, items, users, hnswChannel }));
    } catch (error) {
      await Promise.all(links.map((link) => link.close()));
      throw error;
    }
    if (replicas > 0) shareHnswGraphs(new HnswPublisher(hnswChannel, replicas));
    return new ParallelRecommender(local, context, links);
  }

  serve(requests: readonly RecRequest[]): Slate[] {
    this.newWindow();
    this.served = requests.length;
    const parts = this.replicas.length + 1;
    if (requests.length < parts * MIN_REQUESTS_PER_PART) return this.local.serve(requests);
    // The main thread's part is the smallest: the world, the log and the metrics wait on it alone.
    const bounds = Array.from({ length: parts + 1 }, (_, p) => requests.length - Math.ceil(((parts - p) * requests.length) / parts));
    const catchUp = this.catchUp();
    this.replicas.forEach((replica, r) => replica.send({ kind: 'serve', catchUp, requests: packRequests(requests.slice(bounds[r + 1], bounds[r + 2])) }));
    const slates = this.local.serve(requests.slice(0, bounds[1]));
    for (const replica of this.replicas) slates.push(...replica.receiveNow());
    return slates;
  }

  observe(feedback: SlateFeedback): void {
    this.local.observe?.(feedback);
    const window = this.seen[this.seen.length - 1];
    window.feedback.push(feedback);
    if (window.feedback.length === this.served) {
      const catchUp = this.catchUp();
      for (const replica of this.replicas) replica.post({ kind: 'catch-up', catchUp });
    }
  }

  async retrain(log: TrainingLog, now: number): Promise<void> {
    const newest = log.chunks[log.chunks.length - 1];
    if (newest === undefined) throw new Error('retrain called with an empty training log');
    this.newWindow();
    const catchUp = this.catchUp();
    const { impressions } = newest;
    const chunk = { epoch: newest.epoch, start: newest.start, end: newest.end, columns: impressions.columns, strings: impressions.strings };
    const task: ReplicaTask = { kind: 'retrain', catchUp, chunk, now };
    for (const replica of this.replicas) replica.send(task);
    await this.local.retrain(log, now);
    for (const replica of this.replicas) await replica.receive();
  }

  diagnostics(): RecommenderDiagnostics {
    return this.local.diagnostics?.() ?? { metrics: {}, timings: {} };
  }

  async close(): Promise<void> {
    shareHnswGraphs(null);
    await Promise.all(this.replicas.map((replica) => replica.close()));
  }

  /** Notes the items and users that arrived since the last window; the window's feedback follows them. */
  private newWindow(): void {
    const { catalog, users } = this.context;
    this.seen.push({ items: catalog.all().slice(this.itemsSent), users: users.all().slice(this.usersSent), feedback: [] });
    this.itemsSent = catalog.size;
    this.usersSent = users.size;
  }

  /** What the replicas have not seen yet; afterwards they will have. Feedback on the current window goes with the next task. */
  private catchUp(): CatchUp {
    const windows = this.seen;
    this.seen = [{ items: [], users: [], feedback: [] }];
    return windows.map(({ items, users, feedback }) => ({ items, users, feedback: packFeedback(feedback) }));
  }
}

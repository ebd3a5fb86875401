/**
 * A run split by users (`recloop run --workers N`): the main thread simulates shard 0 and keeps
 * the metrics and the output; each of N − 1 worker threads (shard-worker.ts) simulates another
 * shard of the same world with its own copy of the recommender. At each epoch end this exchange
 * collects the shards' epochs, merges them into the order one thread would have produced
 * (shard-merge.ts), and sends every shard the merged log and the others' feedback; then every
 * copy retrains on the same log, at the same time. Each model is trained by one thread and
 * adopted by the others (recommender/trained-states.ts: the two-tower on shard 1, the ranker on
 * shard 2 or, on two threads, here), and the HNSW graphs are built once, by the main thread, and
 * read by the others (retrieval/hnsw-sharing.ts).
 */
import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { HnswPublisher, shareHnswGraphs } from '../recommender/retrieval/hnsw-sharing.js';
import { shareTrainedStates, TrainedStates } from '../recommender/trained-states.js';
import type { EpochExchange, MergedEpoch, ShardEpoch } from '../simulation/shard-epoch.js';
import { Inbox } from './inbox.js';
import { mergeShardEpochs, replayFor, sumTallies } from './shard-merge.js';
import type { MergedMessage, ShardMessage, ShardStart } from './shard-protocol.js';
import { takeShardThread } from './shard-threads.js';

/** Runs started in this process: each gets its own channel for sharing HNSW graphs. */
let runs = 0;

interface ShardThread {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly inbox: Inbox<ShardMessage>;
}

export class UserShards implements EpochExchange {
  private slates = 0;

  private constructor(private readonly threads: readonly ShardThread[]) {}

  /** Starts `count` − 1 shard threads on `scenarioYaml`; the caller's simulation is shard 0. */
  static start(scenarioYaml: string, count: number): UserShards {
    const run = `${process.pid}-${runs++}`;
    const hnswChannel = `recloop-hnsw-${run}`;
    const statesChannel = `recloop-states-${run}`;
    const states = new TrainedStates(statesChannel, 0, count);
    shareTrainedStates(states);
    const threads = Array.from({ length: count - 1 }, (_, k) => startShard({ scenarioYaml, index: k + 1, count, hnswChannel, statesChannel }, states));
    shareHnswGraphs(new HnswPublisher(hnswChannel, count - 1));
    return new UserShards(threads);
  }

  async endEpoch(epoch: number, local: ShardEpoch): Promise<MergedEpoch> {
    const shards: ShardEpoch[] = [local];
    for (const thread of this.threads) {
      const message = await thread.inbox.next();
      if (message.kind === 'failed') throw new Error(`shard thread: ${message.message}`);
      if (message.kind !== 'epoch' || message.epoch !== epoch) throw new Error(`shard thread sent ${message.kind} at the end of epoch ${epoch}`);
      const { events, keys, impressions, feedback, prefs, tally } = message;
      shards.push({ events, keys, impressions, feedback, prefs, tally });
    }
    const merge = mergeShardEpochs(shards, this.slates);
    this.slates += merge.origin.length;
    const tally = sumTallies(shards.map((shard) => shard.tally));
    const reply: MergedMessage = {
      kind: 'merged',
      impressions: { columns: merge.impressions.columns, strings: merge.impressions.strings },
      origin: merge.origin,
      feedback: shards.map((shard) => shard.feedback),
      slates: this.slates,
      tally,
    };
    for (const thread of this.threads) thread.port.postMessage(reply);
    return {
      impressions: merge.impressions,
      events: merge.events,
      prefs: shards.map((shard) => shard.prefs),
      replay: replayFor(0, merge.origin, reply.feedback),
      slates: this.slates,
      tally,
    };
  }

  /** Waits for every shard thread to finish its run, then stops them. */
  async finish(): Promise<void> {
    for (const thread of this.threads) {
      const message = await thread.inbox.next();
      if (message.kind === 'failed') throw new Error(`shard thread: ${message.message}`);
    }
    await this.close();
  }

  async close(): Promise<void> {
    shareHnswGraphs(null);
    shareTrainedStates(null);
    await Promise.all(this.threads.map(({ worker, port }) => (port.close(), worker.terminate())));
  }
}

/** A shard thread; its failure also ends the main thread's wait for a model it would have trained. */
function startShard(settings: Omit<ShardStart, 'port'>, states: TrainedStates): ShardThread {
  const { worker, stopped } = takeShardThread();
  const { port1, port2 } = new MessageChannel();
  const inbox = new Inbox<ShardMessage>(port1);
  const fail = (error: Error): void => {
    inbox.fail(error);
    states.fail(error);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`shard thread stopped (exit code ${code})`)));
  port1.on('message', (message: ShardMessage) => {
    if (message.kind === 'failed') states.fail(new Error(`shard thread: ${message.message}`));
  });
  const early = stopped();
  if (early) fail(early);
  else worker.postMessage({ ...settings, port: port2 } satisfies ShardStart, [port2]);
  return { worker, port: port1, inbox };
}

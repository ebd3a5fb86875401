/**
 * Trained models shared between a run's threads. In a run split by users (src/parallel) every
 * thread retrains its copy of the recommender on the same merged log, so every copy would train
 * the same models. With sharing on, each model is trained by one thread only, which publishes
 * what it trained (weights, calibration, the statistics serving reads); the other threads adopt
 * it instead of training. The two-tower trains on shard 1 and the ranker on shard 2, which on two
 * threads is the main one: the two models train at once, each on a core of its own, and the main
 * thread, whose epoch end also holds the metrics (and the log's files), takes the ranker, usually
 * the shorter training. The main thread builds the HNSW graphs every thread serves from
 * (hnsw-sharing.ts) once it has the two-tower; every thread builds the same inverted file.
 *
 * States are matched by component and by their order since sharing began (a channel hears only
 * what is published after it opens: every thread opens its own when it starts). Adopting copies
 * values exactly: the threads serve the same scores as one thread that trained both
 * (tests/parallel-serving.test.ts).
 */
import { BroadcastChannel } from 'node:worker_threads';

/** The shard that trains `component`: the ranker on shard 2 (0 on two threads), everything else on shard 1 (0 when alone). */
export function trainingShard(component: string, shards: number): number {
  return component === 'ranker' ? 2 % shards : 1 % shards;
}

interface Published {
  readonly component: string;
  readonly retrain: number;
  readonly state: unknown;
}

type Waiter = { resolve: (state: unknown) => void; reject: (error: Error) => void };

export class TrainedStates {
  private readonly channel: BroadcastChannel;
  private readonly published = new Map<string, number>();
  private readonly received = new Map<string, number>();
  private readonly arrived = new Map<string, unknown>();
  private readonly waiting = new Map<string, Waiter>();
  private failure: Error | undefined;

  /** This thread is shard `shard` of `shards`; every thread of the run opens the channel `name`. */
  constructor(
    name: string,
    private readonly shard: number,
    private readonly shards: number,
  ) {
    this.channel = new BroadcastChannel(name);
    this.channel.unref();
    this.channel.onmessage = (event) => this.onPublished(event.data as Published);
  }

  /** True when this thread trains `component` (and publishes it); false when it adopts another thread's. */
  trains(component: string): boolean {
    return trainingShard(component, this.shards) === this.shard;
  }

  /** Sends what this thread trained to every other thread; typed arrays are copied. */
  publish(component: string, state: unknown): void {
    const retrain = this.published.get(component) ?? 0;
    this.published.set(component, retrain + 1);
    const message: Published = { component, retrain, state };
    this.channel.postMessage(message);
  }

  /** The state the training thread published for this thread's next retrain of `component`. */
  receive(component: string): Promise<unknown> {
    const retrain = this.received.get(component) ?? 0;
    this.received.set(component, retrain + 1);
    const key = `${component}#${retrain}`;
    if (this.arrived.has(key)) {
      const state = this.arrived.get(key);
      this.arrived.delete(key);
      return Promise.resolve(state);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.channel.ref(); // the thread waits on this state
      this.waiting.set(key, { resolve, reject });
    });
  }

  /** Ends every wait, now and later, with `error` (a thread that would have published has died). */
  fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(this.failure);
    this.waiting.clear();
    this.channel.unref();
  }

  close(): void {
    this.channel.close();
  }

  private onPublished(message: Published): void {
    const key = `${message.component}#${message.retrain}`;
    const waiter = this.waiting.get(key);
    if (!waiter) {
      this.arrived.set(key, message.state);
      return;
    }
    this.waiting.delete(key);
    if (this.waiting.size === 0) this.channel.unref();
    waiter.resolve(message.state);
  }
}

let sharing: TrainedStates | null = null;

/** This thread's sharing, if any: the two-tower source and the ranker ask it at each retrain. */
export function trainedStates(): TrainedStates | null {
  return sharing;
}

/** Starts (or, with null, ends) this thread's sharing; ending closes its channel. */
export function shareTrainedStates(next: TrainedStates | null): void {
  sharing?.close();
  sharing = next;
}

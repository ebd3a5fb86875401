/**
 * HNSW graphs shared between a run's threads. A shard thread (src/parallel) retrains on the
 * same log as the main thread, so it would build the same graphs again: at 50k items and more
 * that is a second build of several seconds on a 2-core machine where both threads are training
 * too. With sharing on, the main thread announces each graph it builds (the file its build
 * thread wrote, and a checksum of the vectors) on a broadcast channel, and each shard thread reads
 * the announced graph instead of building one; the file is removed once every shard thread has read
 * it. Builds are matched by their order since sharing began, and the checksum refuses a graph
 * built from other vectors (a thread out of step), so a shared graph is always the one the
 * thread would have built.
 */
import { rmSync } from 'node:fs';
import { BroadcastChannel } from 'node:worker_threads';

interface Announcement {
  readonly kind: 'graph';
  readonly build: number;
  readonly file: string;
  readonly checksum: number;
}

interface Receipt {
  readonly kind: 'read';
  readonly build: number;
}

type SharingMessage = Announcement | Receipt;

/** What a thread does with the graphs it needs: build and announce them, or read the announced ones. */
export type HnswSharing = HnswPublisher | HnswReceiver;

/** The main thread's side: announces each build's file and removes it once `readers` threads have read it. */
export class HnswPublisher {
  readonly kind = 'publish';
  private readonly channel: BroadcastChannel;
  private builds = 0;
  private readonly unread = new Map<number, { file: string; readers: number }>();

  constructor(
    name: string,
    private readonly readers: number,
  ) {
    this.channel = new BroadcastChannel(name);
    this.channel.unref();
    this.channel.onmessage = (event) => this.onReceipt(event.data as SharingMessage);
  }

  /** Announces a graph built from `vectors`; the file is now the readers' to remove. */
  announce(file: string, vectors: Float32Array): void {
    const build = this.builds++;
    this.unread.set(build, { file, readers: this.readers });
    const message: Announcement = { kind: 'graph', build, file, checksum: vectorChecksum(vectors) };
    this.channel.postMessage(message);
  }

  close(): void {
    this.channel.close();
    for (const { file } of this.unread.values()) rmSync(file, { force: true });
    this.unread.clear();
  }

  private onReceipt(message: SharingMessage): void {
    if (message.kind !== 'read') return;
    const entry = this.unread.get(message.build);
    if (entry === undefined) return;
    entry.readers -= 1;
    if (entry.readers > 0) return;
    rmSync(entry.file, { force: true });
    this.unread.delete(message.build);
  }
}

/** A shard thread's side: waits for the main thread's announcement of the graph it needs. */
export class HnswReceiver {
  readonly kind = 'receive';
  private readonly channel: BroadcastChannel;
  private builds = 0;
  private readonly announced = new Map<number, Announcement>();
  private readonly waiting = new Map<number, (announcement: Announcement) => void>();

  constructor(name: string) {
    this.channel = new BroadcastChannel(name);
    this.channel.unref();
    this.channel.onmessage = (event) => this.onAnnouncement(event.data as SharingMessage);
  }

  /** The file of the next graph, once announced; refuses one built from vectors other than `vectors`. */
  async next(vectors: Float32Array): Promise<{ file: string; done: () => void }> {
    const build = this.builds++;
    const announcement =
      this.announced.get(build) ??
      (await new Promise<Announcement>((resolve) => {
        this.channel.ref(); // the thread waits on this graph
        this.waiting.set(build, resolve);
      }));
    this.announced.delete(build);
    if (announcement.checksum !== vectorChecksum(vectors)) {
      throw new Error(`HNSW graph ${build} was built from other vectors than this thread's: its recommender is out of step with the main thread's`);
    }
    const receipt: Receipt = { kind: 'read', build };
    return { file: announcement.file, done: () => this.channel.postMessage(receipt) };
  }

  close(): void {
    this.channel.close();
  }

  private onAnnouncement(message: SharingMessage): void {
    if (message.kind !== 'graph') return;
    const resolve = this.waiting.get(message.build);
    if (resolve === undefined) {
      this.announced.set(message.build, message);
      return;
    }
    this.waiting.delete(message.build);
    if (this.waiting.size === 0) this.channel.unref();
    resolve(message);
  }
}

let sharing: HnswSharing | null = null;

/** This thread's sharing, if any (hnsw-builder.ts asks before each build). */
export function hnswSharing(): HnswSharing | null {
  return sharing;
}

/** Starts (or, with null, ends) this thread's sharing; ending closes the channel and removes unread files. */
export function shareHnswGraphs(next: HnswSharing | null): void {
  sharing?.close();
  sharing = next;
}

/** FNV-1a over the vectors' bits: equal vectors give equal sums, and a thread out of step almost surely not. */
export function vectorChecksum(vectors: Float32Array): number {
  const bits = new Int32Array(vectors.buffer, vectors.byteOffset, vectors.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i], 0x01000193);
  return h >>> 0;
}

/**
 * The public fields that hot loops read per candidate (creator, upload time, length, topic tags), copied
 * out of the append-only catalog into flat typed arrays: one array read instead of a registry
 * lookup and an object per item. `sync()` copies only the items added since its last call.
 */
import { grown } from '../core/typed-arrays.js';
import type { PublicCatalog } from '../world/public.js';

export class ItemTable {
  creators = new Int32Array(0);
  uploadTimes = new Float64Array(0);
  lengthMinutes = new Float64Array(0);
  /** Item i's tags, most prominent first, are topics[topicStart[i] .. topicStart[i + 1]). */
  topicStart = new Int32Array(1);
  topics = new Int32Array(0);
  /** One past the largest creator id and tag seen, for tables indexed by them. */
  creatorBound = 0;
  topicBound = 0;
  private count = 0;

  constructor(private readonly catalog: PublicCatalog) {}

  get size(): number {
    return this.count;
  }

  sync(): void {
    const size = this.catalog.size;
    if (size === this.count) return;
    if (size > this.creators.length) this.grow(Math.max(size, 2 * this.creators.length));
    let at = this.topicStart[this.count];
    for (let id = this.count; id < size; id++) {
      const item = this.catalog.get(id);
      this.creators[id] = item.creatorId;
      this.uploadTimes[id] = item.uploadTime;
      this.lengthMinutes[id] = item.lengthMinutes;
      this.creatorBound = Math.max(this.creatorBound, item.creatorId + 1);
      if (at + item.topics.length > this.topics.length) this.topics = grown(this.topics, Math.max(at + item.topics.length, 2 * this.topics.length));
      for (const topic of item.topics) {
        this.topics[at++] = topic;
        this.topicBound = Math.max(this.topicBound, topic + 1);
      }
      this.topicStart[id + 1] = at;
    }
    this.count = size;
  }

  private grow(capacity: number): void {
    this.creators = grown(this.creators, capacity);
    this.topicStart = grown(this.topicStart, capacity + 1);
    this.uploadTimes = grown(this.uploadTimes, capacity);
    this.lengthMinutes = grown(this.lengthMinutes, capacity);
  }
}

/**
 * One table per catalog, shared by the readers that look items up by id as they go (feature
 * writers, tower inputs): each syncs it when it meets an id beyond its size.
 */
const SHARED = new WeakMap<PublicCatalog, ItemTable>();
export function sharedItemTable(catalog: PublicCatalog): ItemTable {
  let table = SHARED.get(catalog);
  if (!table) SHARED.set(catalog, (table = new ItemTable(catalog)));
  return table;
}

/**
 * What the world reads of an item at every impression (the truth a user's utility and
 * consumption read, and the creator, upload time and length), one record of doubles per item in one
 * array: an item's record is a cache line or two where an ItemTruth object, its three typed
 * arrays and the public item are eight or so, scattered over the heap (in a 200,000-item world
 * most of a reaction's time was those misses). The values are the objects' own, float32 fields
 * widened exactly, so what is computed from either is the same numbers.
 *
 * Record layout: [topicNorm, appeal, quality, tag count, creator, upload time, length in
 * minutes, topic ids (maxTags), topic weights (maxTags), latent (dim)].
 */
import type { ItemTruth } from './items.js';

export const TOPIC_NORM = 0;
export const APPEAL = 1;
export const QUALITY = 2;
export const TAG_COUNT = 3;
export const CREATOR = 4;
export const UPLOAD_TIME = 5;
export const LENGTH_MINUTES = 6;
export const TOPIC_IDS = 7;

export class TruthRows {
  /** Doubles per item. */
  readonly width: number;
  /** Offsets of the topic weights and the latent vector in a record. */
  readonly weightsAt: number;
  readonly latentAt: number;
  values = new Float64Array(0);
  private count = 0;

  constructor(
    readonly maxTags: number,
    readonly dim: number,
  ) {
    this.weightsAt = TOPIC_IDS + maxTags;
    this.latentAt = this.weightsAt + maxTags;
    this.width = this.latentAt + dim;
  }

  /** Appends the next item's record (items are added in id order). */
  add(truth: ItemTruth, creatorId: number, uploadTime: number, lengthMinutes: number): void {
    const tags = truth.topicIds.length;
    if (tags > this.maxTags) throw new RangeError(`TruthRows: an item with ${tags} topics, at most ${this.maxTags}`);
    if (truth.latent.length !== this.dim) throw new RangeError(`TruthRows: a latent vector of ${truth.latent.length}, expected ${this.dim}`);
    const o = this.count * this.width;
    if (o + this.width > this.values.length) {
      const values = new Float64Array(Math.max(o + this.width, 2 * this.values.length, 1024 * this.width));
      values.set(this.values);
      this.values = values;
    }
    const v = this.values;
    v[o + TOPIC_NORM] = truth.topicNorm;
    v[o + APPEAL] = truth.appeal;
    v[o + QUALITY] = truth.quality;
    v[o + TAG_COUNT] = tags;
    v[o + CREATOR] = creatorId;
    v[o + UPLOAD_TIME] = uploadTime;
    v[o + LENGTH_MINUTES] = lengthMinutes;
    for (let j = 0; j < tags; j++) {
      v[o + TOPIC_IDS + j] = truth.topicIds[j];
      v[o + this.weightsAt + j] = truth.topicWeights[j];
    }
    v.set(truth.latent, o + this.latentAt);
    this.count++;
  }

  /** The item's creator. */
  creator(itemId: number): number {
    return this.field(itemId, CREATOR);
  }

  /** The item's upload time (in days). */
  uploadTime(itemId: number): number {
    return this.field(itemId, UPLOAD_TIME);
  }

  /** The item's length in minutes. */
  lengthMinutes(itemId: number): number {
    return this.field(itemId, LENGTH_MINUTES);
  }

  /** One field of an item's record; an id with no record is refused, as the public catalog refuses it. */
  private field(itemId: number, offset: number): number {
    if (!(itemId >= 0 && itemId < this.count && Number.isInteger(itemId))) throw new RangeError(`unknown id ${itemId}`);
    return this.values[itemId * this.width + offset];
  }
}

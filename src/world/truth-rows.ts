/**
 * The item truth a user's utility reads, one record of doubles per item in one array: a slate's
 * items are scored at every request, and an item's record is a cache line or two where an
 * ItemTruth object and its three typed arrays are seven or so, scattered over the heap (in a
 * 200,000-item world most of a reaction's time was those misses). The values are the objects'
 * own, float32 fields widened exactly, so utilities computed from either are the same numbers.
 *
 * Record layout: [topicNorm, appeal, quality, tag count, topic ids (maxTags), topic weights
 * (maxTags), latent (dim)].
 */
import { grown } from '../core/typed-arrays.js';
import type { ItemTruth } from './items.js';

export const TOPIC_NORM = 0;
export const APPEAL = 1;
export const QUALITY = 2;
export const TAG_COUNT = 3;
export const TOPIC_IDS = 4;

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
  add(truth: ItemTruth): void {
    const tags = truth.topicIds.length;
    if (tags > this.maxTags) throw new RangeError(`TruthRows: an item with ${tags} topics, at most ${this.maxTags}`);
    if (truth.latent.length !== this.dim) throw new RangeError(`TruthRows: a latent vector of ${truth.latent.length}, expected ${this.dim}`);
    const o = this.count * this.width;
    if (o + this.width > this.values.length) this.values = grown(this.values, Math.max(o + this.width, 2 * this.values.length, 1024 * this.width));
    const v = this.values;
    v[o + TOPIC_NORM] = truth.topicNorm;
    v[o + APPEAL] = truth.appeal;
    v[o + QUALITY] = truth.quality;
    v[o + TAG_COUNT] = tags;
    for (let j = 0; j < tags; j++) {
      v[o + TOPIC_IDS + j] = truth.topicIds[j];
      v[o + this.weightsAt + j] = truth.topicWeights[j];
    }
    v.set(truth.latent, o + this.latentAt);
    this.count++;
  }
}

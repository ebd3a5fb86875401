/**
 * Per-user, per-topic impressions and clicks, exponentially decayed: what a user was shown and
 * passed over is as telling as what they clicked. An impression counts 1/|tags| towards each of
 * the item's topics. Fed from every served slate (serving, in real time) and from the log replay
 * (training, in time order, read before each slate is added), with the same half-life so both
 * see counts on the same scale once a few half-lives have passed.
 */
import type { PublicCatalog } from '../../world/public.js';
import { sharedItemTable, type ItemTable } from '../item-table.js';

export const USER_ENGAGEMENT_HALF_LIFE = 3;

export class UserEngagement {
  private impressions = new Float32Array(0);
  private clicks = new Float32Array(0);
  /** Per user: total impressions and clicks (sums over topics, kept separately for speed). */
  private totals = new Float64Array(0);
  private last = new Float64Array(0);
  private readonly decayRate = Math.LN2 / USER_ENGAGEMENT_HALF_LIFE;

  /** Items' tags from flat arrays: an object lookup per impression was most of a log replay's cost. */
  private readonly items: ItemTable;

  constructor(
    readonly topics: number,
    catalog: PublicCatalog,
  ) {
    this.items = sharedItemTable(catalog);
  }

  /** Adds one slate shown to the user at `time`; `clickedItem` is -1 without a click. */
  addSlate(userId: number, time: number, items: ArrayLike<number>, clickedItem: number): void {
    this.ensure(userId);
    this.decay(userId, time);
    const T = this.topics;
    const o = userId * T;
    const table = this.items;
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      if (item >= table.size) table.sync();
      const start = table.topicStart[item];
      const end = table.topicStart[item + 1];
      const share = 1 / Math.max(1, end - start);
      const clicked = item === clickedItem;
      for (let j = start; j < end; j++) {
        const t = table.topics[j];
        if (t >= T) continue;
        this.impressions[o + t] += share;
        if (clicked) this.clicks[o + t] += share;
      }
    }
    this.totals[2 * userId] += items.length;
    if (clickedItem >= 0) this.totals[2 * userId + 1] += 1;
  }

  /**
   * Writes the user's smoothed click rate per topic into `rates` (length topics) as of `time`, and
   * returns the user's own smoothed overall click rate, which is also each topic's prior.
   */
  topicRates(userId: number, time: number, globalRate: number, rates: Float32Array): number {
    const T = this.topics;
    if (userId >= this.last.length) {
      rates.fill(globalRate);
      return globalRate;
    }
    const k = Math.exp(-this.decayRate * Math.max(0, time - this.last[userId]));
    const shown = this.totals[2 * userId] * k;
    const clicked = this.totals[2 * userId + 1] * k;
    // A user's rate is shrunk towards everyone's, each topic's towards the user's.
    const userRate = (clicked + 10 * globalRate) / (shown + 10);
    const o = userId * T;
    for (let t = 0; t < T; t++) rates[t] = (this.clicks[o + t] * k + 3 * userRate) / (this.impressions[o + t] * k + 3);
    return userRate;
  }

  private decay(userId: number, time: number): void {
    const dt = time - this.last[userId];
    if (dt <= 0) return;
    const k = Math.exp(-this.decayRate * dt);
    const T = this.topics;
    for (let t = userId * T; t < (userId + 1) * T; t++) {
      this.impressions[t] *= k;
      this.clicks[t] *= k;
    }
    this.totals[2 * userId] *= k;
    this.totals[2 * userId + 1] *= k;
    this.last[userId] = time;
  }

  private ensure(userId: number): void {
    if (userId < this.last.length) return;
    const size = Math.max(userId + 1, this.last.length * 2, 1024);
    const T = this.topics;
    this.impressions = grow(this.impressions, new Float32Array(size * T));
    this.clicks = grow(this.clicks, new Float32Array(size * T));
    this.totals = grow(this.totals, new Float64Array(size * 2));
    this.last = grow(this.last, new Float64Array(size));
  }
}

function grow<A extends Float32Array | Float64Array>(old: A, next: A): A {
  next.set(old);
  return next;
}

/**
 * Tower inputs built from what a real system knows (public catalog and user records, request
 * context, the user's recent clicks): per example, bags of embedding-table rows to pool plus a
 * few dense numeric features. Tables are not touched here; the model pools the bags.
 */
import { BagBuilder, singletonBags, type Bags } from '../../ml/bags.js';
import { sharedItemTable } from '../item-table.js';
import { DEVICES, type Device, type PublicCatalog, type PublicUsers } from '../../world/public.js';
import type { IdEvidence } from './id-evidence.js';

export type TableName = 'item' | 'tag' | 'creator' | 'country';

/** One block of the input row: the pooled rows of one table, `dim` columns wide. */
export interface Segment {
  readonly table: TableName;
  readonly bags: Bags;
}

/** Input rows for one tower: segments first (in order), then `numericWidth` numeric columns. */
export interface TowerInputs {
  readonly count: number;
  readonly segments: readonly Segment[];
  readonly numeric: Float32Array;
  readonly numericWidth: number;
}

/** User tower inputs: history ids, history tags, history creators, country; then numeric. */
export const USER_SEGMENTS: readonly TableName[] = ['item', 'tag', 'creator', 'country'];
/** Device one-hot (3), hour of day sin/cos, typical hour sin/cos, history fill. */
export const USER_NUMERIC = DEVICES.length + 5;
/** Item tower inputs: id, mean of tags, creator; then numeric. */
export const ITEM_SEGMENTS: readonly TableName[] = ['item', 'tag', 'creator'];
/** Age since upload, length (both log scale, roughly centred). */
export const ITEM_NUMERIC = 2;

const DEVICE_INDEX = new Map<Device, number>(DEVICES.map((d, k) => [d, k]));

export function deviceIndex(device: Device): number {
  return DEVICE_INDEX.get(device) ?? 0;
}

/**
 * The user side of a batch, struct-of-arrays: who asks, when, from which device, and the
 * clicks the user had made before that moment (newest first, at most `historyLength`).
 */
export class UserQueries {
  readonly userIds: Int32Array;
  readonly times: Float64Array;
  readonly hours: Float64Array;
  readonly devices: Int32Array;
  readonly historyItems: Int32Array;
  readonly historyTimes: Float64Array;
  readonly historyCounts: Int32Array;

  constructor(
    readonly count: number,
    readonly historyLength: number,
  ) {
    this.userIds = new Int32Array(count);
    this.times = new Float64Array(count);
    this.hours = new Float64Array(count);
    this.devices = new Int32Array(count);
    this.historyItems = new Int32Array(count * historyLength);
    this.historyTimes = new Float64Array(count * historyLength);
    this.historyCounts = new Int32Array(count);
  }
}

/** Hour of day of a simulated time in days (as the simulator stamps requests). */
export function hourOfDay(time: number): number {
  return Math.floor((time - Math.floor(time)) * 24);
}

export function userInputs(q: UserQueries, catalog: PublicCatalog, users: PublicUsers, halfLifeDays: number, evidence: IdEvidence): TowerInputs {
  const { count, historyLength: H } = q;
  const items = new BagBuilder(count, count * H);
  const tags = new BagBuilder(count, count * H * 2);
  const creators = new BagBuilder(count, count * H);
  const countries = new Int32Array(count);
  const numeric = new Float32Array(count * USER_NUMERIC);
  const weights = new Float64Array(H);
  const table = sharedItemTable(catalog);
  for (let b = 0; b < count; b++) {
    const n = q.historyCounts[b];
    // Recency weights, normalised to a weighted mean: a click halfLifeDays old counts half as much as one now.
    let total = 0;
    for (let j = 0; j < n; j++) {
      const age = Math.max(0, q.times[b] - q.historyTimes[b * H + j]);
      weights[j] = Math.pow(0.5, age / halfLifeDays);
      total += weights[j];
    }
    for (let j = 0; j < n; j++) {
      const w = weights[j] / total;
      const id = q.historyItems[b * H + j];
      if (id >= table.size) table.sync();
      items.add(id, w * evidence.weight(id));
      creators.add(table.creators[id], w);
      const from = table.topicStart[id];
      const count = table.topicStart[id + 1] - from;
      for (let t = 0; t < count; t++) tags.add(table.topics[from + t], w / count);
    }
    items.next();
    tags.next();
    creators.next();
    const user = users.get(q.userIds[b]);
    countries[b] = user.country;
    const row = b * USER_NUMERIC;
    numeric[row + q.devices[b]] = 1;
    const hour = (2 * Math.PI * q.hours[b]) / 24;
    const typical = (2 * Math.PI * user.typicalHour) / 24;
    numeric[row + 3] = Math.sin(hour);
    numeric[row + 4] = Math.cos(hour);
    numeric[row + 5] = Math.sin(typical);
    numeric[row + 6] = Math.cos(typical);
    numeric[row + 7] = Math.log1p(n) / Math.log1p(H); // lets the tower tell an empty history from a neutral one
  }
  return {
    count,
    segments: [
      { table: 'item', bags: items.build() },
      { table: 'tag', bags: tags.build() },
      { table: 'creator', bags: creators.build() },
      { table: 'country', bags: singletonBags(countries) },
    ],
    numeric,
    numericWidth: USER_NUMERIC,
  };
}

/** Item inputs as of `times` (one per item, or one time for all): age since upload changes with it. */
export function itemInputs(itemIds: ArrayLike<number>, times: ArrayLike<number> | number, catalog: PublicCatalog, evidence: IdEvidence): TowerInputs {
  const count = itemIds.length;
  const ids = singletonBags(itemIds);
  for (let b = 0; b < count; b++) ids.weights[b] = evidence.weight(itemIds[b]);
  const tags = new BagBuilder(count, count * 2);
  const creators = new Int32Array(count);
  const numeric = new Float32Array(count * ITEM_NUMERIC);
  for (let b = 0; b < count; b++) {
    const item = catalog.get(itemIds[b]);
    const topics = item.topics;
    for (let t = 0; t < topics.length; t++) tags.add(topics[t], 1 / topics.length);
    tags.next();
    creators[b] = item.creatorId;
    const time = typeof times === 'number' ? times : times[b];
    // Rough centring only (log days ~ 0..4, log minutes ~ 0..5): the dense layer does the rest.
    numeric[b * ITEM_NUMERIC] = Math.log1p(Math.max(0, time - item.uploadTime)) - 2;
    numeric[b * ITEM_NUMERIC + 1] = Math.log(Math.max(item.lengthMinutes, 1e-3)) - 1.5;
  }
  return {
    count,
    segments: [
      { table: 'item', bags: ids },
      { table: 'tag', bags: tags.build() },
      { table: 'creator', bags: singletonBags(creators) },
    ],
    numeric,
    numericWidth: ITEM_NUMERIC,
  };
}

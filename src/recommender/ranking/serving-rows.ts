/**
 * Standardized feature rows at serving, written without standardizing every column of every
 * row. A request's columns are written and standardized once and copied to each of its
 * candidates' rows. Of the candidate's own columns, those of the item alone (ITEM_SCALARS: its
 * length and frozen statistics) are written and standardized once per item between retrains and
 * copied; the rest (its topic columns and USER_ITEM_SCALARS) are written into a scratch row and
 * standardized into place. Every value goes through the same float32 store and the same
 * (x − mean)·(1/sd) as FeatureWriter.write followed by Standardizer.apply, so the rows are
 * identical to theirs.
 *
 * What a candidate's row needs of its item (upload time, creator, tags and those standardized
 * columns) is kept in one 64-byte record per item: on a catalog of hundreds of thousands of items
 * a candidate's item costs one or two cache misses there, where the catalog's own arrays (one per
 * field) cost one each.
 */
import { grown } from '../../core/typed-arrays.js';
import { ITEM_SCALARS, USER_ITEM_SCALARS, type FeatureWriter, type ItemStatFeatures, type UserSummary } from './features.js';
import type { RequestContext } from './request-context.js';
import type { Standardizer } from './standardizer.js';

const ITEM_WIDTH = ITEM_SCALARS.length;
/**
 * An item's record, a cache line's 64 bytes: a float64 upload time, then float32 slots [ITEM_WIDTH
 * standardized columns, then as int32: stamp, creator, tag count, tags …]. The columns are stored
 * as the float32 the rows hold, so copying them gives the rows' values exactly.
 */
const RECORD_BYTES = 64;
const RECORD_SLOTS = RECORD_BYTES / 4;
/** The upload time's float64 slot is the record's first; the float32 and int32 slots follow it. */
const COLUMNS = 2;
const STAMP = COLUMNS + ITEM_WIDTH;
const CREATOR = STAMP + 1;
const TAG_COUNT = STAMP + 2;
const TAGS = STAMP + 3;
/** Tags a record holds; an item with more reads them from the item table (TAG_COUNT −1). */
const RECORD_TAGS = RECORD_SLOTS - TAGS;
if (RECORD_TAGS < 2) throw new Error('serving rows: an item record has no room for its tags');

export class ServingRows {
  /** The request's row, standardized (candidate columns hold a standardized zero until written). */
  private readonly request: Float32Array;
  /** Raw candidate columns; every column but those being written is zero. */
  private readonly scratch: Float32Array;
  private readonly mean: Float32Array;
  private readonly inverseSd: Float32Array;
  /** Item records, three views of one buffer; a record is current where its stamp is `stamp`. */
  private uploads = new Float64Array(0);
  private floats = new Float32Array(0);
  private ints = new Int32Array(0);
  private stamp = 0;
  private itemStats: ItemStatFeatures | null = null;
  private itemStatsTime = Number.NaN;

  constructor(
    private readonly writer: FeatureWriter,
    readonly standardizer: Standardizer,
  ) {
    const { dim } = writer.layout;
    if (standardizer.mean.length !== dim) throw new RangeError(`ServingRows: standardizer of ${standardizer.mean.length} features for rows of ${dim}`);
    this.request = new Float32Array(dim);
    this.scratch = new Float32Array(dim);
    this.mean = standardizer.mean;
    this.inverseSd = standardizer.inverseSd;
  }

  /** Writes and standardizes the columns that depend only on the request. */
  startRequest(ctx: RequestContext, user: UserSummary): void {
    const { request, mean, inverseSd } = this;
    request.fill(0);
    this.writer.writeRequest(request, 0, ctx, user);
    for (let j = 0; j < request.length; j++) request[j] = (request[j] - mean[j]) * inverseSd[j];
  }

  /** Writes the standardized row of one candidate of the current request at out[o ..]. */
  writeCandidate(out: Float32Array, o: number, ctx: RequestContext, user: UserSummary, itemId: number, stats: ItemStatFeatures, statsTime: number): void {
    const { scratch, mean, inverseSd } = this;
    const { topics } = this.writer.layout;
    out.set(this.request, o);
    const at = this.recordAt(itemId, stats, statsTime);
    const { floats, ints } = this;
    let tags = ints;
    let from = at + TAGS;
    let to = from + ints[at + TAG_COUNT];
    if (ints[at + TAG_COUNT] < 0) {
      const items = this.writer.itemTable(itemId);
      tags = items.topics;
      from = items.topicStart[itemId];
      to = items.topicStart[itemId + 1];
    }
    this.writer.writeUserItemOf(scratch, 0, ctx, user, itemId, tags, from, to, ints[at + CREATOR], this.uploads[at >> 1]);
    for (let j = from; j < to; j++) {
      const t = tags[j];
      if (t >= topics) continue;
      const m = 2 * topics + t;
      // A repeated tag was written once and is standardized once: its scratch is zeroed below.
      if (scratch[t] === 0 && scratch[m] === 0) continue;
      out[o + t] = (scratch[t] - mean[t]) * inverseSd[t];
      out[o + m] = (scratch[m] - mean[m]) * inverseSd[m];
      scratch[t] = 0;
      scratch[m] = 0;
    }
    const s = 3 * topics;
    for (let k = 0; k < USER_ITEM_SCALARS.length; k++) {
      const c = s + USER_ITEM_SCALARS[k];
      out[o + c] = (scratch[c] - mean[c]) * inverseSd[c];
      scratch[c] = 0;
    }
    for (let k = 0; k < ITEM_WIDTH; k++) out[o + s + ITEM_SCALARS[k]] = floats[at + COLUMNS + k];
  }

  /** Where the item's record starts in `floats` and `ints` (its upload time at half that in `uploads`), (re)written on first use after a change of statistics. */
  private recordAt(itemId: number, stats: ItemStatFeatures, statsTime: number): number {
    if (stats !== this.itemStats || !Object.is(statsTime, this.itemStatsTime)) {
      this.stamp++;
      this.itemStats = stats;
      this.itemStatsTime = statsTime;
    }
    const at = itemId * RECORD_SLOTS;
    if (at >= this.ints.length) this.grow(itemId);
    if (this.ints[at + STAMP] !== this.stamp) this.writeRecord(itemId, at, stats, statsTime);
    return at;
  }

  private writeRecord(itemId: number, at: number, stats: ItemStatFeatures, statsTime: number): void {
    const { scratch, mean, inverseSd, floats, ints } = this;
    this.writer.writeItem(scratch, 0, itemId, stats, statsTime);
    const s = 3 * this.writer.layout.topics;
    for (let k = 0; k < ITEM_WIDTH; k++) {
      const c = s + ITEM_SCALARS[k];
      floats[at + COLUMNS + k] = (scratch[c] - mean[c]) * inverseSd[c];
      scratch[c] = 0;
    }
    const items = this.writer.itemTable(itemId);
    this.uploads[at >> 1] = items.uploadTimes[itemId];
    ints[at + STAMP] = this.stamp;
    ints[at + CREATOR] = items.creators[itemId];
    const from = items.topicStart[itemId];
    const count = items.topicStart[itemId + 1] - from;
    ints[at + TAG_COUNT] = count <= RECORD_TAGS ? count : -1;
    for (let k = 0; k < Math.min(count, RECORD_TAGS); k++) ints[at + TAGS + k] = items.topics[from + k];
  }

  private grow(itemId: number): void {
    const capacity = Math.max(itemId + 1, 2 * (this.ints.length / RECORD_SLOTS), 1024);
    this.ints = grown(this.ints, capacity * RECORD_SLOTS);
    this.floats = new Float32Array(this.ints.buffer);
    this.uploads = new Float64Array(this.ints.buffer);
  }
}

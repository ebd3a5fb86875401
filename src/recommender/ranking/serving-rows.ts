/**
 * Standardized feature rows at serving, written without standardizing every column of every
 * row. A request's columns are written and standardized once and copied to each of its
 * candidates' rows. Of the candidate's own columns, those of the item alone (ITEM_SCALARS: its
 * length and frozen statistics) are written and standardized once per item between retrains and
 * copied; the rest (its topic columns and USER_ITEM_SCALARS) are written into a scratch row and
 * standardized into place. Every value goes through the same float32 store and the same
 * (x − mean)·(1/sd) as FeatureWriter.write followed by Standardizer.apply, so the rows are
 * identical to theirs.
 */
import { grown } from '../../core/typed-arrays.js';
import { ITEM_SCALARS, USER_ITEM_SCALARS, type FeatureWriter, type ItemStatFeatures, type UserSummary } from './features.js';
import type { RequestContext } from './request-context.js';
import type { Standardizer } from './standardizer.js';

const ITEM_WIDTH = ITEM_SCALARS.length;

export class ServingRows {
  /** The request's row, standardized (candidate columns hold a standardized zero until written). */
  private readonly request: Float32Array;
  /** Raw candidate columns; every column but those being written is zero. */
  private readonly scratch: Float32Array;
  private readonly mean: Float32Array;
  private readonly inverseSd: Float32Array;
  /** Standardized ITEM_SCALARS per item, valid where `known` is set, for `itemStats` read at `itemStatsTime`. */
  private itemColumns = new Float32Array(0);
  private known = new Uint8Array(0);
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
    this.writer.writeUserItem(scratch, 0, ctx, user, itemId);
    const items = this.writer.itemTable(itemId);
    for (let j = items.topicStart[itemId]; j < items.topicStart[itemId + 1]; j++) {
      const t = items.topics[j];
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
    const at = this.itemAt(itemId, stats, statsTime);
    const { itemColumns } = this;
    for (let k = 0; k < ITEM_WIDTH; k++) out[o + s + ITEM_SCALARS[k]] = itemColumns[at + k];
  }

  /** Where the item's standardized ITEM_SCALARS start in itemColumns, written on first use after a change of statistics. */
  private itemAt(itemId: number, stats: ItemStatFeatures, statsTime: number): number {
    if (stats !== this.itemStats || !Object.is(statsTime, this.itemStatsTime)) {
      this.known.fill(0);
      this.itemStats = stats;
      this.itemStatsTime = statsTime;
    }
    if (itemId >= this.known.length) {
      const capacity = Math.max(itemId + 1, 2 * this.known.length, 1024);
      this.known = grown(this.known, capacity);
      this.itemColumns = grown(this.itemColumns, capacity * ITEM_WIDTH);
    }
    const at = itemId * ITEM_WIDTH;
    if (this.known[itemId] === 0) {
      const { scratch, mean, inverseSd, itemColumns } = this;
      this.writer.writeItem(scratch, 0, itemId, stats, statsTime);
      const s = 3 * this.writer.layout.topics;
      for (let k = 0; k < ITEM_WIDTH; k++) {
        const c = s + ITEM_SCALARS[k];
        itemColumns[at + k] = (scratch[c] - mean[c]) * inverseSd[c];
        scratch[c] = 0;
      }
      this.known[itemId] = 1;
    }
    return at;
  }
}

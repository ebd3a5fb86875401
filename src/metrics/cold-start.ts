/**
 * Cold start: do new items get shown, and how fast?
 *
 * "New items" are items whose `upload` event was observed during the run; the initial catalog
 * (no upload event) is never counted as new.
 *
 * - `fresh_impression_share`: share of impressions going to items younger than `freshAge` days
 *   at impression time (age = event time − world.itemUploadTime(item), so initial-catalog
 *   items uploaded shortly before day 0 can count as fresh). 0 when there were no impressions.
 * - `new_items`: upload events this epoch.
 * - `new_items_first_shown`: new items whose first impression happened this epoch.
 * - `time_to_first_impression_median`: median, over those items, of (first impression time −
 *   upload time) in days; 0 when `new_items_first_shown` is 0.
 * - `new_items_never_shown_share`: of all new items uploaded so far, the share with no
 *   impression yet (at epoch end); 0 when none have been uploaded.
 * - `new_items_unseen_first_days`: of the new items whose first `new_item_days` days (the
 *   setting, default 3) ended this epoch, the share with no impression in them: the starved.
 * - `new_item_exposure_quality_rank_corr`: over the same items, Spearman's correlation between
 *   their impressions in those days and their true quality: 1 when exposure follows quality,
 *   0 when it ignores it (read it against the oracle arm in the same world). 0 when every item
 *   got the same exposure.
 * - `new_items_first_days_ended`: how many items those two figures judge; they are undefined
 *   (0) when none.
 *
 * State per item: status byte, upload time and early impressions (typed arrays growing with
 * ids). Cost: O(slate) per slate, O(first-shown items log + items judged) per epoch.
 */
import { ensureLength, ratio } from './arrays.js';
import { positiveDuration } from '../settings/fields.js';
import { metricFamily, type MetricDeclarations, type MetricRow } from './declaration.js';
import { median, spearman } from './stats.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

const FIRST_DAYS_ENDED = {
  test: (row: MetricRow) => row.new_items_first_days_ended === undefined || row.new_items_first_days_ended > 0,
  note: 'undefined in epochs where no new item’s first days ended',
};

/** In panel order where charted. */
export const COLD_START_METRICS = {
  fresh_impression_share: { label: 'Fresh-item impressions', unit: '% of impressions', format: 'percent', description: 'items younger than the fresh age', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
  new_items_never_shown_share: { label: 'New items never shown', unit: '% of uploads', format: 'percent', description: 'of all uploads so far', better: 'lower', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: true },
  time_to_first_impression_median: {
    label: 'Time to first impression', unit: 'days', format: 'number', description: 'median, new items first shown this epoch', better: 'lower',
    defined: { test: (row) => row.new_items_first_shown === undefined || row.new_items_first_shown > 0, note: 'undefined in epochs where no new item was first shown' },
    overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_items_first_shown: { label: 'New items first shown', unit: 'items', format: 'count', description: 'per epoch', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
  new_items_unseen_first_days: {
    label: 'New items unseen in their first days', unit: '% of new items', format: 'percent', description: 'no impression in their first days (metrics.new_item_days)', better: 'lower',
    defined: FIRST_DAYS_ENDED, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_item_exposure_quality_rank_corr: {
    label: 'New items’ exposure against their quality', unit: 'rank correlation', format: 'number', description: 'Spearman, impressions in their first days vs true quality', better: 'higher',
    defined: FIRST_DAYS_ENDED, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_items_first_days_ended: { label: 'New items’ first days ended', unit: 'items', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: false, chart: null, headline: false },
  new_items: { label: 'New items', unit: 'uploads', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: false, chart: null, headline: false },
} as const satisfies MetricDeclarations;

type ColdStartRecord = Record<keyof typeof COLD_START_METRICS, number>;

const NOT_NEW = 0;
const UNSHOWN = 1;
const SHOWN = 2;

export interface ColdStartOptions {
  /** Items younger than this many days at impression time are fresh. */
  readonly freshAge: number;
  /** A new item's first days, judged once they have passed (default 3). */
  readonly newItemDays?: number;
}

const DEFAULT_NEW_ITEM_DAYS = 3;

export class ColdStartMetric implements Metric {
  private status = new Uint8Array(0);
  private uploadedAt = new Float64Array(0);
  private readonly freshAge: number;
  private impressions = 0;
  private freshImpressions = 0;
  private newItems = 0;
  private firstShownDelays: number[] = [];
  private uploadedTotal = 0;
  private neverShown = 0;
  /** Impressions of each new item within its first days. */
  private earlyImpressions = new Float64Array(0);
  /** New items in upload order; those from `nextJudged` on have not had their first days judged. */
  private readonly uploads: number[] = [];
  private nextJudged = 0;
  private readonly newItemDays: number;

  constructor(
    private readonly world: WorldView,
    options: ColdStartOptions,
  ) {
    if (!(options.freshAge > 0) || !Number.isFinite(options.freshAge)) {
      throw new RangeError(`freshAge must be a positive number of days (got ${options.freshAge})`);
    }
    const newItemDays = options.newItemDays ?? DEFAULT_NEW_ITEM_DAYS;
    if (!(newItemDays > 0) || !Number.isFinite(newItemDays)) {
      throw new RangeError(`newItemDays must be a positive number of days (got ${newItemDays})`);
    }
    this.freshAge = options.freshAge;
    this.newItemDays = newItemDays;
  }

  observe(event: SimEvent): void {
    switch (event.kind) {
      case 'upload': {
        const id = event.itemId;
        this.status = ensureLength(this.status, id + 1, NOT_NEW);
        this.uploadedAt = ensureLength(this.uploadedAt, id + 1, 0);
        this.earlyImpressions = ensureLength(this.earlyImpressions, id + 1, 0);
        if (this.status[id] !== NOT_NEW) break; // duplicate upload event
        this.status[id] = UNSHOWN;
        this.uploadedAt[id] = event.time;
        this.uploads.push(id);
        this.newItems++;
        this.uploadedTotal++;
        this.neverShown++;
        break;
      }
      case 'slate': {
        const { time } = event;
        const { items } = event;
        for (let p = 0; p < items.length; p++) {
          const item = items[p];
          this.impressions++;
          if (time - this.world.itemUploadTime(item) < this.freshAge) this.freshImpressions++;
          if (item >= this.status.length || this.status[item] === NOT_NEW) continue;
          if (this.status[item] === UNSHOWN) {
            this.status[item] = SHOWN;
            this.neverShown--;
            this.firstShownDelays.push(time - this.uploadedAt[item]);
          }
          if (time - this.uploadedAt[item] < this.newItemDays) this.earlyImpressions[item]++;
        }
        break;
      }
      default:
        break;
    }
  }

  endEpoch(bounds: EpochBounds): ColdStartRecord {
    const judged = this.judgeFirstDays(bounds.end);
    const record: ColdStartRecord = {
      fresh_impression_share: ratio(this.freshImpressions, this.impressions),
      new_items: this.newItems,
      new_items_first_shown: this.firstShownDelays.length,
      time_to_first_impression_median: median(this.firstShownDelays),
      new_items_never_shown_share: ratio(this.neverShown, this.uploadedTotal),
      new_items_unseen_first_days: ratio(judged.unseen, judged.items.length),
      new_item_exposure_quality_rank_corr: spearman(judged.impressions, judged.quality),
      new_items_first_days_ended: judged.items.length,
    };
    this.impressions = 0;
    this.freshImpressions = 0;
    this.newItems = 0;
    this.firstShownDelays = [];
    return record;
  }

  /** The new items whose first days ended by `end`: uploads come in time order, so they are the next ones in line. */
  private judgeFirstDays(end: number): { items: number[]; impressions: number[]; quality: number[]; unseen: number } {
    const judged = { items: [] as number[], impressions: [] as number[], quality: [] as number[], unseen: 0 };
    while (this.nextJudged < this.uploads.length) {
      const item = this.uploads[this.nextJudged];
      if (this.uploadedAt[item] + this.newItemDays > end) break;
      judged.items.push(item);
      judged.impressions.push(this.earlyImpressions[item]);
      judged.quality.push(this.world.itemQuality(item));
      if (this.earlyImpressions[item] === 0) judged.unseen++;
      this.nextJudged++;
    }
    return judged;
  }
}

export const COLD_START_FAMILY = metricFamily({
  metrics: COLD_START_METRICS,
  patterns: [],
  settings: {
    /** Items younger than this count as fresh in the fresh-impression share. */
    fresh_age: positiveDuration.prefault(2),
    /** A new item's first days: the window of `new_items_unseen_first_days` and the exposure-quality correlation. */
    new_item_days: positiveDuration.prefault(DEFAULT_NEW_ITEM_DAYS),
  },
  create: (world, settings) => new ColdStartMetric(world, { freshAge: settings.fresh_age, newItemDays: settings.new_item_days }),
});

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
 *
 * State per item: status byte and upload time (typed arrays growing with ids).
 * Cost: O(slate) per slate, O(first-shown items log) per epoch.
 */
import { ensureLength, ratio } from './arrays.js';
import { positiveDuration } from '../settings/fields.js';
import { metricFamily, type MetricDeclarations } from './declaration.js';
import { median } from './stats.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

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
  new_items: { label: 'New items', unit: 'uploads', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: false, chart: null, headline: false },
} as const satisfies MetricDeclarations;

type ColdStartRecord = Record<keyof typeof COLD_START_METRICS, number>;

const NOT_NEW = 0;
const UNSHOWN = 1;
const SHOWN = 2;

export interface ColdStartOptions {
  /** Items younger than this many days at impression time are fresh. */
  readonly freshAge: number;
}

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

  constructor(
    private readonly world: WorldView,
    options: ColdStartOptions,
  ) {
    if (!(options.freshAge > 0) || !Number.isFinite(options.freshAge)) {
      throw new RangeError(`freshAge must be a positive number of days (got ${options.freshAge})`);
    }
    this.freshAge = options.freshAge;
  }

  observe(event: SimEvent): void {
    switch (event.kind) {
      case 'upload': {
        const id = event.itemId;
        this.status = ensureLength(this.status, id + 1, NOT_NEW);
        this.uploadedAt = ensureLength(this.uploadedAt, id + 1, 0);
        if (this.status[id] !== NOT_NEW) break; // duplicate upload event
        this.status[id] = UNSHOWN;
        this.uploadedAt[id] = event.time;
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
          if (item < this.status.length && this.status[item] === UNSHOWN) {
            this.status[item] = SHOWN;
            this.neverShown--;
            this.firstShownDelays.push(time - this.uploadedAt[item]);
          }
        }
        break;
      }
      default:
        break;
    }
  }

  endEpoch(_bounds: EpochBounds): ColdStartRecord {
    const record: ColdStartRecord = {
      fresh_impression_share: ratio(this.freshImpressions, this.impressions),
      new_items: this.newItems,
      new_items_first_shown: this.firstShownDelays.length,
      time_to_first_impression_median: median(this.firstShownDelays),
      new_items_never_shown_share: ratio(this.neverShown, this.uploadedTotal),
    };
    this.impressions = 0;
    this.freshImpressions = 0;
    this.newItems = 0;
    this.firstShownDelays = [];
    return record;
  }
}

export const COLD_START_FAMILY = metricFamily({
  metrics: COLD_START_METRICS,
  patterns: [],
  settings: {
    /** Items younger than this count as fresh in the fresh-impression share. */
    fresh_age: positiveDuration.prefault(2),
  },
  create: (world, settings) => new ColdStartMetric(world, { freshAge: settings.fresh_age }),
});

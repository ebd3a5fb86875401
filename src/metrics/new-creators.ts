/**
 * New creators against established ones: does the loop give creators who join during the run
 * (`world.items.new_creators_per_day`) exposure for what they offer, or only to those whose
 * items it already knows? A creator is new while it joined less than `new_creator_days` (14)
 * days before the epoch's end; the starting catalog's creators, and those who joined earlier,
 * are established. Groups are taken at the epoch's end.
 *
 * - `new_creator_exposure_ratio`: new creators' share of this epoch's impressions over their
 *   share of the catalog's item-days in it (an item uploaded during the epoch counts from its
 *   upload, so a recommender that shows every item alike scores 1 however fast they upload).
 *   Below 1: under-exposed. Undefined (0) when they had no items or there were no impressions.
 * - `new_creator_ctr_gap`: click-through rate of new creators' items minus established
 *   creators'; 0 when either group had no impressions, undefined when new creators had none.
 * - `new_creators_unseen_first_days`: of the creators who joined during the run and whose first
 *   `new_creator_first_days` (7) days since their first upload ended this epoch
 *   (`new_creators_first_days_ended`), the share whose items got no impression in them. Counted
 *   from the first upload, not the join: a creator with nothing uploaded cannot be shown, and
 *   that is the world's doing, not the recommender's.
 * - `new_creators`, `new_creator_items`: the new creators at the epoch's end and their items.
 *
 * Cost: O(slate) per slate; per epoch O(uploads and joins since the last) plus a reset over
 * creators. Reads of the view while events stream in are of what never changes (an item's
 * creator, a creator's join time), so a run split over threads measures the same.
 */
import { ensureLength, ratio } from './arrays.js';
import { metricFamily, type MetricDeclarations, type MetricRow } from './declaration.js';
import { positiveDuration } from '../settings/fields.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

const exposureDefined = (row: MetricRow) => (row.new_creator_items ?? 1) > 0 && (row.impressions ?? 1) > 0;
const WITH_NEW_ITEMS = { test: exposureDefined, note: 'undefined in epochs when new creators had no items or nothing was shown' };
const NEW_SHOWN = {
  test: (row: MetricRow) => exposureDefined(row) && (row.new_creator_exposure_ratio ?? 1) > 0,
  note: 'undefined in epochs when new creators’ items were not shown',
};
const FIRST_DAYS_ENDED = {
  test: (row: MetricRow) => (row.new_creators_first_days_ended ?? 1) > 0,
  note: 'undefined in epochs where no new creator’s first days ended',
};

export const NEW_CREATOR_METRICS = {
  new_creator_exposure_ratio: { label: 'New creators’ exposure for their catalog share', unit: 'ratio', format: 'number', description: '1 = in proportion to the item-days they offer (metrics.new_creator_days)', better: 'higher', defined: WITH_NEW_ITEMS, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
  new_creator_ctr_gap: { label: 'New creators’ CTR gap', unit: 'points', format: 'percent', description: 'CTR of new creators’ items minus established creators’', better: null, defined: NEW_SHOWN, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false },
  new_creators_unseen_first_days: {
    label: 'New creators unseen in their first days', unit: '% of new creators', format: 'percent', description: 'no impression in the first days from their first upload (metrics.new_creator_first_days)', better: 'lower',
    defined: FIRST_DAYS_ENDED, overEpochs: 'mean', scalesWithUsers: false, chart: 'cold_start', headline: false,
  },
  new_creators: { label: 'New creators', unit: 'creators', format: 'count', description: 'joined within metrics.new_creator_days of the epoch’s end', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: null, headline: false },
  new_creator_items: { label: 'New creators’ items', unit: 'items', format: 'count', description: 'at the epoch’s end', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: null, headline: false },
  new_creators_first_days_ended: { label: 'New creators’ first days ended', unit: 'creators', format: 'count', description: 'per epoch', better: null, defined: 'always', overEpochs: 'sum', scalesWithUsers: false, chart: null, headline: false },
} as const satisfies MetricDeclarations;

type NewCreatorRecord = Record<keyof typeof NEW_CREATOR_METRICS, number>;

export interface NewCreatorOptions {
  /** A creator is new while it joined less than this many days before the epoch's end. */
  readonly newCreatorDays: number;
  /** A new creator's first days, from its first upload: the window of `new_creators_unseen_first_days`. */
  readonly firstDays: number;
}

export class NewCreatorMetric implements Metric {
  /** Per creator, this epoch: impressions and clicks of its items. */
  private impressions = new Float64Array(0);
  private clicks = new Float64Array(0);
  /** Per creator: its items from before this epoch; those uploaded in it, and the days they were there. */
  private itemsBefore = new Float64Array(0);
  private uploaded = new Float64Array(0);
  private uploadedDays = new Float64Array(0);
  /** Items counted so far (ids are dense and in upload order). */
  private counted = 0;
  /** Creators from this id on joined less than the window before the last epoch's end (ids follow joins). */
  private oldestNew = 0;
  /** Per creator that joined during the run: its first upload (NaN before it) and impressions in its first days. */
  private firstUpload = new Float64Array(0);
  private early = new Float64Array(0);
  /** Joined creators in order of their first upload; from `nextJudged` on their first days are not yet judged. */
  private readonly uploaders: number[] = [];
  private nextJudged = 0;

  constructor(
    private readonly world: WorldView,
    private readonly options: NewCreatorOptions,
  ) {
    for (const days of [options.newCreatorDays, options.firstDays]) {
      if (!(days > 0) || !Number.isFinite(days)) throw new RangeError(`new creators' windows must be positive numbers of days (got ${days})`);
    }
  }

  observe(event: SimEvent): void {
    if (event.kind === 'upload') this.noteUpload(event.itemId, event.time);
    if (event.kind !== 'slate') return;
    const { items, clicked, time } = event;
    for (let p = 0; p < items.length; p++) {
      const creator = this.world.itemCreator(items[p]);
      this.grow(creator + 1);
      this.impressions[creator]++;
      if (p === clicked) this.clicks[creator]++;
      if (time - this.firstUpload[creator] < this.options.firstDays) this.early[creator]++; // false while NaN
    }
  }

  endEpoch(bounds: EpochBounds): NewCreatorRecord {
    const days = bounds.end - bounds.start;
    const creators = this.world.creatorCount;
    this.grow(creators);
    const catalogDays = this.countUploads(bounds);
    while (this.oldestNew < creators && this.world.creatorJoinTime(this.oldestNew) <= bounds.end - this.options.newCreatorDays) this.oldestNew++;
    const fresh = { items: 0, itemDays: 0, shown: 0, clicked: 0 };
    for (let c = this.oldestNew; c < creators; c++) {
      fresh.items += this.itemsBefore[c] + this.uploaded[c];
      fresh.itemDays += days * this.itemsBefore[c] + this.uploadedDays[c];
      fresh.shown += this.impressions[c];
      fresh.clicked += this.clicks[c];
    }
    const all = { shown: 0, clicked: 0 };
    for (let c = 0; c < creators; c++) {
      all.shown += this.impressions[c];
      all.clicked += this.clicks[c];
      this.itemsBefore[c] += this.uploaded[c];
    }
    const established = { shown: all.shown - fresh.shown, clicked: all.clicked - fresh.clicked };
    const judged = this.judgeFirstDays(bounds.end);
    const record: NewCreatorRecord = {
      new_creator_exposure_ratio: fresh.itemDays > 0 && all.shown > 0 ? fresh.shown / all.shown / (fresh.itemDays / catalogDays) : 0,
      new_creator_ctr_gap: fresh.shown > 0 && established.shown > 0 ? fresh.clicked / fresh.shown - established.clicked / established.shown : 0,
      new_creators_unseen_first_days: ratio(judged.unseen, judged.count),
      new_creators: creators - this.oldestNew,
      new_creator_items: fresh.items,
      new_creators_first_days_ended: judged.count,
    };
    this.impressions.fill(0);
    this.clicks.fill(0);
    this.uploaded.fill(0);
    this.uploadedDays.fill(0);
    return record;
  }

  /**
   * Counts the items uploaded since the last epoch's end into their creators' and returns the
   * catalog's item-days in this epoch: an item is there from its upload (or the epoch's start).
   */
  private countUploads(bounds: EpochBounds): number {
    let itemDays = this.counted * (bounds.end - bounds.start);
    for (const n = this.world.itemCount(); this.counted < n; this.counted++) {
      const creator = this.world.itemCreator(this.counted);
      const there = bounds.end - Math.max(bounds.start, this.world.itemUploadTime(this.counted));
      itemDays += there;
      this.uploaded[creator]++;
      this.uploadedDays[creator] += there;
    }
    return itemDays;
  }

  /** A joined creator's first upload starts its first days. */
  private noteUpload(itemId: number, time: number): void {
    const creator = this.world.itemCreator(itemId);
    if (!Number.isFinite(this.world.creatorJoinTime(creator))) return; // there from the start
    this.grow(creator + 1);
    if (!Number.isNaN(this.firstUpload[creator])) return;
    this.firstUpload[creator] = time;
    this.uploaders.push(creator);
  }

  /** The creators whose first days ended by `end`: first uploads come in time order, so they are the next in line. */
  private judgeFirstDays(end: number): { count: number; unseen: number } {
    const judged = { count: 0, unseen: 0 };
    while (this.nextJudged < this.uploaders.length) {
      const creator = this.uploaders[this.nextJudged];
      if (this.firstUpload[creator] + this.options.firstDays > end) break;
      judged.count++;
      if (this.early[creator] === 0) judged.unseen++;
      this.nextJudged++;
    }
    return judged;
  }

  private grow(creators: number): void {
    this.impressions = ensureLength(this.impressions, creators, 0);
    this.clicks = ensureLength(this.clicks, creators, 0);
    this.itemsBefore = ensureLength(this.itemsBefore, creators, 0);
    this.uploaded = ensureLength(this.uploaded, creators, 0);
    this.uploadedDays = ensureLength(this.uploadedDays, creators, 0);
    this.firstUpload = ensureLength(this.firstUpload, creators, Number.NaN);
    this.early = ensureLength(this.early, creators, 0);
  }
}

export const NEW_CREATOR_FAMILY = metricFamily({
  metrics: NEW_CREATOR_METRICS,
  patterns: [],
  settings: {
    /** Creators who joined less than this long before an epoch's end are new in it. */
    new_creator_days: positiveDuration.prefault(14),
    /** A new creator's first days, from its first upload: the window of `new_creators_unseen_first_days`. */
    new_creator_first_days: positiveDuration.prefault(7),
  },
  create: (world, settings) => new NewCreatorMetric(world, { newCreatorDays: settings.new_creator_days, firstDays: settings.new_creator_first_days }),
});

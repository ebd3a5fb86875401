/**
 * Per-item engagement statistics from the impression log: exponentially decayed counts of
 * impressions, clicks and post-click outcomes, and smoothed rates built from them.
 *
 * Training replays the log in time order and reads each row's statistics *before* adding the
 * row (ordered target statistics, as CatBoost does), so no example sees its own label. Serving
 * reads the statistics as they stood at the end of the log window, frozen until the next retrain.
 * Decay keeps early-window rows (which have seen little history) and serving (which sees the
 * whole window) on a similar scale.
 */
import { grown } from '../../core/typed-arrays.js';

/** Half-life of every count, in days. */
export const ITEM_STATS_HALF_LIFE = 2;
/** Pseudo-impressions at the global rate added to each item's click-through rate. */
const CTR_PRIOR_IMPRESSIONS = 20;
/** Pseudo-clicks (or survey answers) at the global rate added to each post-click rate. */
const OUTCOME_PRIOR_CLICKS = 5;

export const ITEM_STAT_FEATURES = [
  'item_log_impressions',
  'item_log_clicks',
  'item_ctr',
  'item_watch_per_click',
  'item_complete_per_click',
  'item_like_per_click',
  'item_survey_positive',
] as const;

/** Decayed sums of one item, or of all items (the priors). */
const IMPRESSIONS = 0;
const CLICKS = 1;
const WATCH = 2;
const COMPLETE = 3;
const LIKE = 4;
const SURVEYS = 5;
const SURVEY_POSITIVE = 6;
const SUMS = 7;

/** The sums behind an ItemStats, as plain arrays: what another thread needs to serve from them. */
export interface ItemStatsState {
  readonly sums: Float64Array;
  readonly last: Float64Array;
  readonly global: Float64Array;
  readonly globalLast: number;
}

export class ItemStats {
  private sums = new Float64Array(0);
  private last = new Float64Array(0);
  private readonly global = new Float64Array(SUMS);
  private globalLast = 0;
  private readonly decayRate = Math.LN2 / ITEM_STATS_HALF_LIFE;
  private readonly scratch = new Float64Array(SUMS);

  /** Statistics with these sums (from state() of another copy): they read exactly as that copy's. */
  static fromState(state: ItemStatsState): ItemStats {
    const stats = new ItemStats();
    if (state.sums.length !== state.last.length * SUMS || state.global.length !== SUMS) throw new RangeError('ItemStats: sums of another layout');
    stats.sums = Float64Array.from(state.sums);
    stats.last = Float64Array.from(state.last);
    stats.global.set(state.global);
    stats.globalLast = state.globalLast;
    return stats;
  }

  /** The sums as they are now (views: copy them, or post them at once, before the next add). */
  state(): ItemStatsState {
    return { sums: this.sums, last: this.last, global: this.global, globalLast: this.globalLast };
  }

  /**
   * Adds one impression at `time`, in time order, with its outcomes as logged (0/1 flags,
   * survey 1..5 or 0 for none): scalars rather than an object, since this runs once per log row.
   */
  add(itemId: number, time: number, clicked: number, watchFraction: number, completed: number, liked: number, survey: number): void {
    this.ensure(itemId);
    const base = itemId * SUMS;
    this.decayTo(this.sums, base, this.last[itemId], time);
    this.last[itemId] = time;
    this.decayTo(this.global, 0, this.globalLast, time);
    this.globalLast = time;
    accumulate(this.sums, base, clicked, watchFraction, completed, liked, survey);
    accumulate(this.global, 0, clicked, watchFraction, completed, liked, survey);
  }

  /** Everyone's click rate as of `time` (lightly smoothed, so an empty log gives a finite prior). */
  globalClickRate(time: number): number {
    const k = time > this.globalLast ? Math.exp(-this.decayRate * (time - this.globalLast)) : 1;
    return (this.global[CLICKS] * k + 0.1) / (this.global[IMPRESSIONS] * k + 1);
  }

  /** Writes the item's ITEM_STAT_FEATURES as of `time` into out[offset..]. */
  write(itemId: number, time: number, out: Float32Array, offset: number): void {
    const g = this.scratch;
    g.set(this.global);
    this.decayTo(g, 0, this.globalLast, time);
    // Global rates, lightly smoothed so an empty log gives finite priors.
    const ctrPrior = (g[CLICKS] + 0.1) / (g[IMPRESSIONS] + 1);
    const watchPrior = (g[WATCH] + 0.1) / (g[CLICKS] + 1);
    const completePrior = (g[COMPLETE] + 0.01) / (g[CLICKS] + 1);
    const likePrior = (g[LIKE] + 0.01) / (g[CLICKS] + 1);
    const surveyPrior = (g[SURVEY_POSITIVE] + 0.5) / (g[SURVEYS] + 1);

    let impressions = 0;
    let clicks = 0;
    let watch = 0;
    let complete = 0;
    let like = 0;
    let surveys = 0;
    let positive = 0;
    if (itemId < this.last.length) {
      const base = itemId * SUMS;
      const k = Math.exp(-this.decayRate * Math.max(0, time - this.last[itemId]));
      impressions = this.sums[base + IMPRESSIONS] * k;
      clicks = this.sums[base + CLICKS] * k;
      watch = this.sums[base + WATCH] * k;
      complete = this.sums[base + COMPLETE] * k;
      like = this.sums[base + LIKE] * k;
      surveys = this.sums[base + SURVEYS] * k;
      positive = this.sums[base + SURVEY_POSITIVE] * k;
    }
    const a = CTR_PRIOR_IMPRESSIONS;
    const b = OUTCOME_PRIOR_CLICKS;
    out[offset] = Math.log1p(impressions);
    out[offset + 1] = Math.log1p(clicks);
    out[offset + 2] = (clicks + a * ctrPrior) / (impressions + a);
    out[offset + 3] = (watch + b * watchPrior) / (clicks + b);
    out[offset + 4] = (complete + b * completePrior) / (clicks + b);
    out[offset + 5] = (like + b * likePrior) / (clicks + b);
    out[offset + 6] = (positive + b * surveyPrior) / (surveys + b);
  }

  private decayTo(sums: Float64Array, base: number, from: number, to: number): void {
    if (to <= from) return;
    const k = Math.exp(-this.decayRate * (to - from));
    for (let j = 0; j < SUMS; j++) sums[base + j] *= k;
  }

  private ensure(itemId: number): void {
    if (itemId < this.last.length) return;
    const size = Math.max(itemId + 1, this.last.length * 2, 1024);
    const sums = new Float64Array(size * SUMS);
    sums.set(this.sums);
    const last = new Float64Array(size);
    last.set(this.last);
    this.sums = sums;
    this.last = last;
  }
}

function accumulate(sums: Float64Array, at: number, clicked: number, watchFraction: number, completed: number, liked: number, survey: number): void {
  sums[at + IMPRESSIONS] += 1;
  if (clicked === 0) return;
  sums[at + CLICKS] += 1;
  sums[at + WATCH] += watchFraction;
  sums[at + COMPLETE] += completed;
  sums[at + LIKE] += liked;
  if (survey > 0) {
    sums[at + SURVEYS] += 1;
    if (survey >= 4) sums[at + SURVEY_POSITIVE] += 1;
  }
}

/**
 * Item statistics frozen at one time, as serving reads them (at the last retrain): each item's
 * features are computed once and copied after. Asked for another time, it reads the live ones.
 */
export class FrozenItemStats {
  private values = new Float32Array(0);
  private known = new Uint8Array(0);

  constructor(
    readonly stats: ItemStats,
    readonly time: number,
  ) {}

  write(itemId: number, time: number, out: Float32Array, offset: number): void {
    const width = ITEM_STAT_FEATURES.length;
    if (time !== this.time) return this.stats.write(itemId, time, out, offset);
    if (itemId >= this.known.length) this.grow(itemId);
    const at = itemId * width;
    if (this.known[itemId] === 0) {
      this.stats.write(itemId, time, this.values, at);
      this.known[itemId] = 1;
    }
    for (let k = 0; k < width; k++) out[offset + k] = this.values[at + k];
  }

  private grow(itemId: number): void {
    const size = Math.max(itemId + 1, 2 * this.known.length, 1024);
    this.values = grown(this.values, size * ITEM_STAT_FEATURES.length);
    this.known = grown(this.known, size);
  }
}

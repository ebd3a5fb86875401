/**
 * Filter bubbles: how far the loop narrows each user's slates and the users themselves, and
 * how much it favours what is already popular. Read with the diversity family (diversity.ts),
 * whose means these break down.
 *
 * - `user_topic_entropy_median`, `user_topic_entropy_p10`: the per-user topic entropy of what
 *   users were shown this epoch (as `topic_entropy_impressions`, in bits), its median and 10th
 *   percentile over the users shown anything. The 10th percentile is the narrowest tenth.
 * - Week over week (a week is 7 simulated days from the start; the figures are written by the
 *   epoch that ends a week, and are 0 in other epochs): each user's topic entropy of what they
 *   were shown during the week, minus the same user's in the week before, over the users shown
 *   slates in both weeks: `weekly_entropy_change_median` and `_p10` (negative: narrower than a
 *   week ago); `weekly_watch_entropy_change_median` and `_p10`, the same over what they clicked,
 *   for users with clicks in both weeks; `weekly_users_compared`, how many users the shown
 *   figures compare.
 * - `intra_list_diversity`: mean over slates of the mean pairwise topic distance between the
 *   slate's items, 1 − cosine of their true topic mixtures (0: one topic throughout; 1: no two
 *   items share a topic).
 * - `long_tail_share`: share of this epoch's impressions given to items outside the head, the
 *   `head_share` most-shown items of the catalog by impressions before this epoch (items
 *   uploaded since are tail). Undefined in the first epoch (0).
 * - `recommended_popularity`: mean over this epoch's impressions of the shown item's popularity
 *   percentile by impressions before this epoch (mid-rank of ties, 0–1; items uploaded since sit
 *   with the never-shown). Rising over epochs: the loop amplifies popularity. Undefined in the
 *   first epoch (0).
 * - `preference_shift`: mean over users of the total-variation distance between their true topic
 *   preferences now and when the run first saw them (½ Σ|p − p₀|, 0–1): how far the users
 *   themselves moved, not only their slates. The initial population is seen at the start, a
 *   user who signs up at the end of the epoch of the signup: a run split over threads shares
 *   true preferences only at epoch ends, and the figure must not depend on how many ran.
 */
import { clickedItem, ensureLength, ratio } from './arrays.js';
import { metricFamily, type MetricDeclarations, type MetricRow } from './declaration.js';
import { entropyBits, quantile } from './stats.js';
import { probability } from '../settings/fields.js';
import { ItemTopics } from './item-topics.js';
import { UserVectors } from './user-vectors.js';
import type { EpochBounds, Metric, SimEvent, WorldView } from './types.js';

const DAYS_PER_WEEK = 7;

const afterFirstEpoch = { test: (row: MetricRow) => (row.epoch ?? 0) >= 1, note: 'undefined in the first epoch (no earlier impressions to rank items by)' };
const atWeekEnds = { test: (row: MetricRow) => (row.weekly_users_compared ?? 0) > 0, note: 'written at week ends, for users shown slates in both weeks' };
const weekly = { format: 'number', better: 'higher', defined: atWeekEnds, overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: false } as const;

export const FILTER_BUBBLE_METRICS = {
  user_topic_entropy_median: { label: 'Topic entropy of what users see, median user', unit: 'bits', format: 'number', description: 'per user, the median over users', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: null, headline: false },
  user_topic_entropy_p10: { label: 'Topic entropy of what users see, narrowest tenth', unit: 'bits', format: 'number', description: 'per user, the 10th percentile over users', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: false },
  weekly_entropy_change_median: { ...weekly, label: 'Week-over-week change in what users see, median user', unit: 'bits', description: "a user's topic entropy this week minus last week's" },
  weekly_entropy_change_p10: { ...weekly, label: 'Week-over-week change in what users see, 10th percentile', unit: 'bits', chart: null, description: 'the tenth of users whose slates narrowed most' },
  weekly_watch_entropy_change_median: { ...weekly, label: 'Week-over-week change in what users watch, median user', unit: 'bits', description: "a user's topic entropy of clicks this week minus last week's" },
  weekly_watch_entropy_change_p10: { ...weekly, label: 'Week-over-week change in what users watch, 10th percentile', unit: 'bits', chart: null, description: 'the tenth of users whose viewing narrowed most' },
  weekly_users_compared: { label: 'Users compared week over week', unit: 'users', format: 'count', description: 'shown slates in this week and the one before', better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: true, chart: null, headline: false },
  intra_list_diversity: { label: 'Intra-list diversity', unit: '1 − cosine', format: 'number', description: 'mean topic distance between items of a slate', better: 'higher', defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: false },
  long_tail_share: { label: 'Long-tail share of impressions', unit: '% of impressions', format: 'percent', description: 'to items outside the most-shown head', better: 'higher', defined: afterFirstEpoch, overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: false },
  recommended_popularity: { label: 'Popularity of what is shown', unit: 'percentile', format: 'number', description: "mean popularity percentile of shown items (0–1)", better: 'lower', defined: afterFirstEpoch, overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: false },
  preference_shift: { label: 'Preference shift', unit: 'TV distance', format: 'number', description: "how far users' true tastes moved since the start", better: null, defined: 'always', overEpochs: 'mean', scalesWithUsers: false, chart: 'diversity', headline: false },
} as const satisfies MetricDeclarations;

type FilterBubbleRecord = Record<keyof typeof FILTER_BUBBLE_METRICS, number>;

export interface FilterBubbleOptions {
  /** Share of the catalog, the most-shown items, that is the head; the rest is the long tail. */
  readonly headShare: number;
}

export class FilterBubbleMetric implements Metric {
  private readonly shown: UserVectors;
  private readonly weekShown: UserVectors;
  private readonly weekWatched: UserVectors;
  /** A user's entropy last week, NaN where the user had no row. */
  private lastWeekShown = new Float64Array(0);
  private lastWeekWatched = new Float64Array(0);
  private weekEnd = DAYS_PER_WEEK;
  /** Impressions per item over all epochs before this one, and this epoch's. */
  private pastImpressions = new Float64Array(0);
  private epochImpressions = new Float64Array(0);
  /** One past the largest item id shown. */
  private itemLimit = 0;
  /** Per item, from past impressions: 1 in the head; the popularity percentile. */
  private head = new Uint8Array(0);
  private percentile = new Float64Array(0);
  /** The percentile of an item never shown, or uploaded since the ranking. */
  private unshownPercentile = 0;
  private ranked = false;
  private impressions = 0;
  private tailImpressions = 0;
  private popularitySum = 0;
  private slates = 0;
  private distanceSum = 0;
  /** Scratch: the sum of a slate's unit topic vectors. */
  private readonly slateTopics: Float64Array;
  private readonly topics: ItemTopics;
  /** Each user's preferences when first seen (rows of `topics`), and how many users have one. */
  private startPrefs = new Float64Array(0);
  private usersWithStart = 0;

  constructor(
    private readonly world: WorldView,
    private readonly options: FilterBubbleOptions,
  ) {
    this.shown = new UserVectors(world.topics);
    this.weekShown = new UserVectors(world.topics);
    this.weekWatched = new UserVectors(world.topics);
    this.slateTopics = new Float64Array(world.topics);
    this.topics = new ItemTopics(world);
    this.recordStartPrefs(world.userCount());
  }

  observe(event: SimEvent): void {
    if (event.kind !== 'slate') return;
    const { items, userId } = event;
    const row = this.shown.rowFor(userId);
    const weekRow = this.weekShown.rowFor(userId);
    for (let p = 0; p < items.length; p++) {
      const item = items[p];
      if (item >= this.itemLimit) {
        this.itemLimit = item + 1;
        this.epochImpressions = ensureLength(this.epochImpressions, this.itemLimit, 0);
      }
      const { topics } = this;
      const count = topics.read(item);
      this.shown.add(row, topics.ids, topics.weights, count);
      this.weekShown.add(weekRow, topics.ids, topics.weights, count);
      this.epochImpressions[item]++;
      if (this.ranked) {
        const known = item < this.percentile.length;
        if (!known || this.head[item] === 0) this.tailImpressions++;
        this.popularitySum += known ? this.percentile[item] : this.unshownPercentile;
      }
    }
    this.impressions += items.length;
    this.slates++;
    this.distanceSum += this.meanPairDistance(items);
    const clicked = clickedItem(event);
    if (clicked >= 0) {
      const { topics } = this;
      this.weekWatched.add(this.weekWatched.rowFor(userId), topics.ids, topics.weights, topics.read(clicked));
    }
  }

  endEpoch(bounds: EpochBounds): FilterBubbleRecord {
    this.recordStartPrefs(this.world.userCount());
    const entropies = rowEntropies(this.shown);
    const weekly = bounds.end >= this.weekEnd - 1e-9 ? this.endWeek(bounds.end) : null;
    const record: FilterBubbleRecord = {
      user_topic_entropy_median: quantile(entropies, 0.5),
      user_topic_entropy_p10: quantile(entropies, 0.1),
      weekly_entropy_change_median: weekly ? quantile(weekly.shown, 0.5) : 0,
      weekly_entropy_change_p10: weekly ? quantile(weekly.shown, 0.1) : 0,
      weekly_watch_entropy_change_median: weekly ? quantile(weekly.watched, 0.5) : 0,
      weekly_watch_entropy_change_p10: weekly ? quantile(weekly.watched, 0.1) : 0,
      weekly_users_compared: weekly ? weekly.shown.length : 0,
      intra_list_diversity: ratio(this.distanceSum, this.slates),
      long_tail_share: this.ranked ? ratio(this.tailImpressions, this.impressions) : 0,
      recommended_popularity: this.ranked ? ratio(this.popularitySum, this.impressions) : 0,
      preference_shift: this.meanPreferenceShift(),
    };
    this.rankItems();
    this.shown.clear();
    this.impressions = 0;
    this.tailImpressions = 0;
    this.popularitySum = 0;
    this.slates = 0;
    this.distanceSum = 0;
    return record;
  }

  /**
   * Mean of 1 − cosine over the slate's pairs of items (0 for a slate of one), without visiting
   * the pairs: with v the unit topic vectors and S their sum, Σ over pairs of cos = (|S|² − m) / 2,
   * m the items with any topic weight (an item without one is at distance 1 from every other).
   */
  private meanPairDistance(items: readonly number[]): number {
    const n = items.length;
    if (n < 2) return 0;
    const sum = this.slateTopics;
    let unitItems = 0;
    for (let p = 0; p < n; p++) {
      const count = this.topics.read(items[p]);
      const { ids, weights } = this.topics;
      let norm = 0;
      for (let k = 0; k < count; k++) if (ids[k] < sum.length) norm += weights[k] * weights[k];
      if (!(norm > 0)) continue;
      unitItems++;
      const scale = 1 / Math.sqrt(norm);
      for (let k = 0; k < count; k++) if (ids[k] < sum.length) sum[ids[k]] += weights[k] * scale;
    }
    let squared = 0;
    for (let t = 0; t < sum.length; t++) squared += sum[t] * sum[t];
    sum.fill(0);
    const pairs = (n * (n - 1)) / 2;
    return 1 - (squared - unitItems) / 2 / pairs;
  }

  /** This week's per-user entropy changes against last week, then this week becomes last week. */
  private endWeek(end: number): { shown: number[]; watched: number[] } {
    while (this.weekEnd <= end + 1e-9) this.weekEnd += DAYS_PER_WEEK;
    const shown = weekChanges(this.weekShown, this.lastWeekShown);
    const watched = weekChanges(this.weekWatched, this.lastWeekWatched);
    this.lastWeekShown = entropyByUser(this.weekShown, this.world.userCount());
    this.lastWeekWatched = entropyByUser(this.weekWatched, this.world.userCount());
    this.weekShown.clear();
    this.weekWatched.clear();
    return { shown, watched };
  }

  /** Head membership and popularity percentiles from every impression so far, for the next epoch. */
  private rankItems(): void {
    const n = Math.max(this.world.itemCount(), this.itemLimit);
    this.pastImpressions = ensureLength(this.pastImpressions, n, 0);
    this.epochImpressions = ensureLength(this.epochImpressions, n, 0);
    for (let i = 0; i < n; i++) this.pastImpressions[i] += this.epochImpressions[i];
    this.epochImpressions.fill(0);
    const counts = this.pastImpressions;
    // Most shown first; ties by id, so the head is the same whatever the sort does.
    const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
    this.head = new Uint8Array(n);
    const headSize = Math.ceil(this.options.headShare * n);
    for (let r = 0; r < headSize && counts[order[r]] > 0; r++) this.head[order[r]] = 1;
    // Mid-rank percentile: (items shown less + half of those shown as often) / n.
    this.percentile = new Float64Array(n);
    let r = n;
    while (r > 0) {
      let first = r - 1;
      while (first > 0 && counts[order[first - 1]] === counts[order[r - 1]]) first--;
      const value = (n - r + 0.5 * (r - first)) / n;
      for (let k = first; k < r; k++) this.percentile[order[k]] = value;
      if (counts[order[r - 1]] === 0) this.unshownPercentile = value;
      r = first;
    }
    if (n === 0 || counts[order[n - 1]] > 0) this.unshownPercentile = 0;
    this.ranked = true;
  }

  private recordStartPrefs(userCount: number): void {
    const { topics } = this.world;
    this.startPrefs = ensureLength(this.startPrefs, userCount * topics, 0);
    for (let u = this.usersWithStart; u < userCount; u++) {
      const prefs = this.world.userTopicPrefs(u);
      for (let t = 0; t < topics; t++) this.startPrefs[u * topics + t] = prefs[t];
    }
    this.usersWithStart = Math.max(this.usersWithStart, userCount);
  }

  private meanPreferenceShift(): number {
    const { topics } = this.world;
    const users = this.usersWithStart;
    let sum = 0;
    for (let u = 0; u < users; u++) {
      const prefs = this.world.userTopicPrefs(u);
      let distance = 0;
      for (let t = 0; t < topics; t++) distance += Math.abs(prefs[t] - this.startPrefs[u * topics + t]);
      sum += distance / 2;
    }
    return ratio(sum, users);
  }
}

function rowEntropies(vectors: UserVectors): number[] {
  const { values, width } = vectors;
  return Array.from({ length: vectors.size }, (_, r) => entropyBits(values, r * width, (r + 1) * width));
}

/** Entropy per user id (NaN for users without a row). */
function entropyByUser(vectors: UserVectors, users: number): Float64Array {
  const out = new Float64Array(Math.max(users, vectors.size)).fill(Number.NaN);
  const { values, width } = vectors;
  for (let r = 0; r < vectors.size; r++) out[vectors.userOf(r)] = entropyBits(values, r * width, (r + 1) * width);
  return out;
}

/** This week's entropy minus last week's, for users with a row now and an entropy then. */
function weekChanges(vectors: UserVectors, lastWeek: Float64Array): number[] {
  const changes: number[] = [];
  const { values, width } = vectors;
  for (let r = 0; r < vectors.size; r++) {
    const user = vectors.userOf(r);
    const before = user < lastWeek.length ? lastWeek[user] : Number.NaN;
    if (!Number.isNaN(before)) changes.push(entropyBits(values, r * width, (r + 1) * width) - before);
  }
  return changes;
}

export const FILTER_BUBBLE_FAMILY = metricFamily({
  metrics: FILTER_BUBBLE_METRICS,
  patterns: [],
  settings: {
    /** The head: this share of the catalog, its most-shown items (the rest is the long tail). */
    long_tail_head_share: probability.default(0.2),
  },
  create: (world, settings) => new FilterBubbleMetric(world, { headShare: settings.long_tail_head_share }),
});

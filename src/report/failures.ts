/**
 * The three ways a recommender's feedback loop fails, as the report heads them: each with the
 * report section its charts are drawn in and the metrics its opening sentence may speak of, the
 * most telling first (a run without one simply skips it).
 */
import type { ChartFamily as ReportSection } from './types.js';

export interface Failure {
  /** HTML anchor. */
  readonly id: string;
  readonly title: string;
  /** The report section whose charts this failure's section shows. */
  readonly section: ReportSection;
  /** The failure's own measures, the most telling first. */
  readonly key: readonly string[];
  /** What an experiment's change on a key metric is weighed against (the first the data has). */
  readonly against: readonly string[];
  /** A single run's sentence: one clause per list, each of the first metric present (and not yet told). */
  readonly trend: readonly [readonly string[], readonly string[]];
  /** An experiment's arms' slope per day told and charted for these (a rising recommended popularity is the loop amplifying it). */
  readonly slopes: readonly string[];
  /** Told and charted against the oracle baseline where the experiment has one (the metrics `compare` prints that way). */
  readonly againstOracle: readonly string[];
}

const FILTER_BUBBLE_KEYS = [
  'topic_entropy_impressions',
  'user_topic_entropy_p10',
  'catalog_coverage',
  'impression_gini',
  'intra_list_diversity',
  'long_tail_share',
  // Rising: popularity amplification.
  'recommended_popularity',
  'preference_shift',
];
const COLD_START_KEYS = [
  'new_items_unseen_first_days',
  'new_items_never_shown_share',
  'time_to_first_impression_median',
  'new_item_exposure_quality_rank_corr',
  'new_users_satisfied_first_week',
  'new_user_retention_7d',
  'small_creator_exposure_ratio',
  'new_creator_exposure_ratio',
  'fresh_impression_share',
];
const SHORT_TERM_KEYS = ['ctr', 'watch_minutes_per_impression'];
const LONG_TERM_KEYS = ['return_rate', 'retention_7d', 'retention_30d', 'active_days_7d', 'daily_active_users', 'mean_true_satisfaction'];

export const FAILURES: readonly Failure[] = [
  {
    id: 'filter-bubbles',
    title: 'Filter bubbles',
    section: 'diversity',
    key: FILTER_BUBBLE_KEYS,
    against: SHORT_TERM_KEYS,
    trend: [FILTER_BUBBLE_KEYS, FILTER_BUBBLE_KEYS],
    slopes: ['recommended_popularity'],
    // Chaney et al. (2018) read homogenization relative to the ideal recommender's.
    againstOracle: ['homogenization'],
  },
  {
    id: 'cold-start',
    title: 'Cold start',
    section: 'cold_start',
    key: COLD_START_KEYS,
    against: SHORT_TERM_KEYS,
    trend: [COLD_START_KEYS, COLD_START_KEYS],
    slopes: [],
    againstOracle: ['new_item_exposure_quality_rank_corr'],
  },
  {
    id: 'short-long',
    title: 'Short-term against long-term',
    section: 'objectives',
    key: LONG_TERM_KEYS,
    against: SHORT_TERM_KEYS,
    trend: [SHORT_TERM_KEYS, LONG_TERM_KEYS],
    slopes: [],
    againstOracle: ['mean_true_satisfaction'],
  },
];

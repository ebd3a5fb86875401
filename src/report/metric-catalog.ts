/**
 * What each metric column means to a reader: a label, the unit for its axis, how to print its
 * values, and when a zero is a real zero. Columns the catalog does not know get a label made
 * from their name, so new metrics show up in tables before anyone describes them here.
 */
import type { NumericRow } from './data/read-files.js';

export type ValueFormat = 'percent' | 'count' | 'number';

export interface MetricInfo {
  readonly label: string;
  /** Axis title: the unit, short enough to fit beside a small panel. */
  readonly unit: string;
  readonly format: ValueFormat;
  /** What exactly is measured (panel subtitle, table tooltip). */
  readonly description?: string;
}

const KNOWN: Readonly<Record<string, MetricInfo>> = {
  slates: { label: 'Slates served', unit: 'slates', format: 'count', description: 'per epoch' },
  impressions: { label: 'Impressions', unit: 'items shown', format: 'count', description: 'per epoch' },
  clicks: { label: 'Clicks', unit: 'clicks', format: 'count', description: 'per epoch' },
  ctr: { label: 'Click-through rate', unit: '% clicked', format: 'percent', description: 'clicks per impression' },
  watch_minutes: { label: 'Watch time', unit: 'minutes', format: 'count', description: 'total per epoch' },
  watch_minutes_per_active_user: { label: 'Watch time per active user', unit: 'minutes', format: 'number', description: 'per epoch' },
  mean_true_satisfaction: { label: 'True satisfaction per click', unit: 'true utility', format: 'number', description: 'world-side utility of what was watched' },
  active_users: { label: 'Active users', unit: 'users', format: 'count', description: 'distinct, per epoch' },
  daily_active_users: { label: 'Daily active users', unit: 'users', format: 'count', description: 'distinct users per day, mean over the epoch' },
  sessions: { label: 'Sessions', unit: 'sessions', format: 'count', description: 'per epoch' },
  signups: { label: 'Sign-ups', unit: 'users', format: 'count', description: 'per epoch' },
  churned: { label: 'Churned users', unit: 'users', format: 'count', description: 'per epoch' },
  population: { label: 'Population', unit: 'users', format: 'count', description: 'signed up and not churned' },
  return_rate: { label: 'Return rate', unit: '% returning', format: 'percent', description: "of the previous epoch's active users" },
  retention_7d: { label: '7-day retention', unit: '% retained', format: 'percent', description: 'of users active the week before' },
  mean_session_satisfaction: { label: 'Session satisfaction', unit: 'score', format: 'number', description: 'mean at session end' },
  topic_entropy_impressions: { label: 'Topic entropy of what users see', unit: 'bits', format: 'number', description: 'per user, averaged' },
  topic_entropy_consumption: { label: 'Topic entropy of what users watch', unit: 'bits', format: 'number', description: 'per user, averaged' },
  impression_gini: { label: 'Impression concentration', unit: 'Gini', format: 'number', description: '0 = even exposure, 1 = one item gets all' },
  catalog_coverage: { label: 'Catalog coverage', unit: '% of items', format: 'percent', description: 'shown at least once in the epoch' },
  homogenization: { label: 'Homogenization', unit: 'Jaccard', format: 'number', description: 'overlap of what similar users watch' },
  fresh_impression_share: { label: 'Fresh-item impressions', unit: '% of impressions', format: 'percent', description: 'items younger than the fresh age' },
  new_items: { label: 'New items', unit: 'uploads', format: 'count', description: 'per epoch' },
  new_items_first_shown: { label: 'New items first shown', unit: 'items', format: 'count', description: 'per epoch' },
  time_to_first_impression_median: { label: 'Time to first impression', unit: 'days', format: 'number', description: 'median, new items first shown this epoch' },
  new_items_never_shown_share: { label: 'New items never shown', unit: '% of uploads', format: 'percent', description: 'of all uploads so far' },
  cumulative_regret: { label: 'Cumulative regret', unit: 'reward lost', format: 'number', description: 'against always playing the best arm' },
  lai_robbins_bound: { label: 'Lai–Robbins lower bound', unit: 'reward lost', format: 'number', description: 'least regret any consistent policy can have' },
  cumulative_reward: { label: 'Cumulative reward', unit: 'reward', format: 'number', description: 'summed over all rounds so far' },
  regret_per_round: { label: 'Regret per round', unit: 'reward lost', format: 'number', description: 'mean over the rounds of this row' },
  reward_rate: { label: 'Reward rate', unit: 'reward per round', format: 'number', description: 'mean over the rounds of this row' },
  best_arm_share: { label: 'Best-arm pulls', unit: '% of pulls', format: 'percent', description: 'share of this row’s rounds on a best live arm' },
  regret_over_log_round: { label: 'Regret / ln(round)', unit: 'regret / ln t', format: 'number', description: 'levels off at the Lai–Robbins constant when optimal' },
};

const ECE = /^ece_(.+)_(raw|calibrated)$/;
const LATENCY = /^latency_(.+)_(p\d+)_ms$/;
const SLICE = /^(.+)_slice_(.+)$/;
const RANKER = /^(ece_|ranker_auc_)/;

export function metricInfo(metric: string): MetricInfo {
  const known = KNOWN[metric];
  if (known) return known;
  const ece = ECE.exec(metric);
  if (ece) return { label: `ECE of the ${ece[1]} head, ${ece[2]}`, unit: 'probability', format: 'number', description: 'expected calibration error' };
  const latency = LATENCY.exec(metric);
  if (latency) return { label: `${capitalize(latency[1])} latency ${latency[2]}`, unit: 'ms', format: 'number', description: 'wall clock per request' };
  const slice = SLICE.exec(metric);
  if (slice) {
    const base = metricInfo(slice[1]);
    return { ...base, label: `${base.label} · ${slice[2].replace(/_/g, ' ')}` };
  }
  return { label: capitalize(metric.replace(/_/g, ' ')), unit: 'value', format: 'number', description: metric };
}

/**
 * Several metrics are written as 0 where they are undefined (no cohort yet, nobody clicked);
 * charts and first/mean figures leave those epochs out instead of plotting a false zero.
 */
const DEFINED_WHEN: Readonly<Record<string, (row: NumericRow) => boolean>> = {
  return_rate: (row) => row.epoch >= 1,
  homogenization: (row) => row.epoch >= 1,
  retention_7d: (row) => row.day_end === undefined || row.day_end >= 8,
  time_to_first_impression_median: (row) => row.new_items_first_shown === undefined || row.new_items_first_shown > 0,
  mean_true_satisfaction: (row) => row.clicks === undefined || row.clicks > 0,
  topic_entropy_consumption: (row) => row.clicks === undefined || row.clicks > 0,
};

export function isDefined(metric: string, row: NumericRow): boolean {
  // Latency is 0 in epochs where the pipeline served nothing (e.g. the random start-up).
  if (LATENCY.test(metric)) return !(row[metric] === 0);
  // The ranker's figures are 0 until its first training.
  if (RANKER.test(metric)) return row.ranker_train_examples === undefined || row.ranker_train_examples > 0;
  // A slice column follows its base metric's rule (`retention_7d_slice_country_de` → retention_7d).
  const base = SLICE.exec(metric)?.[1] ?? metric;
  return DEFINED_WHEN[base]?.(row) ?? true;
}

/** Metrics that may leave out early epochs, with the reason (for footnotes). */
export const UNDEFINED_NOTES: Readonly<Record<string, string>> = {
  return_rate: 'undefined in the first epoch',
  homogenization: 'undefined until the user sample is drawn (end of the first epoch)',
  retention_7d: 'undefined before day 8 (no cohort yet)',
  time_to_first_impression_median: 'undefined in epochs where no new item was first shown',
  mean_true_satisfaction: 'undefined in epochs without clicks',
  topic_entropy_consumption: 'undefined in epochs without clicks',
};

/** Footnote for a column the pattern rules above leave out in places. */
export function undefinedNote(metric: string): string | undefined {
  if (LATENCY.test(metric)) return 'left out of epochs where the pipeline served nothing (e.g. the random start-up)';
  if (RANKER.test(metric)) return 'undefined until the ranker has trained';
  return UNDEFINED_NOTES[metric];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Which way is better for each built-in per-epoch metric, so a difference against the control
 * can be called an improvement or a worsening (guardrails). Metrics that are volumes driven by
 * the world rather than by the recommender (uploads, slates asked for) have no direction.
 */
export type Better = 'higher' | 'lower';

const DIRECTIONS: Readonly<Record<string, Better>> = {
  // engagement
  clicks: 'higher',
  ctr: 'higher',
  watch_minutes: 'higher',
  watch_minutes_per_active_user: 'higher',
  mean_true_satisfaction: 'higher',
  // activity
  active_users: 'higher',
  daily_active_users: 'higher',
  sessions: 'higher',
  churned: 'lower',
  population: 'higher',
  return_rate: 'higher',
  retention_7d: 'higher',
  mean_session_satisfaction: 'higher',
  // diversity: varied slates and consumption, exposure spread evenly, users not made alike
  topic_entropy_impressions: 'higher',
  topic_entropy_consumption: 'higher',
  impression_gini: 'lower',
  catalog_coverage: 'higher',
  homogenization: 'lower',
  // cold start
  fresh_impression_share: 'higher',
  new_items_first_shown: 'higher',
  time_to_first_impression_median: 'lower',
  new_items_never_shown_share: 'lower',
};

/** Metrics with a built-in direction. */
export const DIRECTED_METRICS: readonly string[] = Object.keys(DIRECTIONS);

/** The direction of a built-in metric, or undefined when it has none (or is not built in). */
export function metricDirection(metric: string): Better | undefined {
  return Object.prototype.hasOwnProperty.call(DIRECTIONS, metric) ? DIRECTIONS[metric] : undefined;
}

/**
 * Counts that grow with the number of users an arm serves. In a user split they are divided by
 * the arm's share of users before arms are compared, so a 5% arm is not "worse" for being small.
 */
export const SCALES_WITH_USERS: ReadonlySet<string> = new Set([
  'slates',
  'impressions',
  'clicks',
  'watch_minutes',
  'active_users',
  'daily_active_users',
  'sessions',
  'signups',
  'churned',
  'population',
]);

/** The figures printed first, at the end of a run or a comparison: engagement, long-term value, diversity, cold start. */
export const HEADLINE_METRICS = [
  'ctr',
  'watch_minutes_per_active_user',
  'daily_active_users',
  'return_rate',
  'mean_true_satisfaction',
  'topic_entropy_impressions',
  'topic_entropy_consumption',
  'impression_gini',
  'catalog_coverage',
  'homogenization',
  'new_items_never_shown_share',
] as const;

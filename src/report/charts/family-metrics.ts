/** Which plain metric columns each family charts, in panel order. */
export const SHORT_TERM = ['ctr', 'watch_minutes_per_active_user'] as const;
export const LONG_TERM = ['mean_true_satisfaction', 'mean_session_satisfaction', 'return_rate', 'retention_7d', 'daily_active_users'] as const;
export const DIVERSITY = ['topic_entropy_impressions', 'topic_entropy_consumption', 'impression_gini', 'catalog_coverage', 'homogenization'] as const;
export const COLD_START = ['fresh_impression_share', 'new_items_never_shown_share', 'time_to_first_impression_median', 'new_items_first_shown'] as const;
export const REGRET = ['cumulative_regret', 'lai_robbins_bound'] as const;
export const LEARNING = ['best_arm_share', 'reward_rate', 'regret_over_log_round', 'regret_per_round'] as const;

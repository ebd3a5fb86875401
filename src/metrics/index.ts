export type { EpochBounds, Metric, SimEvent, SlateEvent, WorldView } from './types.js';
export type { Better, ChartFamily, MetricBuildOptions, MetricBuildOptions as DefaultMetricsOptions, MetricDeclaration, MetricFamily, MetricRow, MetricSettings, ValueFormat } from './declaration.js';
export { EngagementMetric } from './engagement.js';
export { ActivityMetric } from './activity.js';
export { DiversityMetric, type DiversityOptions } from './diversity.js';
export { Homogenization, type IndexSampler } from './homogenization.js';
export { ColdStartMetric, type ColdStartOptions } from './cold-start.js';
export { FilterBubbleMetric, type FilterBubbleOptions } from './filter-bubble.js';
export { CreatorMetric } from './creators.js';
export { NewCreatorMetric, type NewCreatorOptions } from './new-creators.js';
export { NewUserMetric } from './new-users.js';
export { SliceMetric, tenureDimension, TasteDimension, attributeDimension, NEW_USER_DAYS, PENDING, type SliceDimension } from './slices.js';
export { MetricsCollector, LEADING_COLUMNS } from './collector.js';
export {
  BOOKKEEPING_COLUMNS,
  CHARTED_METRICS,
  createDefaultMetrics,
  declarationOf,
  DECLARED_METRICS,
  DIRECTED_METRICS,
  epochMean,
  familyMetrics,
  HEADLINE_METRICS,
  METRIC_SETTINGS,
  isBookkeeping,
  isDefined,
  metricDirection,
  scalesWithUsers,
  SUMMED_METRICS,
  undefinedNote,
  UNDEFINED_MARK,
} from './registry.js';
export { cosine, entropyBits, gini, jaccard, median, quantile, spearman } from './stats.js';
export { ndcgAtK, reciprocalRank, recallAtK, meanRankingScores, clickedByUser, evaluateOnHeldOut, type RankingScores, type HeldOutOptions, type HeldOutScores } from './offline.js';

export type { EpochBounds, Metric, SimEvent, SlateEvent, WorldView } from './types.js';
export { EngagementMetric } from './engagement.js';
export { ActivityMetric } from './activity.js';
export { DiversityMetric, type DiversityOptions } from './diversity.js';
export { Homogenization, type IndexSampler } from './homogenization.js';
export { ColdStartMetric, type ColdStartOptions } from './cold-start.js';
export { MetricsCollector, LEADING_COLUMNS } from './collector.js';
export { createDefaultMetrics, type DefaultMetricsOptions } from './defaults.js';
export { cosine, entropyBits, gini, jaccard, median } from './stats.js';

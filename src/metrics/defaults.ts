import { ActivityMetric } from './activity.js';
import { ColdStartMetric } from './cold-start.js';
import { DiversityMetric } from './diversity.js';
import { EngagementMetric } from './engagement.js';
import type { IndexSampler } from './homogenization.js';
import type { Metric, WorldView } from './types.js';

export interface DefaultMetricsOptions {
  /** Users in the fixed homogenization sample (drawn at the first epoch end). */
  readonly homogenizationSample: number;
  /** Items younger than this many days at impression time count as fresh. */
  readonly freshAge: number;
  /** Draws the homogenization sample; give it its own Rng stream. */
  readonly sampler: IndexSampler;
}

/** The standard instruments, in column order: engagement, activity, diversity, cold start. */
export function createDefaultMetrics(world: WorldView, options: DefaultMetricsOptions): Metric[] {
  return [
    new EngagementMetric(),
    new ActivityMetric(world),
    new DiversityMetric(world, { homogenizationSample: options.homogenizationSample, sampler: options.sampler }),
    new ColdStartMetric(world, { freshAge: options.freshAge }),
  ];
}

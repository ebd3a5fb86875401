import { ActivityMetric } from './activity.js';
import { ColdStartMetric } from './cold-start.js';
import { DiversityMetric } from './diversity.js';
import { EngagementMetric } from './engagement.js';
import type { IndexSampler } from './homogenization.js';
import { SliceMetric, tenureDimension, type SliceDimension } from './slices.js';
import type { Metric, WorldView } from './types.js';

export interface DefaultMetricsOptions {
  /** Users in the fixed homogenization sample (drawn at the first epoch end). */
  readonly homogenizationSample: number;
  /** Items younger than this many days at impression time count as fresh. */
  readonly freshAge: number;
  /** Draws the homogenization sample; give it its own Rng stream. */
  readonly sampler: IndexSampler;
  /** Extra user slices for the slice-fairness figures (tenure is always included). */
  readonly slices?: readonly SliceDimension[];
}

/** The standard instruments, in column order: engagement, activity, diversity, cold start, slices. */
export function createDefaultMetrics(world: WorldView, options: DefaultMetricsOptions): Metric[] {
  return [
    new EngagementMetric(),
    new ActivityMetric(world),
    new DiversityMetric(world, { homogenizationSample: options.homogenizationSample, sampler: options.sampler }),
    new ColdStartMetric(world, { freshAge: options.freshAge }),
    new SliceMetric([...(options.slices ?? []), tenureDimension(world)]),
  ];
}

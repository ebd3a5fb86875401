/** Experiments: arms compared in twin worlds or in a user split, over replica seeds, in worker processes. */
export { resolveExperiment, type ArmRole, type ExperimentArm, type ResolvedExperiment } from './arms.js';
export { UserAssignment } from './assignment.js';
export { ArmMetrics, type ArmMetricsOptions } from './arm-metrics.js';
export { ArmRouter, type RoutedArm } from './router.js';
export { runJob, type ExperimentJob, type JobResult } from './job.js';
export { runJobs, defaultWorkers, type PoolOptions } from './pool.js';
export { CONFIDENCE, meanInterval, pairedDifference, welchDifference, tQuantile, tCdf, type Interval } from './stats.js';
export { metricDirection, DIRECTED_METRICS, scalesWithUsers, type Better } from '../metrics/index.js';
export { evaluateGuardrail, guardrailSpecs, type GuardrailResult, type GuardrailSpec, type GuardrailStatus } from './guardrails.js';
export { compareArms, type Comparison, type ComparisonInput, type ArmMetric, type MetricComparison } from './comparison.js';
export { runExperiment, replicaSeeds, EXPERIMENT_FILES, type ExperimentOptions, type ExperimentOutcome } from './run-experiment.js';
export { formatComparison, HEADLINE_METRICS } from './table.js';
export { trafficShares, HOLDBACK_ARM } from '../scenario/traffic.js';

/**
 * Checks of the `experiment` section that need the rest of the scenario: every arm's merged
 * recommender is validated exactly like the base one (the schema, then the cross-field checks)
 * with problems shown at the arm's own lines; the control must name an arm; traffic, holdback
 * and pooled training belong to a user split; guardrails need a metric direction.
 */
import { DIRECTED_METRICS, metricDirection } from '../metrics/registry.js';
import { HOLDBACK_ARM, trafficShares } from './traffic.js';
import { checkConsistency, formatDays, type ConsistencyProblem } from './consistency.js';
import { armOverrides, armRecommenderInput, ARM_TRAFFIC_KEY } from './experiment-arms.js';
import type { ExperimentConfig } from './experiment-schema.js';
import { describeIssues, markDefaults } from './issues.js';
import type { KeyPath, PathSegment } from './paths.js';
import { recommender as recommenderSchema } from './recommender-schema.js';
import type { RecommenderConfig, Scenario } from './schema.js';
import { MODULE } from '../settings/module-entry.js';
import { FOLDER_NAME, FOLDER_NAME_WHY } from './folder-name.js';
import { didYouMean } from '../settings/suggest.js';

/** Arm names become folder names (arms/<arm>/) and random-stream paths. */
const ARM_NAME = FOLDER_NAME;
const EXPERIMENT: KeyPath = ['experiment'];

export function checkExperiment(scenario: Scenario): ConsistencyProblem[] {
  const experiment = scenario.experiment;
  if (experiment === undefined) return [];
  const problems: ConsistencyProblem[] = [];
  const names = Object.keys(experiment.arms);
  const armPath = (name: string, ...rest: PathSegment[]): KeyPath => ['experiment', 'arms', name, ...rest];

  for (const name of names) {
    if (!ARM_NAME.test(name)) {
      problems.push({ paths: [armPath(name)], message: `arm name "${name}" may hold only letters, digits, dot, dash or underscore and may not start with a dot (it names folders and random streams: ${FOLDER_NAME_WHY})` });
    }
    if (experiment.holdback !== undefined && name === HOLDBACK_ARM) {
      problems.push({ paths: [armPath(name)], message: `the arm name "${HOLDBACK_ARM}" is taken by experiment.holdback; rename this arm` });
    }
  }
  if (!names.includes(experiment.control)) {
    problems.push({
      paths: [[...EXPERIMENT, 'control']],
      message: `unknown control arm "${experiment.control}" (expected one of: ${names.join(', ')})${didYouMean(experiment.control, names)}`,
    });
  }

  const configs = new Map<string, RecommenderConfig>();
  for (const name of names) {
    const arm = experiment.arms[name];
    const input = armRecommenderInput(scenario.recommender, arm);
    const result = recommenderSchema.safeParse(input, { error: markDefaults });
    if (!result.success) {
      for (const problem of describeIssues(result.error.issues, input, recommenderSchema)) {
        problems.push({ paths: [armPath(name, ...problem.path), armPath(name)], message: `arm "${name}": ${problem.message}` });
      }
      continue;
    }
    configs.set(name, result.data);
    problems.push(...armPlugin(scenario.recommender, name, result.data, armPath));
    problems.push(...armConsistency(scenario, name, result.data, armOverrides(arm)));
  }

  problems.push(...checkDesign(experiment, armPath));
  problems.push(...checkSchedules(scenario.recommender, configs, armPath));
  problems.push(...checkGuardrails(experiment));
  if (experiment.measure_from >= scenario.horizon.days) {
    problems.push({
      paths: [[...EXPERIMENT, 'measure_from']],
      message: `experiment.measure_from (${formatDays(experiment.measure_from)}) leaves no epoch inside the horizon (${formatDays(scenario.horizon.days)})`,
    });
  }
  return problems;
}

/** The plug-in loader loads a recommender file only where the scenario's own recommender is: an arm may vary its settings, not switch to another file. */
function armPlugin(base: RecommenderConfig, name: string, config: RecommenderConfig, armPath: (name: string, ...rest: PathSegment[]) => KeyPath): ConsistencyProblem[] {
  if (config.kind !== MODULE || (base.kind === MODULE && base.path === config.path)) return [];
  return [
    {
      paths: [armPath(name, 'path'), armPath(name, 'kind'), armPath(name)],
      message: `arm "${name}": a recommender from a file is loaded only as the scenario's recommender; make it recommender (kind: ${MODULE}, path: ...) and vary its settings in the arms`,
    },
  ];
}

/** The base's cross-field checks on the arm's recommender; only problems the arm's own overrides cause. */
function armConsistency(scenario: Scenario, name: string, config: RecommenderConfig, overrides: Record<string, unknown>): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = [];
  for (const problem of checkConsistency({ ...scenario, recommender: config, experiment: undefined })) {
    const written = problem.paths
      .filter((path) => path[0] === 'recommender' && hasPath(overrides, path.slice(1)))
      .map((path): KeyPath => ['experiment', 'arms', name, ...path.slice(1)]);
    if (written.length > 0) problems.push({ paths: [...written, ...problem.paths], message: `arm "${name}": ${problem.message}` });
  }
  return problems;
}

function checkDesign(experiment: ExperimentConfig, armPath: (name: string, ...rest: PathSegment[]) => KeyPath): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = [];
  if (experiment.design === 'twin_worlds') {
    const why = 'in twin worlds every arm has a whole world of its own; use design: user_split to share one world';
    for (const [name, arm] of Object.entries(experiment.arms)) {
      if (arm.traffic !== undefined) problems.push({ paths: [armPath(name, ARM_TRAFFIC_KEY)], message: `traffic applies to design: user_split; ${why}` });
    }
    if (experiment.holdback !== undefined) problems.push({ paths: [[...EXPERIMENT, 'holdback']], message: `a holdback applies to design: user_split; ${why}` });
    if (experiment.pooled_training) problems.push({ paths: [[...EXPERIMENT, 'pooled_training']], message: `pooled_training applies to design: user_split; ${why}` });
    return problems;
  }
  const traffic = trafficShares(experiment);
  if (!traffic.ok) {
    const stated = Object.keys(experiment.arms).filter((name) => experiment.arms[name].traffic !== undefined);
    problems.push({ paths: [...stated.map((name) => armPath(name, ARM_TRAFFIC_KEY)), [...EXPERIMENT, 'arms']], message: traffic.message });
  }
  return problems;
}

/** Arms are compared epoch by epoch, and an epoch is one retrain period: every arm retrains on the base's schedule. */
function checkSchedules(
  base: RecommenderConfig,
  configs: ReadonlyMap<string, RecommenderConfig>,
  armPath: (name: string, ...rest: PathSegment[]) => KeyPath,
): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = [];
  for (const [name, config] of configs) {
    if (Math.abs(config.retrain.every - base.retrain.every) > 1e-9 * base.retrain.every) {
      problems.push({
        paths: [armPath(name, 'retrain', 'every'), armPath(name)],
        message:
          `arm "${name}" retrains every ${formatDays(config.retrain.every)}, the base recommender every ${formatDays(base.retrain.every)}; ` +
          'arms are compared epoch by epoch and an epoch is one retrain period, so every arm keeps recommender.retrain.every',
      });
    }
  }
  return problems;
}

function checkGuardrails(experiment: ExperimentConfig): ConsistencyProblem[] {
  const problems: ConsistencyProblem[] = [];
  for (const [metric, guardrail] of Object.entries(experiment.guardrails)) {
    const path: KeyPath = [...EXPERIMENT, 'guardrails', metric];
    let better = metricDirection(metric);
    if (typeof guardrail === 'object') {
      if ((guardrail.relative === undefined) === (guardrail.absolute === undefined)) {
        problems.push({ paths: [path], message: `guardrail ${metric}: expected exactly one of relative or absolute, e.g. { relative: 0.05 } or { absolute: 0.02 }` });
      }
      better = guardrail.better ?? better;
    }
    if (better === undefined) {
      problems.push({
        paths: [path],
        message:
          `guardrail metric "${metric}" has no known direction; write { relative: 0.05, better: higher } (or better: lower)` +
          didYouMean(metric, DIRECTED_METRICS),
      });
    }
  }
  return problems;
}

function hasPath(value: unknown, path: KeyPath): boolean {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.prototype.hasOwnProperty.call(current, segment)) return false;
    current = (current as Record<PathSegment, unknown>)[segment];
  }
  return true;
}

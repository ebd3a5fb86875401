/**
 * The comparison of an experiment's arms over its replicas, as written to comparison.json.
 *
 * Each replica contributes one figure per metric and arm: the mean of its per-epoch values over
 * the epochs that end after `measure_from`. Over replicas: the mean with its 95% t
 * interval, and the difference against the control with its interval (paired by seed in twin
 * worlds, Welch in a user split), relative to the control's mean (the relative interval treats
 * that mean as fixed). In a user split, counts that grow with an arm's users are divided by the
 * arm's share of users first. Per-epoch series of the same figures are kept for charts.
 */
import type { MetricsRow } from '../run/summary.js';
import type { ExperimentDesign } from '../scenario/experiment-schema.js';
import type { ArmRole, ResolvedExperiment } from './arms.js';
import { metricDirection, SCALES_WITH_USERS, type Better } from './directions.js';
import { evaluateGuardrail, guardrailSpecs, type GuardrailResult } from './guardrails.js';
import { CONFIDENCE, meanInterval, pairedDifference, welchDifference, type Interval } from './stats.js';

const BOOKKEEPING = new Set(['epoch', 'day_start', 'day_end']);
const EPSILON = 1e-9;

export type Range = readonly [number, number];

export interface Difference {
  /** treatment − control. */
  readonly diff: number;
  readonly ci95: Range | null;
  /** diff / |control mean|; null when the control's mean is 0. */
  readonly relative: number | null;
  readonly relative_ci95: Range | null;
  readonly df: number | null;
}

export interface EpochSeries {
  readonly day_end: readonly number[];
  readonly mean: readonly number[];
  readonly ci95_low: readonly (number | null)[];
  readonly ci95_high: readonly (number | null)[];
  /** Against the control, epoch by epoch; absent for the control itself. */
  readonly diff?: readonly number[];
  readonly diff_ci95_low?: readonly (number | null)[];
  readonly diff_ci95_high?: readonly (number | null)[];
}

export interface ArmMetric {
  readonly mean: number;
  readonly ci95: Range | null;
  readonly sd: number | null;
  /** One figure per replica, in seed order. */
  readonly replicas: readonly number[];
  /** Null for the control. */
  readonly vs_control: Difference | null;
  readonly series: EpochSeries;
}

export interface MetricComparison {
  readonly better: Better | null;
  /** User split: divided by each arm's share of users before comparing. */
  readonly per_full_traffic: boolean;
  readonly arms: Readonly<Record<string, ArmMetric>>;
}

export interface Comparison {
  readonly scenario: string;
  readonly design: ExperimentDesign;
  readonly control: string;
  readonly seeds: readonly number[];
  readonly confidence: number;
  readonly difference: 'paired' | 'welch';
  readonly measure_from: number;
  readonly pooled_training: boolean;
  readonly arms: readonly { readonly name: string; readonly role: ArmRole; readonly kind: string; readonly traffic: number }[];
  readonly metrics: Readonly<Record<string, MetricComparison>>;
  readonly guardrails: readonly GuardrailResult[];
  /** Guardrail metrics no arm reported (e.g. a recommender figure of a kind no arm uses). */
  readonly guardrails_unavailable: readonly string[];
}

export interface ComparisonInput {
  readonly scenario: string;
  readonly experiment: ResolvedExperiment;
  readonly seeds: readonly number[];
  /** Per arm, per replica (in seed order), the per-epoch rows. */
  readonly rows: ReadonlyMap<string, readonly (readonly MetricsRow[])[]>;
}

export function compareArms(input: ComparisonInput): Comparison {
  const { experiment, seeds } = input;
  const { config, control } = experiment;
  const split = config.design === 'user_split';
  const difference = split ? welchDifference : pairedDifference;
  const rowsOf = (arm: string): readonly (readonly MetricsRow[])[] => {
    const rows = input.rows.get(arm);
    if (rows === undefined || rows.length !== seeds.length) throw new Error(`arm ${arm}: expected rows for ${seeds.length} replicas`);
    return rows;
  };

  const metrics: Record<string, MetricComparison> = {};
  for (const metric of metricNames(experiment, rowsOf)) {
    const scaled = split && SCALES_WITH_USERS.has(metric);
    const value = (row: MetricsRow): number => (scaled && row.user_share > 0 ? row[metric] / row.user_share : row[metric]);
    const figures = new Map<string, { replicas: number[]; epochs: number[][] }>();
    for (const arm of experiment.arms) {
      const rows = rowsOf(arm.name);
      if (!(metric in rows[0][0])) continue;
      figures.set(arm.name, {
        replicas: rows.map((replica) => mean(replica.filter((row) => row.day_end > config.measure_from + EPSILON).map(value))),
        epochs: rows[0].map((_, epoch) => rows.map((replica) => value(replica[epoch]))),
      });
    }
    const base = figures.get(control.name);
    const arms: Record<string, ArmMetric> = {};
    for (const [name, own] of figures) {
      const estimate = meanInterval(own.replicas);
      const versus = name === control.name || base === undefined ? undefined : base;
      const controlMean = versus === undefined ? 0 : meanInterval(versus.replicas).estimate;
      arms[name] = {
        mean: estimate.estimate,
        ci95: range(estimate),
        sd: estimate.se === null ? null : estimate.se * Math.sqrt(estimate.n),
        replicas: own.replicas,
        vs_control: versus === undefined ? null : describeDifference(difference(own.replicas, versus.replicas), controlMean),
        series: series(rowsOf(name)[0], own.epochs, versus?.epochs, difference),
      };
    }
    metrics[metric] = { better: metricDirection(metric) ?? null, per_full_traffic: scaled, arms };
  }

  const guardrails: GuardrailResult[] = [];
  const unavailable: string[] = [];
  for (const spec of guardrailSpecs(config)) {
    const figures = metrics[spec.metric];
    if (figures === undefined) {
      unavailable.push(spec.metric);
      continue;
    }
    const controlFigures = figures.arms[control.name];
    for (const arm of experiment.arms) {
      const own = figures.arms[arm.name];
      if (arm.role !== 'treatment' || own === undefined || controlFigures === undefined) continue;
      const diff = difference(own.replicas, controlFigures.replicas);
      guardrails.push(evaluateGuardrail(spec, arm.name, diff, controlFigures.mean));
    }
  }

  return {
    scenario: input.scenario,
    design: config.design,
    control: control.name,
    seeds,
    confidence: CONFIDENCE,
    difference: split ? 'welch' : 'paired',
    measure_from: config.measure_from,
    pooled_training: config.pooled_training,
    arms: experiment.arms.map((arm) => ({ name: arm.name, role: arm.role, kind: arm.recommender.kind, traffic: arm.traffic })),
    metrics,
    guardrails,
    guardrails_unavailable: unavailable,
  };
}

/** Every arm's metric names, the control's first, in column order. */
function metricNames(experiment: ResolvedExperiment, rowsOf: (arm: string) => readonly (readonly MetricsRow[])[]): string[] {
  const names = new Set<string>();
  for (const arm of [experiment.control, ...experiment.arms]) {
    for (const key of Object.keys(rowsOf(arm.name)[0][0] ?? {})) if (!BOOKKEEPING.has(key)) names.add(key);
  }
  return [...names];
}

function series(
  firstReplica: readonly MetricsRow[],
  epochs: readonly number[][],
  control: readonly number[][] | undefined,
  difference: (a: readonly number[], b: readonly number[]) => Interval,
): EpochSeries {
  const own = epochs.map((values) => meanInterval(values));
  const base: EpochSeries = {
    day_end: firstReplica.map((row) => row.day_end),
    mean: own.map((i) => i.estimate),
    ci95_low: own.map((i) => i.low),
    ci95_high: own.map((i) => i.high),
  };
  if (control === undefined) return base;
  const diffs = epochs.map((values, epoch) => difference(values, control[epoch]));
  return { ...base, diff: diffs.map((i) => i.estimate), diff_ci95_low: diffs.map((i) => i.low), diff_ci95_high: diffs.map((i) => i.high) };
}

function describeDifference(diff: Interval, controlMean: number): Difference {
  const scale = Math.abs(controlMean);
  const ci = range(diff);
  return {
    diff: diff.estimate,
    ci95: ci,
    relative: scale > 0 ? diff.estimate / scale : null,
    relative_ci95: scale > 0 && ci !== null ? [ci[0] / scale, ci[1] / scale] : null,
    df: diff.df,
  };
}

function range(interval: Interval): Range | null {
  return interval.low === null || interval.high === null ? null : [interval.low, interval.high];
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * The comparison of an experiment's arms over its replicas, as written to comparison.json.
 *
 * Each replica contributes one figure per metric and arm: the mean of its per-epoch values over
 * the epochs that end after `measure_from` (`epochMean`: epochs where the metric is undefined
 * are left out, and a replica where it is undefined throughout has no figure, null). Over replicas: the mean with its 95% t
 * interval, and the difference against the control with its interval (paired by seed in twin
 * worlds, Welch in a user split), relative to the control's mean (the relative interval treats
 * that mean as fixed). In a user split, counts that grow with an arm's users are divided by the
 * arm's share of users first. Per-epoch series of the same figures are kept for charts.
 */
import type { MetricsRow } from '../run/summary.js';
import type { ExperimentDesign } from '../scenario/experiment-schema.js';
import { epochMean, isBookkeeping, isDefined, metricDirection, scalesWithUsers, type Better, type MetricRow } from '../metrics/index.js';
import type { ArmRole, ResolvedExperiment } from './arms.js';
import { evaluateGuardrail, guardrailSpecs, type GuardrailResult } from './guardrails.js';
import { CONFIDENCE, meanInterval, pairedDifference, welchDifference, type Interval } from './stats.js';

const EPSILON = 1e-9;

/** A figure per replica (or per epoch), null where the metric is undefined. */
type Figures = readonly (number | null)[];

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

/** Per epoch, over the replicas where the metric is defined in that epoch; null where it is in none. */
export interface EpochSeries {
  readonly day_end: readonly number[];
  readonly mean: readonly (number | null)[];
  readonly ci95_low: readonly (number | null)[];
  readonly ci95_high: readonly (number | null)[];
  /** Against the control, epoch by epoch; absent for the control itself. */
  readonly diff?: readonly (number | null)[];
  readonly diff_ci95_low?: readonly (number | null)[];
  readonly diff_ci95_high?: readonly (number | null)[];
  /**
   * The day the lines cross: the end of the first epoch from which the difference against the
   * control, smoothed over three epochs, keeps the sign it ends with (after `measure_from`);
   * null when it never had the other sign, and absent for the control itself.
   */
  readonly crossing_day?: number | null;
}

export interface ArmMetric {
  /** Over the replicas that have a figure; null when none has. */
  readonly mean: number | null;
  readonly ci95: Range | null;
  readonly sd: number | null;
  /** One figure per replica, in seed order; null where the metric is undefined in every measured epoch. */
  readonly replicas: Figures;
  /** Null for the control, and where no replica pair (paired) or no replica of either arm (Welch) has a figure. */
  readonly vs_control: Difference | null;
  /**
   * Against the oracle baseline (the experiment's arm of kind oracle, when it has one): how far
   * the arm is from what the world allows, e.g. homogenization relative to the ideal recommender
   * (Chaney et al. 2018). Absent without an oracle arm, and for the oracle itself.
   */
  readonly vs_oracle?: Difference | null;
  /**
   * The trend: per replica the least-squares slope of the metric against the day over the
   * measured epochs where it is defined (at least two), then its mean over replicas with its 95%
   * interval; null where no replica has two such epochs. A rising recommended_popularity is the
   * loop amplifying popularity.
   */
  readonly slope_per_day: { readonly mean: number; readonly ci95: Range | null } | null;
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
  /** The arm of kind oracle, the reference `vs_oracle` figures are taken against; absent when no arm is one. */
  readonly oracle?: string;
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
  const oracle = experiment.arms.find((arm) => arm.recommender.kind === 'oracle' && arm.role !== 'holdback');
  const rowsOf = (arm: string): readonly (readonly MetricsRow[])[] => {
    const rows = input.rows.get(arm);
    if (rows === undefined || rows.length !== seeds.length) throw new Error(`arm ${arm}: expected rows for ${seeds.length} replicas`);
    return rows;
  };

  const metrics: Record<string, MetricComparison> = {};
  for (const metric of metricNames(experiment, rowsOf)) {
    const scaled = split && scalesWithUsers(metric);
    const value = (row: MetricRow): number | undefined => {
      const x = row[metric];
      const share = row.user_share;
      return scaled && x !== undefined && share !== undefined && share > 0 ? x / share : x;
    };
    const epochValue = (row: MetricRow): number | null => {
      const x = value(row);
      return x === undefined || !isDefined(metric, row) ? null : x;
    };
    const figures = new Map<string, { replicas: Figures; epochs: Figures[]; slopes: Figures }>();
    for (const arm of experiment.arms) {
      const rows = rowsOf(arm.name);
      if (!(metric in rows[0][0])) continue;
      const measured = rows.map((replica) => replica.filter((row) => row.day_end > config.measure_from + EPSILON));
      figures.set(arm.name, {
        replicas: measured.map((replica) => epochMean(metric, replica, value) ?? null),
        epochs: rows[0].map((_, epoch) => rows.map((replica) => epochValue(replica[epoch]))),
        slopes: measured.map((replica) => slopePerDay(replica, epochValue)),
      });
    }
    const base = figures.get(control.name);
    const ideal = oracle === undefined ? undefined : figures.get(oracle.name);
    const between = (own: Figures, versus: Figures): Interval | null => (split ? unpaired(own, versus) : paired(own, versus));
    const against = (own: Figures, versus: Figures): Difference | null => {
      const diff = between(own, versus);
      const reference = intervalOf(versus)?.estimate;
      return diff === null || reference === undefined ? null : describeDifference(diff, reference);
    };
    const arms: Record<string, ArmMetric> = {};
    for (const [name, own] of figures) {
      const estimate = intervalOf(own.replicas);
      const slope = intervalOf(own.slopes);
      const versus = name === control.name || base === undefined ? undefined : base;
      const controlMean = versus === undefined ? null : (intervalOf(versus.replicas)?.estimate ?? null);
      const diff = versus === undefined ? null : between(own.replicas, versus.replicas);
      const againstOracle = oracle === undefined || name === oracle.name ? undefined : ideal === undefined ? null : against(own.replicas, ideal.replicas);
      arms[name] = {
        mean: estimate?.estimate ?? null,
        ci95: estimate === null ? null : range(estimate),
        sd: estimate === null || estimate.se === null ? null : estimate.se * Math.sqrt(estimate.n),
        replicas: own.replicas,
        vs_control: diff === null || controlMean === null ? null : describeDifference(diff, controlMean),
        ...(againstOracle === undefined ? {} : { vs_oracle: againstOracle }),
        slope_per_day: slope === null ? null : { mean: slope.estimate, ci95: range(slope) },
        series: series(rowsOf(name)[0], own.epochs, versus && { days: rowsOf(control.name)[0].map((row) => row.day_end), epochs: versus.epochs }, between, config.measure_from),
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
      // An oracle baseline is a reference, not a design to ship: no guardrail judges it.
      if (arm.role !== 'treatment' || arm === oracle || own === undefined || controlFigures === undefined) continue;
      const diff = split ? unpaired(own.replicas, controlFigures.replicas) : paired(own.replicas, controlFigures.replicas);
      // No figure to judge by (the metric is undefined throughout): say so rather than pass it.
      if (diff === null || controlFigures.mean === null) {
        if (!unavailable.includes(spec.metric)) unavailable.push(spec.metric);
        continue;
      }
      guardrails.push(evaluateGuardrail(spec, arm.name, diff, controlFigures.mean));
    }
  }

  return {
    scenario: input.scenario,
    design: config.design,
    control: control.name,
    ...(oracle === undefined ? {} : { oracle: oracle.name }),
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

/** Least-squares slope of a replica's defined values against the day; null with fewer than two. */
function slopePerDay(rows: readonly MetricsRow[], valueOf: (row: MetricRow) => number | null): number | null {
  const points = rows.flatMap((row) => {
    const y = valueOf(row);
    return y === null ? [] : [[row.day_end, y] as const];
  });
  if (points.length < 2) return null;
  const meanX = points.reduce((a, [x]) => a + x, 0) / points.length;
  const meanY = points.reduce((a, [, y]) => a + y, 0) / points.length;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  return sxx > 0 ? sxy / sxx : null;
}

/** Every arm's metric names, the control's first, in column order. */
function metricNames(experiment: ResolvedExperiment, rowsOf: (arm: string) => readonly (readonly MetricsRow[])[]): string[] {
  const names = new Set<string>();
  for (const arm of [experiment.control, ...experiment.arms]) {
    for (const key of Object.keys(rowsOf(arm.name)[0][0] ?? {})) if (!isBookkeeping(key)) names.add(key);
  }
  return [...names];
}

function series(
  firstReplica: readonly MetricsRow[],
  epochs: readonly Figures[],
  control: { readonly days: readonly number[]; readonly epochs: readonly Figures[] } | undefined,
  difference: (a: Figures, b: Figures) => Interval | null,
  measureFrom: number,
): EpochSeries {
  const own = epochs.map((values) => intervalOf(values));
  const base: EpochSeries = {
    day_end: firstReplica.map((row) => row.day_end),
    mean: own.map((i) => i?.estimate ?? null),
    ci95_low: own.map((i) => i?.low ?? null),
    ci95_high: own.map((i) => i?.high ?? null),
  };
  if (control === undefined) return base;
  // A sweep's cells may differ in horizon or retrain period: only epochs ending on the same day are compared.
  const diffs = epochs.map((values, epoch) =>
    control.days[epoch] === firstReplica[epoch].day_end ? difference(values, control.epochs[epoch]) : null,
  );
  const diff = diffs.map((i) => i?.estimate ?? null);
  return { ...base, diff, diff_ci95_low: diffs.map((i) => i?.low ?? null), diff_ci95_high: diffs.map((i) => i?.high ?? null), crossing_day: crossingDay(base.day_end, diff, measureFrom) };
}

/**
 * The end of the first epoch from which a difference series, smoothed by the mean of each epoch's
 * defined value and its neighbours', keeps the sign of its last smoothed value; null when no
 * smoothed value after `from` has the opposite sign (the arm led, or trailed, throughout) or the
 * series ends at zero or undefined.
 */
export function crossingDay(days: readonly number[], diff: readonly (number | null)[], from: number): number | null {
  const at = days.flatMap((day, epoch) => (day > from + EPSILON && diff[epoch] !== null ? [epoch] : []));
  const smoothed = at.map((_, k) => {
    const window = at.slice(Math.max(0, k - 1), k + 2).map((epoch) => diff[epoch] as number);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
  const final = Math.sign(smoothed[smoothed.length - 1] ?? 0);
  if (final === 0) return null;
  const lastOpposite = smoothed.findLastIndex((x) => Math.sign(x) === -final);
  return lastOpposite < 0 ? null : days[at[lastOpposite + 1]];
}

/** Mean with its interval over the figures that exist; null when none does. */
function intervalOf(values: Figures): Interval | null {
  const present = values.filter((x): x is number => x !== null);
  return present.length === 0 ? null : meanInterval(present);
}

/** Paired by seed, over the seeds where both arms have a figure; null when there are none. */
function paired(treatment: Figures, control: Figures): Interval | null {
  const pairs = treatment.flatMap((t, i) => (t === null || control[i] === null ? [] : [[t, control[i] as number] as const]));
  return pairs.length === 0 ? null : pairedDifference(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
}

/** Welch's difference over each arm's figures that exist; null when either arm has none. */
function unpaired(treatment: Figures, control: Figures): Interval | null {
  const t = treatment.filter((x): x is number => x !== null);
  const c = control.filter((x): x is number => x !== null);
  return t.length === 0 || c.length === 0 ? null : welchDifference(t, c);
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

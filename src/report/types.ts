/**
 * The report's vocabulary. A run folder and a compare folder load into the same ReportData, so
 * every chart builder and table works for one run (one arm, no interval) and for an experiment
 * (several arms, a mean over replicas with a confidence interval) alike.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationFile } from './data/calibration-schema.js';

/** One chart: a Vega-Lite spec plus the words a reader needs beside it. */
export interface Chart {
  /** File stem (charts/<id>.svg) and HTML anchor: lowercase letters, digits and dashes. */
  readonly id: string;
  readonly family: ChartFamily;
  readonly title: string;
  /** One line: what to look for. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

export type ChartFamily =
  | 'experiment'
  | 'frontier'
  | 'objectives'
  | 'diversity'
  | 'cold_start'
  | 'calibration'
  | 'latency'
  | 'exploration'
  | 'ope'
  | 'check'
  | 'slices';

/** One metric of one arm at one epoch (one metrics row); `ci_low`/`ci_high` only when replicas give an interval. */
export interface SeriesPoint {
  readonly metric: string;
  readonly arm: string;
  /** Row index: the epoch, or the report chunk of a bandit run. */
  readonly epoch: number;
  /** Position on the x axis: simulated day at the end of the epoch, or the round (bandit runs). */
  readonly time: number;
  readonly value: number;
  readonly ci_low?: number;
  readonly ci_high?: number;
}

/** A metric over the whole run for one arm. */
export interface MetricSummary {
  readonly metric: string;
  readonly arm: string;
  readonly mean: number;
  readonly ci_low?: number;
  readonly ci_high?: number;
}

/** An arm minus the control, for one metric; no interval with a single replica. */
export interface ArmDiff {
  readonly metric: string;
  readonly arm: string;
  readonly diff: number;
  readonly ci_low?: number;
  readonly ci_high?: number;
  /** diff / |control mean|, when the control's mean is not 0. */
  readonly relative?: number;
  /** The day from which the arm's line stays on the side of the control's where it ends (comparison.json's `crossing_day`). */
  readonly crossingDay?: number;
  readonly guardrail?: GuardrailFlag;
}

/** An arm's trend: the least-squares slope of a metric per day over the measured epochs, mean over replicas (comparison.json's `slope_per_day`). */
export interface ArmSlope {
  readonly metric: string;
  readonly arm: string;
  readonly slope: number;
  readonly ci_low?: number;
  readonly ci_high?: number;
}

/** A guardrail on an arm's difference: how much worse than the control it may be, and the verdict. */
export interface GuardrailFlag {
  readonly kind: 'relative' | 'absolute';
  /** Allowed worsening: a share of the control's mean (relative) or the metric's units (absolute). */
  readonly threshold: number;
  readonly better: 'higher' | 'lower';
  /** breached: the estimate is past the threshold; uncertain: only the interval reaches past it. */
  readonly status: 'ok' | 'uncertain' | 'breached';
}

/** Off-policy estimates of one target policy's value, against the truth the simulator measured. */
export interface OpeView {
  /** What is estimated, e.g. "clicks per slate". */
  readonly unit: string;
  readonly target: string;
  readonly logging: string;
  readonly level: number;
  /** What the estimates are checked against; absent when nothing measured the target's value. */
  readonly truth?: { readonly value: number; readonly ci_low?: number; readonly ci_high?: number };
  /** Where the truth comes from, e.g. "twin world" or "on-policy log bts". */
  readonly truthSource: string;
  readonly estimates: readonly { readonly estimator: string; readonly estimate: number; readonly ci_low: number; readonly ci_high: number }[];
  /** e.g. "days 4–5". */
  readonly window?: string;
}

export interface MeanInterval {
  readonly mean: number;
  readonly low: number;
  readonly high: number;
}

/** A fitted world's check (`recloop fit-check`): simulated figures against the real log's. */
export interface CheckView {
  /** The unit of every rate row. */
  readonly unit: string;
  readonly level: number;
  readonly policy: string;
  readonly rows: readonly {
    readonly figure: string;
    readonly real: number;
    readonly real_low?: number;
    readonly real_high?: number;
    /** Mean and interval over the simulated logs (seeds). */
    readonly simulated: number;
    readonly simulated_low: number;
    readonly simulated_high: number;
    readonly gap: number;
    readonly gap_low: number;
    readonly gap_high: number;
    readonly consistent: boolean;
  }[];
  /** Total variation distance between real and simulated item exposure, and between two resamples of the real log. */
  readonly exposure: {
    readonly tvd: MeanInterval;
    readonly reference: MeanInterval;
    /** Each item's share of impressions in the real log and over the simulated logs. */
    readonly items: readonly { readonly item: number; readonly real: number; readonly simulated: number }[];
  };
}

export interface TimeAxis {
  readonly unit: 'day' | 'round';
  /** Axis title. */
  readonly title: string;
}

/** A horizontal line a metric's panel draws (a theoretical constant, a target). */
export interface MetricReference {
  readonly value: number;
  readonly label: string;
}

/** A stretch of simulated time the time-series charts shade: the random start-up, days left out of the figures. */
export interface TimePeriod {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

/** A sweep's grid, as the report labels its cells (the arms of a sweep folder). */
export interface SweepView {
  /** The dotted scenario keys swept, with their values as given, in `--grid` order. */
  readonly axes: readonly { readonly key: string; readonly values: readonly string[] }[];
  /** Each cell by name (its arm), with its value on each axis, in axis order. */
  readonly cells: readonly { readonly name: string; readonly values: readonly string[] }[];
  /** The frontier's metrics when the scenario names them (`report.frontier`). */
  readonly frontier?: { readonly x: string; readonly y: string };
}

export interface ReportFact {
  readonly label: string;
  readonly value: string;
}

export interface ReportData {
  /** A run folder, several run folders overlaid, a compare folder (comparison.json), an OPE folder (ope.json or ope-log.json) or a fitted world's check (fit-check.json). */
  readonly kind: 'run' | 'runs' | 'compare' | 'ope' | 'check';
  readonly dir: string;
  readonly name: string;
  readonly description?: string;
  /** The resolved scenario as written by the run, shown verbatim. */
  readonly scenarioYaml?: string;
  /** Colour order: the control (if any) first. */
  readonly arms: readonly string[];
  readonly control?: string;
  /** Replicas per arm; 1 for a single run. */
  readonly replicas: number;
  /** Confidence level of every interval (0.95). */
  readonly level: number;
  readonly time: TimeAxis;
  /** Metric names present, in file order. */
  readonly metrics: readonly string[];
  readonly series: readonly SeriesPoint[];
  readonly summaries: readonly MetricSummary[];
  readonly diffs: readonly ArmDiff[];
  /** The arm of kind oracle (it ranks by the world's true utility): a reference, not a design. */
  readonly oracle?: string;
  /** Each other arm minus the oracle baseline, paired by seed (comparison.json's `vs_oracle`); empty without one. */
  readonly oracleDiffs: readonly ArmDiff[];
  /** Each arm's trend per metric, where comparison.json has one; empty for runs. */
  readonly slopes: readonly ArmSlope[];
  readonly calibration?: CalibrationFile;
  readonly ope?: OpeView;
  readonly check?: CheckView;
  /** Set for a sweep folder (sweep.json): its arms are the grid's cells. */
  readonly sweep?: SweepView;
  /** Per pipeline stage (`total`: the whole request), from the scenario's `recommender.latency_budget_ms`. */
  readonly latencyBudgetMs: Readonly<Record<string, number>>;
  /** Some recommender serves through real stages (a learned ranker), so its latency is worth charting. */
  readonly servingStages: boolean;
  /** Shaded on every time-series chart, earliest first. */
  readonly periods: readonly TimePeriod[];
  /** Reference lines per metric column. */
  readonly references: Readonly<Record<string, MetricReference>>;
  /** Seed, recommender, horizon, ...: shown above the summary table. */
  readonly facts: readonly ReportFact[];
  /** What the reader must know about how the figures were made (table footnotes). */
  readonly notes: readonly string[];
}

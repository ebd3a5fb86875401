/**
 * What a metric is, declared once beside the code that computes it: how a reader sees it
 * (label, unit, format), which way is better, when a value means something, how it adds up
 * over epochs and across arms, and where it is charted. Every field is required, so a metric
 * declared incompletely does not compile (families are checked with `satisfies`).
 */

import { z } from 'zod';
import type { IndexSampler } from './homogenization.js';
import type { Device } from '../world/public.js';
import type { Metric, WorldView } from './types.js';

export type ValueFormat = 'percent' | 'count' | 'number';
export type Better = 'higher' | 'lower';

/** The chart panels of a report, in the order its summary table lists their metrics. */
export const CHART_FAMILIES = ['short_term', 'long_term', 'diversity', 'cold_start', 'regret', 'learning'] as const;
export type ChartFamily = (typeof CHART_FAMILIES)[number];

/** A metrics row as read back: a column may be missing (another kind of run, an older file). */
export type MetricRow = Readonly<Record<string, number | undefined>>;

/** A metric that writes 0 where it has no value: when its value counts, and a footnote saying when not. */
export interface DefinedWhen {
  readonly test: (row: MetricRow) => boolean;
  /** Completes "<label>: …", e.g. "undefined in the first epoch". */
  readonly note: string;
}

export interface MetricDeclaration {
  readonly label: string;
  /** Axis title: the unit, short enough to fit beside a small panel. */
  readonly unit: string;
  readonly format: ValueFormat;
  /** What exactly is measured (panel subtitle, table tooltip). */
  readonly description: string;
  /** Which way is an improvement; null for volumes the world drives (uploads, slates asked for). */
  readonly better: Better | null;
  /** 'always', or the rule that tells a real value from the 0 written where there is none. */
  readonly defined: 'always' | DefinedWhen;
  /** 'sum': a count per epoch that adds up to a run total; 'mean': a rate or level, averaged. */
  readonly overEpochs: 'sum' | 'mean';
  /** Grows with the users an arm serves: divided by the arm's share of users in a user split. */
  readonly scalesWithUsers: boolean;
  /** The report panel family that charts it, or null. */
  readonly chart: ChartFamily | null;
  /** Printed first, in the console tables of `recloop run` and `recloop compare`. */
  readonly headline: boolean;
}

/** A family's metrics, keyed by column name. */
export type MetricDeclarations = Readonly<Record<string, MetricDeclaration>>;

/**
 * Columns written under a pattern (recommender figures per head or stage, user slices): the
 * declaration is made from the match.
 */
export interface PatternDeclaration {
  readonly pattern: RegExp;
  /** The declaration of a column the pattern matched (`lookup` finds another column's, e.g. a slice's base). */
  readonly declare: (match: RegExpExecArray, lookup: (metric: string) => MetricDeclaration) => MetricDeclaration;
}

/** The declaration of a column with no known meaning: labelled from its name, averaged, never directed. */
export function undeclared(metric: string): MetricDeclaration {
  const text = metric.replace(/_/g, ' ');
  return {
    label: text.charAt(0).toUpperCase() + text.slice(1),
    unit: 'value',
    format: 'number',
    description: metric,
    better: null,
    defined: 'always',
    overEpochs: 'mean',
    scalesWithUsers: false,
    chart: null,
    headline: false,
  };
}

/** What building a family's instrument may use beside the world and its settings. */
export interface MetricBuildOptions {
  /** Draws the homogenization sample; give it its own Rng stream. */
  readonly sampler: IndexSampler;
  /**
   * A user's device, for the device slices (tenure slices are always there); null leaves them
   * out (a test world without devices). Required, so no caller leaves them out by omission.
   */
  readonly userDevice: ((userId: number) => Device) | null;
}

/** The scenario's `metrics:` section, validated against every family's settings (defaults filled in). */
export type MetricSettings = Readonly<Record<string, unknown>>;

/**
 * A family of metrics: their declarations, their settings (fields of the scenario's `metrics:`
 * section, with defaults), and how to build the instrument that computes them from simulation
 * events (null where another loop computes them, as the bandit's does).
 */
export interface MetricFamilyDefinition<S extends z.ZodRawShape> {
  readonly metrics: MetricDeclarations;
  readonly patterns: readonly PatternDeclaration[];
  readonly settings: S;
  readonly create: ((world: WorldView, settings: z.output<z.ZodObject<S>>, options: MetricBuildOptions) => Metric) | null;
}

/** A family as the registry holds it: its settings read from the whole `metrics:` section. */
export interface MetricFamily {
  readonly metrics: MetricDeclarations;
  readonly patterns: readonly PatternDeclaration[];
  readonly settings: z.ZodRawShape;
  readonly create: ((world: WorldView, settings: MetricSettings, options: MetricBuildOptions) => Metric) | null;
}

/** Declares a family; every field is required, and `create` sees its own settings typed. */
export function metricFamily<S extends z.ZodRawShape>(family: MetricFamilyDefinition<S>): MetricFamily {
  const { create } = family;
  const own = z.object(family.settings);
  return { ...family, create: create === null ? null : (world, settings, options) => create(world, own.parse(settings), options) };
}

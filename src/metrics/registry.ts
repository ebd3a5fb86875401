/**
 * The metric registry: every family of metrics, in column and panel order. Everything that
 * needs to know what a metric is (labels, directions, guardrail names, chart panels, totals,
 * the console headline, when a value is defined, the mean over epochs) reads it from here, so a
 * metric is declared once, in its family's file. A new family is one line in FAMILIES.
 */
import { ACTIVITY_FAMILY } from './activity.js';
import { BANDIT_FAMILY } from './bandit-regret.js';
import { COLD_START_FAMILY } from './cold-start.js';
import { CREATOR_FAMILY } from './creators.js';
import { z } from 'zod';
import { moduleEntry, PluginSlot } from '../settings/module-entry.js';
import { CHART_FAMILIES, undeclared, type Better, type ChartFamily, type MetricBuildOptions, type MetricDeclaration, type MetricFamily, type MetricRow, type MetricSettings } from './declaration.js';
import { DIVERSITY_FAMILY } from './diversity.js';
import { ENGAGEMENT_FAMILY } from './engagement.js';
import { FILTER_BUBBLE_FAMILY } from './filter-bubble.js';
import { NEW_CREATOR_FAMILY } from './new-creators.js';
import { NEW_USER_FAMILY } from './new-users.js';
import { RECOMMENDER_FIGURES } from './recommender-figures.js';
import { SLICE_FAMILY } from './slices.js';
import type { Metric, WorldView } from './types.js';

const FAMILIES: readonly MetricFamily[] = [ENGAGEMENT_FAMILY, ACTIVITY_FAMILY, DIVERSITY_FAMILY, FILTER_BUBBLE_FAMILY, COLD_START_FAMILY, NEW_USER_FAMILY, CREATOR_FAMILY, NEW_CREATOR_FAMILY, SLICE_FAMILY, BANDIT_FAMILY, RECOMMENDER_FIGURES];

/** Columns that say where a row sits in time (written by the collector or the bandit loop), not metrics. */
export const BOOKKEEPING_COLUMNS: readonly string[] = ['epoch', 'day_start', 'day_end', 'round'];
const BOOKKEEPING = new Set(BOOKKEEPING_COLUMNS);

export function isBookkeeping(column: string): boolean {
  return BOOKKEEPING.has(column);
}

const DECLARED = new Map<string, MetricDeclaration>();
for (const family of FAMILIES) {
  for (const [key, declaration] of Object.entries(family.metrics)) {
    if (DECLARED.has(key)) throw new Error(`metric "${key}" is declared twice`);
    DECLARED.set(key, declaration);
  }
}
const PATTERNS = FAMILIES.flatMap((family) => family.patterns ?? []);

/** Metric families from users' own files (`metrics.plugins`), loaded with the scenario (src/plugins). */
export const METRIC_PLUGINS = new PluginSlot<MetricFamily>('metric family');

const pluginFamilies = new Set<MetricFamily>();

/** `metrics.plugins`: families from files, `{ family: module, path: ./my-metric.ts, ...their settings }`. */
const pluginEntries = z.array(moduleEntry('family')).optional();

/**
 * Makes a loaded plug-in family's metrics known by name, like the built-in ones (labels,
 * directions, when a value is defined, the mean over epochs). The metric names it declares
 * that are already declared otherwise, or an empty list when none is.
 */
export function declarePluginMetrics(family: MetricFamily): string[] {
  if (pluginFamilies.has(family)) return []; // declared already, by an earlier scenario
  const taken = Object.keys(family.metrics).filter((key) => DECLARED.has(key));
  if (taken.length > 0) return taken;
  pluginFamilies.add(family);
  for (const [key, declaration] of Object.entries(family.metrics)) {
    DECLARED.set(key, declaration);
    declaredMetrics.push(key);
    if (declaration.better !== null) directedMetrics.push(key);
    if (declaration.overEpochs === 'sum') summedMetrics.push(key);
    if (declaration.chart !== null) chartedMetrics.push(key);
    if (declaration.chart !== null && declaration.headline) headlineMetrics.push(key);
  }
  PATTERNS.push(...family.patterns);
  return [];
}

// The lists below are mutable underneath only so a plug-in family loaded with a scenario joins them (declarePluginMetrics).
const declaredMetrics = [...DECLARED.keys()];
/** Every metric declared by name, in family order (plug-in families last). */
export const DECLARED_METRICS: readonly string[] = declaredMetrics;

/** The declaration of a column: by name, else by pattern, else one made from its name. */
export function declarationOf(metric: string): MetricDeclaration {
  const known = DECLARED.get(metric);
  if (known) return known;
  for (const { pattern, declare } of PATTERNS) {
    const match = pattern.exec(metric);
    if (match) return declare(match, declarationOf);
  }
  return undeclared(metric);
}

/** The fields of the scenario's `metrics:` section: every family's settings, then the families loaded from files. */
export const METRIC_SETTINGS: z.ZodRawShape = Object.assign({}, ...FAMILIES.map((family) => family.settings), { plugins: pluginEntries });

/** The instruments that compute the world's metrics, in column order (plug-in families last), from the scenario's `metrics:` section. */
export function createDefaultMetrics(world: WorldView, settings: MetricSettings, options: MetricBuildOptions): Metric[] {
  const builtIn = FAMILIES.flatMap((family) => (family.create === null ? [] : [family.create(world, settings, options)]));
  const plugins = (pluginEntries.parse(settings.plugins) ?? []).flatMap((entry) => {
    const { family: _family, path, ...own } = entry;
    const { create } = METRIC_PLUGINS.get(path);
    return create === null ? [] : [create(world, own, options)];
  });
  return [...builtIn, ...plugins];
}

/** Whether a row's value of a metric is a real value, not the 0 it writes where it has none. */
export function isDefined(metric: string, row: MetricRow): boolean {
  const { defined } = declarationOf(metric);
  return defined === 'always' || defined.test(row);
}

/** Why a metric may be undefined in some epochs (a footnote), or undefined when it never is. */
export function undefinedNote(metric: string): string | undefined {
  const { defined } = declarationOf(metric);
  return defined === 'always' ? undefined : defined.note;
}

/**
 * The mean of a metric over epochs, counting only epochs where it is defined (and present);
 * undefined when it is defined in none. The one mean over epochs of run summaries,
 * comparisons and reports. `value` reads a row's figure (default: the column itself).
 */
export function epochMean(metric: string, rows: readonly MetricRow[], value: (row: MetricRow) => number | undefined = (row) => row[metric]): number | undefined {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const x = value(row);
    if (x === undefined || !isDefined(metric, row)) continue;
    sum += x;
    count++;
  }
  return count === 0 ? undefined : sum / count;
}

/** What tables print for a figure that is undefined (never the 0 a metric writes there). */
export const UNDEFINED_MARK = '–';

/** Which way is better for a metric; undefined when it has no direction. */
export function metricDirection(metric: string): Better | undefined {
  return declarationOf(metric).better ?? undefined;
}

/** Metrics declared with a direction (the names a guardrail may use without saying `better`). */
const directedMetrics = DECLARED_METRICS.filter((m) => DECLARED.get(m)?.better !== null);
export const DIRECTED_METRICS: readonly string[] = directedMetrics;

/** Counts per epoch that add up to a run total. */
const summedMetrics = DECLARED_METRICS.filter((m) => DECLARED.get(m)?.overEpochs === 'sum');
export const SUMMED_METRICS: readonly string[] = summedMetrics;

export function scalesWithUsers(metric: string): boolean {
  return declarationOf(metric).scalesWithUsers;
}

/** The metrics a chart family plots, in panel order. */
export function familyMetrics(family: ChartFamily): readonly string[] {
  return DECLARED_METRICS.filter((m) => DECLARED.get(m)?.chart === family);
}

/** Every charted metric, family by family: the order of the report's summary table. */
const chartedMetrics = CHART_FAMILIES.flatMap((family) => familyMetrics(family));
export const CHARTED_METRICS: readonly string[] = chartedMetrics;

/** The figures printed first at the end of a run or a comparison, in panel order. */
const headlineMetrics = CHARTED_METRICS.filter((m) => DECLARED.get(m)?.headline);
export const HEADLINE_METRICS: readonly string[] = headlineMetrics;

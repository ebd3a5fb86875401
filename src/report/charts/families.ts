/**
 * The chart family registry: the charts of every family a metric's declaration may name
 * (`chart:`), each declared in its own file under families/ (chart-family.ts says what a
 * declaration holds). Keyed by the metric layer's list of families, so a family without charts,
 * or charts for a family no metric may name, does not compile; a new family is its name in
 * metrics/declaration.ts, its file, and one line here.
 */
import { CHART_FAMILIES, type ChartFamily } from '../../metrics/declaration.js';
import { familyMetrics } from '../../metrics/registry.js';
import type { Chart, ChartFamily as ReportSection } from '../types.js';
import type { ChartFamilyComponent } from './chart-family.js';
import type { ChartContext } from './context.js';
import { COLD_START_CHARTS } from './families/cold-start.js';
import { DIVERSITY_CHARTS } from './families/diversity.js';
import { LEARNING_CHARTS } from './families/learning.js';
import { LONG_TERM_CHARTS } from './families/long-term.js';
import { REGRET_CHARTS } from './families/regret.js';
import { SHORT_TERM_CHARTS } from './families/short-term.js';

const CHARTS: { readonly [F in ChartFamily]: ChartFamilyComponent<F> } = {
  short_term: SHORT_TERM_CHARTS,
  long_term: LONG_TERM_CHARTS,
  diversity: DIVERSITY_CHARTS,
  cold_start: COLD_START_CHARTS,
  regret: REGRET_CHARTS,
  learning: LEARNING_CHARTS,
};

/** The charts of the families drawn in a report section, in family order. */
export function familyCharts(ctx: ChartContext, section: ReportSection): Chart[] {
  return CHART_FAMILIES.filter((family) => CHARTS[family].section === section).flatMap((family) => CHARTS[family].draw(ctx, familyMetrics(family)));
}

/** The metrics an experiment's difference chart shows after the guarded ones, in family order. */
export const VERDICT_METRICS: readonly string[] = CHART_FAMILIES.filter((family) => CHARTS[family].verdict).flatMap((family) => familyMetrics(family));

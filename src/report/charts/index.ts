/**
 * Every chart the data supports, in reading order (the report's sections, sections.ts): the
 * experiment's verdict first, a sweep's trade-off frontier, then the loop's failures (filter bubbles, cold start, short- against
 * long-term), then the machinery (calibration, latency, exploration, OPE, a fitted world's check), then fairness across
 * slices. A family appears only when its columns or files exist.
 */
import type { Chart, ReportData } from '../types.js';
import { calibrationCharts } from './calibration.js';
import { checkCharts } from './check.js';
import { chartContext, type ChartContext } from './context.js';
import { coldStartCharts, diversityCharts } from './diversity.js';
import { experimentCharts } from './experiment.js';
import { explorationCharts } from './exploration.js';
import { frontierCharts } from './frontier.js';
import { latencyCharts } from './latency.js';
import { objectiveCharts } from './objectives.js';
import { opeCharts } from './ope.js';
import { sliceCharts } from './slices.js';
import { trendOracleCharts } from './trend-oracle.js';

const FAMILIES: readonly ((ctx: ChartContext) => Chart[])[] = [
  experimentCharts,
  frontierCharts,
  diversityCharts,
  trendOracleCharts('diversity'),
  coldStartCharts,
  trendOracleCharts('cold_start'),
  objectiveCharts,
  trendOracleCharts('objectives'),
  calibrationCharts,
  latencyCharts,
  explorationCharts,
  opeCharts,
  checkCharts,
  sliceCharts,
];

export function buildCharts(data: ReportData): Chart[] {
  const ctx = chartContext(data);
  // The caption doubles as the chart's accessible description (aria-label of the SVG).
  const charts = FAMILIES.flatMap((family) => family(ctx)).map((chart) => ({ ...chart, spec: { ...chart.spec, description: chart.caption } }));
  const ids = new Set<string>();
  for (const chart of charts) {
    if (ids.has(chart.id)) throw new Error(`report: two charts with id "${chart.id}"`);
    ids.add(chart.id);
  }
  return charts;
}

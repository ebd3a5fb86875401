/** Diversity and cold start: is the loop narrowing what people see, and are new items starved? */
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { COLD_START, DIVERSITY } from './family-metrics.js';
import { metricGrid } from './metric-grid.js';


export function diversityCharts(ctx: ChartContext): Chart[] {
  const chart = metricGrid(ctx, {
    id: 'diversity',
    family: 'diversity',
    title: 'Diversity of what users see',
    caption: 'Falling entropy and coverage with rising Gini and homogenization mean the loop is narrowing what everyone is shown.',
    metrics: DIVERSITY,
    columns: 3,
  });
  return chart ? [chart] : [];
}

export function coldStartCharts(ctx: ChartContext): Chart[] {
  const chart = metricGrid(ctx, {
    id: 'cold-start',
    family: 'cold_start',
    title: 'Cold start: do new items get a chance?',
    caption: 'A rising never-shown share and a falling fresh share mean new uploads are starved of exposure.',
    metrics: COLD_START,
  });
  return chart ? [chart] : [];
}

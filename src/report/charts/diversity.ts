/** Diversity and cold start: is the loop narrowing what people see, and are new items starved? (families/) */
import type { Chart } from '../types.js';
import type { ChartContext } from './context.js';
import { familyCharts } from './families.js';

export function diversityCharts(ctx: ChartContext): Chart[] {
  return familyCharts(ctx, 'diversity');
}

export function coldStartCharts(ctx: ChartContext): Chart[] {
  return familyCharts(ctx, 'cold_start');
}

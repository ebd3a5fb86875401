/**
 * What a chart family is, declared once in its own file (families/): its name (the value of a
 * metric declaration's `chart`), the report section it is drawn in, whether an experiment's
 * verdict chart shows its metrics, and how to draw its metrics. The registry (families.ts)
 * holds one declaration for every name a metric may give, which the compiler checks.
 */
import type { ChartFamily } from '../../metrics/declaration.js';
import type { Chart, ChartFamily as ReportSection } from '../types.js';
import type { ChartContext } from './context.js';
import { metricGrid } from './metric-grid.js';

export interface ChartFamilyComponent<N extends ChartFamily = ChartFamily> {
  readonly name: N;
  /** The report section its charts appear in. */
  readonly section: ReportSection;
  /** Whether the experiment's difference chart shows its metrics (after the guarded ones). */
  readonly verdict: boolean;
  /** Its charts, given the family's metrics in panel order; none when the run has none of them. */
  readonly draw: (ctx: ChartContext, metrics: readonly string[]) => Chart[];
}

export function chartFamily<const N extends ChartFamily>(definition: ChartFamilyComponent<N>): ChartFamilyComponent<N> {
  return definition;
}

/** A family drawn as one chart of small multiples, a panel per metric the run has. */
export function gridFamily<const N extends ChartFamily>(definition: {
  readonly name: N;
  readonly section: ReportSection;
  readonly verdict: boolean;
  /** Chart id: file stem and HTML anchor. */
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** Panels per row; by default 3 past four panels, else 2. */
  readonly columns?: number;
}): ChartFamilyComponent<N> {
  const { name, section, verdict, id, title, caption, columns } = definition;
  return chartFamily({
    name,
    section,
    verdict,
    draw: (ctx, metrics) => {
      const chart = metricGrid(ctx, { id, family: section, title, caption, metrics, columns });
      return chart ? [chart] : [];
    },
  });
}

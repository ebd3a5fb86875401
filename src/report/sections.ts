/**
 * The report's chart sections, in reading order: the experiment's verdict, a sweep's trade-off
 * frontier (its sentence names the efficient cells), then the three failures
 * of the loop (failures.ts), each opening with its computed sentence, then the machinery
 * (calibration, latency, exploration, OPE) and the slices. A section without charts or a
 * sentence is left out.
 */
import { FAILURES } from './failures.js';
import { failureSentence, frontierSentence } from './sentences/index.js';
import type { Chart, ReportData } from './types.js';

/** A sweep's section on its cells' trade-off (the frontier chart and its sentence), in report.html and summary.md. */
export const FRONTIER_TITLE = 'Trade-off frontier';

export interface ReportSection<C> {
  /** HTML anchor. */
  readonly id: string;
  readonly title: string;
  readonly sentence?: string;
  readonly charts: readonly C[];
}

export function reportSections<C extends { readonly chart: Chart }>(data: ReportData, charts: readonly C[]): ReportSection<C>[] {
  const failureSections = new Set<string>(FAILURES.map((f) => f.section));
  const sections: ReportSection<C>[] = [
    { id: 'verdict', title: 'Verdict: differences from the control', charts: charts.filter((c) => c.chart.family === 'experiment') },
    { id: 'frontier', title: FRONTIER_TITLE, sentence: frontierSentence(data), charts: charts.filter((c) => c.chart.family === 'frontier') },
    ...FAILURES.map((failure) => ({ id: failure.id, title: failure.title, sentence: failureSentence(data, failure), charts: charts.filter((c) => c.chart.family === failure.section) })),
    { id: 'more-charts', title: 'Model, serving and slices', charts: charts.filter((c) => c.chart.family !== 'experiment' && c.chart.family !== 'frontier' && !failureSections.has(c.chart.family)) },
  ];
  return sections.filter((s) => s.charts.length > 0 || s.sentence !== undefined);
}

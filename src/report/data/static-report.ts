/** ReportData with every series field empty: folders with no time series (OPE, a fitted world's check), or a report a test fills in. */
import type { ReportData } from '../types.js';

type Given = Pick<ReportData, 'kind' | 'dir' | 'name' | 'arms' | 'level' | 'facts' | 'notes'> & Partial<ReportData>;

export function staticReportData(given: Given): ReportData {
  return {
    replicas: 1,
    time: { unit: 'day', title: 'Simulated day' },
    metrics: [],
    series: [],
    summaries: [],
    diffs: [],
    oracleDiffs: [],
    slopes: [],
    latencyBudgetMs: {},
    servingStages: false,
    periods: [],
    references: {},
    ...given,
  };
}

/** The report's title, the same in report.html and summary.md. */
import type { ReportData } from './types.js';

const KIND_LABEL: Readonly<Record<ReportData['kind'], string>> = {
  run: 'run',
  runs: 'runs',
  compare: 'experiment',
  ope: 'off-policy evaluation',
  check: 'fitted-world check',
};

export function reportTitle(data: ReportData): string {
  return `${data.name}: recloop ${KIND_LABEL[data.kind]} report`;
}

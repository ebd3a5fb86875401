/**
 * The `report:` section's metrics: a frontier's axes must be metrics the registry knows, with a
 * direction (which cells are efficient depends on which way is better), and two different ones.
 */
import { DIRECTED_METRICS, metricDirection } from '../metrics/registry.js';
import { didYouMean } from '../settings/suggest.js';
import type { ConsistencyProblem } from '../settings/problem.js';
import type { ReportSettings } from './report-schema.js';

export function checkReportSettings(report: ReportSettings | undefined, hasMetricPlugins: boolean): ConsistencyProblem[] {
  const frontier = report?.frontier;
  if (frontier === undefined) return [];
  const problems: ConsistencyProblem[] = [];
  for (const axis of ['x', 'y'] as const) {
    const metric = frontier[axis];
    // A plug-in family's metrics are declared only once its file is loaded, after this first check.
    if (metricDirection(metric) !== undefined || hasMetricPlugins) continue;
    problems.push({
      paths: [['report', 'frontier', axis]],
      message: `report.frontier.${axis}: "${metric}" is not a metric with a direction (higher or lower is better), so no frontier can be drawn on it${didYouMean(metric, DIRECTED_METRICS)}; e.g. ${axis === 'x' ? 'ctr' : 'retention_30d'}`,
    });
  }
  if (frontier.x === frontier.y) {
    problems.push({ paths: [['report', 'frontier', 'y']], message: `report.frontier: x and y are both ${frontier.x}; a frontier weighs two different metrics, e.g. x: ctr, y: retention_30d` });
  }
  return problems;
}

/**
 * What each metric column means to a reader, as the report needs it: read from the metric
 * registry (src/metrics/registry.ts), where every metric is declared once. Columns nobody
 * declared get a label made from their name, so they show up in tables all the same.
 */
import { declarationOf, isDefined as definedInRow, undefinedNote as noteOf } from '../metrics/registry.js';
import type { ValueFormat } from '../metrics/declaration.js';
import type { NumericRow } from './data/read-files.js';

export type { ValueFormat };

export interface MetricInfo {
  readonly label: string;
  /** Axis title: the unit, short enough to fit beside a small panel. */
  readonly unit: string;
  readonly format: ValueFormat;
  /** What exactly is measured (panel subtitle, table tooltip). */
  readonly description?: string;
}

export function metricInfo(metric: string): MetricInfo {
  const { label, unit, format, description } = declarationOf(metric);
  return { label, unit, format, description };
}

/**
 * Several metrics are written as 0 where they are undefined (no cohort yet, nobody clicked);
 * charts and first/mean figures leave those epochs out instead of plotting a false zero.
 */
export function isDefined(metric: string, row: NumericRow): boolean {
  return definedInRow(metric, row);
}

/** Footnote for a metric that is undefined in some epochs. */
export function undefinedNote(metric: string): string | undefined {
  return noteOf(metric);
}

/** Numbers as a reader wants them: shares as percentages, differences of shares in points. */
import { metricInfo, type ValueFormat } from './metric-catalog.js';

const MINUS = '\u2212';

export function formatValue(metric: string, x: number): string {
  return formatAs(metricInfo(metric).format, x);
}

/** A signed difference; for shares in percentage points. */
export function formatDiff(metric: string, d: number): string {
  const { format } = metricInfo(metric);
  const sign = d > 0 ? '+' : d < 0 ? MINUS : '';
  if (format === 'percent') return `${sign}${trimmed(Math.abs(d) * 100)} pp`;
  return `${sign}${formatAs(format, Math.abs(d))}`;
}

/**
 * A slope per day in the units it is read in: shares and percentiles (0–1) in points, so 0.008 a
 * day reads "0.8 percentile points"; other figures in their own unit.
 */
export function perDayScale(metric: string): { readonly factor: number; readonly unit: string } {
  const { format, unit } = metricInfo(metric);
  if (format === 'percent') return { factor: 100, unit: 'percentage points' };
  if (unit === 'percentile') return { factor: 100, unit: 'percentile points' };
  return { factor: 1, unit };
}

/** d3-format string for an axis; Vega picks the precision from the tick step. Undefined: Vega's default. */
export function axisFormat(metric: string): string | undefined {
  const { format } = metricInfo(metric);
  return format === 'percent' ? '~%' : format === 'count' ? ',~f' : undefined;
}

export function tooltipFormat(metric: string): string {
  const { format } = metricInfo(metric);
  return format === 'percent' ? '.2%' : format === 'count' ? ',.0f' : '.4~g';
}

function formatAs(format: ValueFormat, x: number): string {
  if (format === 'percent') return `${x < 0 ? MINUS : ''}${trimmed(Math.abs(x) * 100)}%`;
  if (format === 'count' && Math.abs(x) >= 100) return `${x < 0 ? MINUS : ''}${Math.round(Math.abs(x)).toLocaleString('en-US')}`;
  return `${x < 0 ? MINUS : ''}${trimmed(Math.abs(x))}`;
}

/** A plain number with three significant digits (no unit, no percent). */
export function formatPlain(x: number): string {
  return `${x < 0 ? MINUS : ''}${trimmed(Math.abs(x))}`;
}

/** Three significant digits without exponents or trailing zeros (0.0812, 12.6, 1,370). */
function trimmed(x: number): string {
  if (x === 0) return '0';
  if (x >= 1000) return Math.round(x).toLocaleString('en-US');
  const digits = Math.max(0, 2 - Math.floor(Math.log10(x)));
  return String(Number(x.toFixed(Math.min(digits, 6))));
}

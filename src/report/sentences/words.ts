/** The words the report's sentences share: labels in running text, values with their units, gaps between two values. */
import { formatPlain, formatValue, perDayScale } from '../format.js';
import { metricInfo } from '../metric-catalog.js';

/** The registry's label inside a sentence: lower-cased, unless it opens with an acronym (ECE). */
export function inText(metric: string): string {
  const { label } = metricInfo(metric);
  return /^[A-Z][A-Z]/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A value as the table prints it, with its unit unless it is a share (printed in %). */
export function withUnit(metric: string, x: number): string {
  const { format, unit } = metricInfo(metric);
  return format === 'percent' ? formatValue(metric, x) : `${formatValue(metric, x)} ${unit}`;
}

/** "12% against 25%", "3.6 against 3.2 bits": the unit once, at the end. */
export function against(metric: string, a: number, b: number): string {
  return `${formatValue(metric, a)} against ${withUnit(metric, b)}`;
}

/**
 * How far `a` is from `base`, in words: shares in percentage points, other figures relative to the
 * base (as a multiple from twice on), in their units where the base is 0.
 */
export function gap(metric: string, a: number, base: number): string {
  const d = a - base;
  const direction = d > 0 ? 'higher' : 'lower';
  const { format } = metricInfo(metric);
  if (format === 'percent') return `${twoDigits(Math.abs(d) * 100)} points ${direction}`;
  if (base === 0 || Math.sign(a) !== Math.sign(base)) return `${withUnit(metric, Math.abs(d))} ${direction}`;
  const ratio = a / base;
  return ratio >= 2 ? `${twoDigits(ratio)}× as high` : `${twoDigits(Math.abs(ratio - 1) * 100)}% ${direction}`;
}

/** A slope per day read aloud (perDayScale): `amount` drops the sign, as the verb gives it. */
export function dailyRate(metric: string): { readonly amount: (x: number) => string; readonly unit: string } {
  const { factor, unit } = perDayScale(metric);
  return { amount: (x) => twoDigits(Math.abs(x) * factor), unit };
}

/** "a", "a and b", "a, b and c". */
export function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A gap read aloud needs two significant digits (38 points, 4% lower, 2.1×), not the table's three. */
function twoDigits(x: number): string {
  return formatPlain(Number(x.toPrecision(2)));
}

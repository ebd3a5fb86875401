/**
 * Query results as text: an aligned table for people, CSV and JSON for other programs. The
 * table rounds numbers for reading; CSV and JSON keep full precision.
 */
import { rowObjects, type QueryResult, type QueryValue } from './values.js';

export const OUTPUT_FORMATS = ['table', 'csv', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatResult(result: QueryResult, format: OutputFormat): string {
  switch (format) {
    case 'table':
      return formatTable(result);
    case 'csv':
      return formatCsv(result);
    case 'json':
      return formatJson(result);
  }
}

/** Columns padded to their widest cell; numbers right-aligned; a row count underneath. */
export function formatTable(result: QueryResult): string {
  const cells = result.rows.map((row) => row.map(tableCell));
  const widths = result.columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i].length)));
  const numeric = result.columns.map((_, i) => result.rows.length > 0 && result.rows.every((row) => typeof row[i] === 'number' || row[i] === null));
  const line = (values: readonly string[]): string =>
    values.map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const count = `(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`;
  return [line(result.columns), rule, ...cells.map(line), count].join('\n') + '\n';
}

export function formatCsv(result: QueryResult): string {
  const lines = [result.columns.map(csvField), ...result.rows.map((row) => row.map((value) => csvField(value === null ? '' : plainText(value))))];
  return lines.map((fields) => fields.join(',')).join('\n') + '\n';
}

/** An array of row objects, one per line. */
export function formatJson(result: QueryResult): string {
  const rows = rowObjects(result).map((row) => `  ${JSON.stringify(row)}`);
  return rows.length === 0 ? '[]\n' : `[\n${rows.join(',\n')}\n]\n`;
}

/** Four significant digits below 1000, one decimal above; whole numbers as they are. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1000) return x.toFixed(1);
  return String(Number(x.toPrecision(4)));
}

function tableCell(value: QueryValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') return formatNumber(value);
  return plainText(value).replace(/\s+/g, ' ');
}

function plainText(value: QueryValue): string {
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

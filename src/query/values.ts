/**
 * Query results as plain data: DuckDB hands back bigints, Dates and byte arrays, which neither
 * JSON nor a notebook table shows well, so they become numbers (when exact) or strings.
 */
import type { JS } from '@duckdb/node-api';

export type QueryValue = null | boolean | number | string | readonly QueryValue[] | { readonly [key: string]: QueryValue };

export interface QueryResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly QueryValue[])[];
}

export function toQueryValue(value: JS): QueryValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  // count(*) and sum(...) of integers are BIGINT; keep them numbers while that is exact.
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(toQueryValue);
  const out: Record<string, QueryValue> = {};
  for (const [key, child] of Object.entries(value)) out[key] = toQueryValue(child);
  return out;
}

/** Rows as objects keyed by column name (a later column wins when two share a name). */
export function rowObjects(result: QueryResult): Record<string, QueryValue>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
}

/** One column's values as numbers (null where a value is not a number), for charts and arithmetic. */
export function numberColumn(result: QueryResult, column: string): (number | null)[] {
  const index = result.columns.indexOf(column);
  if (index < 0) throw new RangeError(`no column "${column}" in the result (columns: ${result.columns.join(', ')})`);
  return result.rows.map((row) => {
    const value = row[index];
    return typeof value === 'number' ? value : null;
  });
}

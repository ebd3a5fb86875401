/**
 * The last guard before a run folder: no NaN or Infinity is written. JSON would write either as
 * null (read back as a missing value) and Parquet as a number no reader expects; a metric or a
 * logged figure that is not finite means something upstream broke, so the run stops, naming the
 * file, the epoch and the field.
 */
import { columnOf, IMPRESSION_COLUMNS, type ImpressionBuffer } from '../training/impression-buffer.js';
import { firstNonFinite } from '../ml/divergence.js';

/** An output that would have held NaN or Infinity. */
export class NonFiniteOutputError extends Error {
  override readonly name = 'NonFiniteOutputError';
}

/** The dotted path of the first number in `value` that is not finite (null is allowed: it is written on purpose), or undefined. */
export function nonFinitePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '(the value)';
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const found = nonFinitePath(child, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Throws when `document` holds a number that is not finite; `where` names the file and epoch. */
export function checkFiniteDocument(where: string, document: unknown): void {
  const path = nonFinitePath(document);
  if (path !== undefined) {
    throw new NonFiniteOutputError(`${where}: ${path} is ${describe(valueAt(document, path))}; the run stops rather than write it (a NaN or Infinity means a component broke)`);
  }
}

const FLOAT_COLUMNS = IMPRESSION_COLUMNS.filter((column) => column.storage === 'float64' || column.storage === 'float32');

/** Throws when an impression log's float column holds NaN or Infinity. */
export function checkFiniteImpressions(where: string, impressions: ImpressionBuffer): void {
  const columns = impressions.columns;
  const arrays = FLOAT_COLUMNS.map((column) => columnOf(columns, column.name));
  const bad = firstNonFinite(arrays);
  if (bad !== undefined) {
    // A slate's column holds one value a slate row: the row named is the first of that slate row.
    const column = FLOAT_COLUMNS[bad[0]];
    const row = column.level === 'slate' ? columns.slate_row.indexOf(bad[1]) : bad[1];
    throw new NonFiniteOutputError(`${where}: column ${column.name} of row ${row} is ${describe(bad[2])}; the run stops rather than write it (a NaN or Infinity means a component broke)`);
  }
}

function valueAt(document: unknown, path: string): unknown {
  if (path === '(the value)') return document;
  let node = document;
  for (const part of path.match(/[^.[\]]+/g) ?? []) node = (node as Record<string, unknown>)[part];
  return node;
}

function describe(value: unknown): string {
  return typeof value === 'number' && Number.isNaN(value) ? 'NaN' : String(value);
}

/**
 * An imported log (`recloop import`) as the rounds off-policy estimators read: per logged row
 * the item, its slot, the logging propensity and the click, in file order, with the slots and
 * catalog size its import.json records.
 */
import { withMemoryDuckDB } from '../../training/memory-duckdb.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readMarker } from '../../run/output-marker.js';
import { sqlString } from '../../training/parquet-log.js';
import { OpeLogError } from './ope-log-error.js';

/** A column name quoted for DuckDB. */
function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface LoggedRounds {
  readonly dir: string;
  /** The logging policy (the log's `arm`). */
  readonly arm: string;
  readonly slots: number;
  readonly items: number;
  readonly itemId: Int32Array;
  readonly position: Int32Array;
  /** NaN where the log has none. */
  readonly propensity: Float64Array;
  readonly clicked: Float64Array;
  /** The columns asked for (`recloop fit`'s user features), as text, in the rows' order; NULL is ''. */
  readonly columns?: Readonly<Record<string, readonly string[]>>;
}

/** `columns`: extra columns of the log, read as text beside the others (they must exist). */
export async function readImportedLog(dir: string, columns: readonly string[] = []): Promise<LoggedRounds> {
  if (readMarker(dir)?.kind !== 'import') throw new OpeLogError(`${dir}: not an imported log; make one with recloop import`);
  const file = join(dir, 'import.json');
  const doc: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (typeof doc !== 'object' || doc === null || !('slots' in doc) || !('items' in doc) || !('arm' in doc)) {
    throw new OpeLogError(`${file}: expected "slots", "items" and "arm"`);
  }
  const { slots, items, arm } = doc;
  if (typeof slots !== 'number' || typeof items !== 'number' || typeof arm !== 'string') throw new OpeLogError(`${file}: expected numbers "slots" and "items" and a string "arm"`);
  return withMemoryDuckDB(async (connection) => {
    const reader = await connection.runAndReadAll(
      `SELECT item_id, position, propensity, clicked::INT${columns.map((c) => `, ${sqlIdentifier(c)}::VARCHAR`).join('')} FROM read_parquet(${sqlString(join(dir, 'impressions', 'log.parquet'))}) ORDER BY slate_id, position`,
    );
    const rows = reader.getRowsJS();
    const n = rows.length;
    const out = { itemId: new Int32Array(n), position: new Int32Array(n), propensity: new Float64Array(n), clicked: new Float64Array(n) };
    const text = columns.map(() => new Array<string>(n));
    rows.forEach((row, r) => {
      out.itemId[r] = Number(row[0]);
      out.position[r] = Number(row[1]);
      out.propensity[r] = row[2] === null ? Number.NaN : Number(row[2]);
      out.clicked[r] = Number(row[3]);
      text.forEach((values, c) => (values[r] = row[4 + c] === null ? '' : String(row[4 + c])));
    });
    return { dir, arm, slots, items, ...out, columns: Object.fromEntries(columns.map((c, k) => [c, text[k]])) };
  });
}

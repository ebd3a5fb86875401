/**
 * What the importers read: a table of strings with a header, each row knowing where it came from
 * (a CSV line, or a Parquet row), from CSV (csv-table.ts) or Parquet (parquet-table.ts).
 */
import { extname } from 'node:path';
import { readCsvTable } from './csv-table.js';
import { readParquetTable } from './parquet-table.js';

export interface SourceRow {
  /** The CSV line the row starts on, or the Parquet row's number (from 1). */
  readonly line: number;
  /** One per header column; a Parquet NULL is the empty string, as an empty CSV field. */
  readonly values: readonly string[];
}

export interface SourceTable {
  readonly file: string;
  readonly header: readonly string[];
  readonly rows: readonly SourceRow[];
  /** Where a row is, for error messages: `file:line` (CSV) or `file: row n` (Parquet). */
  where(line: number): string;
}

/** A `.parquet` file through DuckDB; anything else as CSV. */
export async function readSourceTable(file: string): Promise<SourceTable> {
  return extname(file).toLowerCase() === '.parquet' ? readParquetTable(file) : readCsvTable(file);
}

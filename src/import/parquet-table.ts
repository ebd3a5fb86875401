/** A Parquet file as a table of strings (DuckDB casts each value to VARCHAR), rows numbered from 1 in file order. */
import { withMemoryDuckDB } from '../training/memory-duckdb.js';
import { sqlString } from '../training/parquet-log.js';
import { ImportError } from './import-error.js';
import type { SourceTable } from './source-table.js';

export async function readParquetTable(file: string): Promise<SourceTable> {
  return withMemoryDuckDB(async (connection) => {
    const source = `read_parquet(${sqlString(file)})`;
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`).catch((error: unknown) => {
      throw new ImportError(`${file}: not a readable Parquet file (${error instanceof Error ? error.message : String(error)})`);
    });
    const header = described.getRowsJS().map((row) => String(row[0]));
    const casts = header.map((name) => `CAST("${name.replaceAll('"', '""')}" AS VARCHAR)`).join(', ');
    const reader = await connection.runAndReadAll(`SELECT ${casts} FROM ${source}`);
    const rows = reader.getRowsJS().map((row, index) => ({ line: index + 1, values: row.map((v) => (v === null ? '' : String(v))) }));
    return { file, header, rows, where: (line) => `${file}: row ${line}` };
  });
}

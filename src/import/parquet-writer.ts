/** Rows given column by column, written to one Parquet file through a DuckDB table (appended, then COPY). */
import { withMemoryDuckDB } from '../training/memory-duckdb.js';
import type { DuckDBAppender } from '@duckdb/node-api';
import type { ImpressionSqlType } from '../training/impression-buffer.js';
import { sqlString } from '../training/parquet-log.js';

export type Cell = number | boolean | string | null;

export interface Column {
  readonly name: string;
  readonly sqlType: ImpressionSqlType;
  readonly value: (row: number) => Cell;
  /** SQL turning the staged value into the file's, when they differ (e.g. milliseconds into a timestamp). */
  readonly select?: string;
}

export async function writeParquet(file: string, columns: readonly Column[], rows: number): Promise<void> {
  return withMemoryDuckDB(async (connection) => {
    await connection.run(`CREATE TABLE staged (${columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`);
    const appender = await connection.createAppender('staged');
    for (let r = 0; r < rows; r++) {
      for (const column of columns) append(appender, column.sqlType, column.value(r));
      appender.endRow();
    }
    appender.closeSync();
    const select = columns.map((c) => `${c.select ?? ident(c.name)} AS ${ident(c.name)}`).join(', ');
    await connection.run(`COPY (SELECT ${select} FROM staged) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION ZSTD)`);
  });
}

function append(appender: DuckDBAppender, type: ImpressionSqlType, value: Cell): void {
  if (value === null) {
    appender.appendNull();
    return;
  }
  switch (type) {
    case 'DOUBLE':
      appender.appendDouble(Number(value));
      return;
    case 'FLOAT':
      appender.appendFloat(Number(value));
      return;
    case 'INTEGER':
      appender.appendInteger(Number(value));
      return;
    case 'TINYINT':
      appender.appendTinyInt(Number(value));
      return;
    case 'BOOLEAN':
      appender.appendBoolean(value === true);
      return;
    case 'VARCHAR':
      appender.appendVarchar(String(value));
      return;
  }
}

/** A double-quoted SQL identifier (feature names such as `user-item_affinity_0` need quoting). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** One SQL query in a DuckDB of its own (in memory): its rows as arrays, or as objects by column name. */
import { withMemoryDuckDB } from '../../src/training/memory-duckdb.js';

export function duckdbRows(query: string): Promise<unknown[][]> {
  return withMemoryDuckDB(async (connection) => (await connection.runAndReadAll(query)).getRowsJS());
}

export function duckdbRowObjects(query: string): Promise<Record<string, unknown>[]> {
  return withMemoryDuckDB(async (connection) => (await connection.runAndReadAll(query)).getRowObjectsJS());
}

/** One SQL query in a DuckDB of its own (in memory), its rows as JavaScript values. */
import { DuckDBInstance } from '@duckdb/node-api';

export async function duckdbRows(query: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(query)).getRowsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

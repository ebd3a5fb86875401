/** An in-memory DuckDB for one piece of work: opened, handed a connection, and closed whatever happens. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export async function withMemoryDuckDB<T>(use: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      return await use(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

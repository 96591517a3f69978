import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";

/** Runs `work` on a throwaway in-memory DuckDB (for reading files that are not the store). */
export async function withScratchDuckDb<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../util/progress.js";

/**
 * Runs one long statement (a bulk read) while reporting DuckDB's own query progress, in percent,
 * to `progress`. The statement runs on DuckDB's threads; a timer polls the connection.
 */
export async function runWithProgress(connection: DuckDBConnection, sql: string, progress: Progress, phase: string): Promise<void> {
  await connection.run("SET enable_progress_bar = true; SET enable_progress_bar_print = false");
  progress.start(phase, 100);
  const timer = setInterval(() => {
    const percentage = connection.progress.percentage;
    if (percentage > 0) progress.update(Math.floor(percentage));
  }, 250);
  try {
    await connection.run(sql);
  } finally {
    clearInterval(timer);
  }
}

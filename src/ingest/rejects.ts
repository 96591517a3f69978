import type { DuckDBConnection } from "@duckdb/node-api";
import { dropRejectTables } from "./csv.js";

/** Rows an import could not use: how many, and the first few with their line (record) numbers. */
export interface RejectReport {
  count: number;
  examples: { line: number; reason: string }[];
}

export const REJECT_EXAMPLES = 5;

export const noRejects = (): RejectReport => ({ count: 0, examples: [] });

export function mergeRejects(...reports: RejectReport[]): RejectReport {
  const examples = reports
    .flatMap((report) => report.examples)
    .sort((a, b) => a.line - b.line)
    .slice(0, REJECT_EXAMPLES);
  return { count: reports.reduce((sum, report) => sum + report.count, 0), examples };
}

/** "12 rejected rows, e.g. line 4: empty artist; line 9: ..." */
export function describeRejects(report: RejectReport): string {
  if (report.count === 0) return "no rejected rows";
  const shown = report.examples.map((example) => `line ${example.line}: ${example.reason}`).join("; ");
  const more = report.count > report.examples.length ? `; … and ${report.count - report.examples.length} more` : "";
  return `${report.count} rejected row${report.count === 1 ? "" : "s"} (${shown}${more})`;
}

const READER_REASONS: Record<string, string> = {
  "MISSING COLUMNS": "wrong column count",
  "TOO MANY COLUMNS": "wrong column count",
  "INVALID ENCODING": "invalid UTF-8",
  "UNQUOTED VALUE": "malformed quoting",
  "LINE SIZE OVER MAXIMUM": "line too long",
  CAST: "unparseable value",
};

/**
 * Rows DuckDB's CSV reader refused (wrong column count, invalid UTF-8, bad quoting, failed casts),
 * one per line, from the rejects table the scan wrote.
 */
export async function readerRejects(connection: DuckDBConnection, rejectsTable: string): Promise<RejectReport> {
  const count = await connection.runAndReadAll(`SELECT count(DISTINCT line) FROM ${rejectsTable}`);
  const examples = await connection.runAndReadAll(
    `SELECT line, first(error_type ORDER BY column_idx) AS type, first(error_message ORDER BY column_idx) AS message
     FROM ${rejectsTable} GROUP BY line ORDER BY line LIMIT ${REJECT_EXAMPLES}`,
  );
  return {
    count: Number(count.getRows()[0][0]),
    examples: examples.getRowObjects().map((row) => {
      const type = String(row.type);
      const detail = String(row.message).split("\n")[0].replace(/ This file is not utf-8 encoded\.$/, "");
      return { line: Number(row.line), reason: `${READER_REASONS[type] ?? type.toLowerCase()}: ${detail}` };
    }),
  };
}

/**
 * Rows the reader accepted but that are unusable (empty artist, unparseable date, ...), given as a
 * query of (k, problem) for those rows, k being the row's 1-based ordinal among ACCEPTED rows.
 * Their line numbers are recovered from k: row k sits after every rejected line i whose count of
 * accepted rows before it (line_i - headerLines - i) is below k.
 */
export async function rowProblems(
  connection: DuckDBConnection,
  problemsSql: string,
  count: number,
  headerLines: number,
  rejectsTable: string | null,
): Promise<RejectReport> {
  if (count === 0) return noRejects();
  const gaps = rejectsTable
    ? `SELECT line - ${headerLines} - row_number() OVER (ORDER BY line) AS gap FROM (SELECT DISTINCT line FROM ${rejectsTable})`
    : "SELECT NULL::BIGINT AS gap WHERE false";
  const examples = await connection.runAndReadAll(
    `WITH gaps AS (${gaps})
     SELECT p.k + ${headerLines} + (SELECT count(*) FROM gaps WHERE gap < p.k) AS line, p.problem
     FROM (SELECT k, problem FROM (${problemsSql}) ORDER BY k LIMIT ${REJECT_EXAMPLES}) p
     ORDER BY p.k`,
  );
  return {
    count,
    examples: examples.getRowObjects().map((row) => ({ line: Number(row.line), reason: String(row.problem) })),
  };
}

/**
 * Reads a file once more, IN ORDER, to give the first few of its `problems` unusable rows their
 * line numbers. `read(rejectsTable)` yields the validated rows (a `problem` column, NULL for good
 * rows) of a fresh reader writing its refusals to `rejectsTable` (null for readers that cannot
 * refuse rows), so that accepted rows are counted the same way as in the first read.
 */
export async function numberProblemRows(
  connection: DuckDBConnection,
  rejectsTable: string,
  problems: number,
  read: (rejectsTable: string) => { validatedSql: string; headerLines: number; rejectsTable: string | null },
): Promise<RejectReport> {
  const { validatedSql, headerLines, rejectsTable: written } = read(rejectsTable);
  await dropRejectTables(connection, rejectsTable);
  const preserving = (await connection.runAndReadAll("SELECT current_setting('preserve_insertion_order')")).getRows()[0][0];
  await connection.run("SET preserve_insertion_order = true");
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE numbered_problems AS
     SELECT k, problem FROM (SELECT row_number() OVER () AS k, problem FROM (${validatedSql})) WHERE problem IS NOT NULL`,
  );
  await connection.run(`SET preserve_insertion_order = ${preserving === true}`);
  const report = await rowProblems(connection, "SELECT * FROM numbered_problems", problems, headerLines, written);
  await connection.run("DROP TABLE numbered_problems");
  await dropRejectTables(connection, rejectsTable);
  return report;
}

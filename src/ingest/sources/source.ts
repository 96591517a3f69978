import path from "node:path";
import { sqlString } from "../../store/sql.js";

/**
 * A scrobble-level input (every format but HetRec) as one SQL SELECT over DuckDB's native reader,
 * yielding one row per input record IN FILE ORDER (nothing filtered, so row numbers map back to
 * lines) with the columns:
 *   user_name, artist, track, album VARCHAR; played_at TIMESTAMP (NULL when unparseable);
 *   time_text VARCHAR (the raw time, for messages); skip VARCHAR (why a valid record is not a play);
 *   invalid VARCHAR (why a record the reader accepted is unusable, e.g. a line that is not JSON).
 */
export interface ScrobbleSource {
  select: string;
  /** The reader's rejects table (CSV-based readers), or null when the reader cannot reject rows. */
  rejectsTable: string | null;
  /** Lines before the first record (a header line). */
  headerLines: number;
}

export interface SourceOptions {
  path: string;
  /**
   * --user: for single-user exports the listener's name (default: the file name); for multi-user
   * datasets (kaggle, lfm1k) only that user's rows are imported, the others are counted as skipped.
   */
  user?: string;
  /** Name for the reader's rejects table; null when re-reading a file whose rejects are already counted. */
  rejectsTable: string | null;
}

/** The listener of a single-user export: --user, else the file name without extension. */
export function listenerOf(options: SourceOptions): string {
  return options.user ?? path.basename(options.path).replace(/\.[^.]+$/, "");
}

const TEXT_FORMATS = [
  "%d %b %Y %H:%M",
  "%d %b %Y, %H:%M",
  "%d %b %Y %H:%M:%S",
  "%Y-%m-%d %H:%M:%S",
  "%Y-%m-%d %H:%M",
  "%Y-%m-%dT%H:%M:%SZ",
  "%Y-%m-%dT%H:%M:%S.%fZ",
  "%Y-%m-%dT%H:%M:%S",
  "%Y-%m-%dT%H:%M",
];

/**
 * Timestamp from a text column in any form exporters use: Unix seconds (or milliseconds), or one of
 * TEXT_FORMATS (all read as UTC). NULL when nothing fits, which the staging marks as a bad row.
 */
export function flexibleTimestampSql(expression: string): string {
  const text = `trim(${expression})`;
  const formats = `[${TEXT_FORMATS.map((format) => `'${format}'`).join(", ")}]`;
  return `CASE
    WHEN regexp_full_match(${text}, '[0-9]{9,11}') THEN epoch_ms(CAST(${text} AS BIGINT) * 1000)
    WHEN regexp_full_match(${text}, '[0-9]{12,14}') THEN epoch_ms(CAST(${text} AS BIGINT))
    ELSE try_strptime(${text}, ${formats}) END`;
}

/** `skip` expression of multi-user datasets: rows of users other than --user are skipped. */
export function otherUserSkipSql(userColumn: string, user: string | undefined): string {
  return user == null ? "NULL" : `CASE WHEN ${userColumn} IS DISTINCT FROM ${sqlString(user)} THEN 'other user than --user' END`;
}

/**
 * A scrobble-level input (every format but HetRec) as one SQL SELECT over DuckDB's native reader,
 * yielding one row per input record IN FILE ORDER (nothing filtered, so row numbers map back to
 * lines) with the columns:
 *   user_name VARCHAR (the listener the record names; NULL when the format names none);
 *   artist, track, album VARCHAR; played_at TIMESTAMP (NULL when unparseable; the Unix epoch
 *   1970-01-01 00:00:00 marks a scrobble without a date);
 *   time_text VARCHAR (the raw time, for messages); skip VARCHAR (why a valid record is not a play);
 *   invalid VARCHAR (why a record the reader accepted is unusable, e.g. a line that is not JSON);
 *   recording_mbid, artist_mbid VARCHAR (MusicBrainz ids as the record has them, unvalidated; NULL
 *   when the format carries none: see item-mbids.ts).
 * Which listener a row belongs to (the file's names, --user, the file name) is decided by the scan
 * (src/ingest/scan.ts), not by the source.
 */
export interface ScrobbleSource {
  select: string;
  /** The reader's rejects table (CSV-based readers), or null when the reader cannot reject rows. */
  rejectsTable: string | null;
  /** Lines before the first record (comment and header lines). */
  headerLines: number;
  /**
   * How the format names listeners: "every-row" (multi-user datasets: a blank name is a bad row),
   * "optional" (single-person exports that may carry the account name: a blank name falls back to
   * --user or the file name), "none" (the file never names its listener).
   */
  listeners: "every-row" | "optional" | "none";
}

export interface SourceOptions {
  /** The file DuckDB reads (a UTF-8 copy when the original is in another encoding). */
  path: string;
  /** Name for the reader's rejects table; null when re-reading a file whose rejects are already counted. */
  rejectsTable: string | null;
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
 * Timestamp from a text column in any form exporters use: Unix seconds (or milliseconds; 0 is a
 * scrobble without a date), or one of TEXT_FORMATS (all read as UTC). NULL when nothing fits,
 * which the scan marks as a bad row.
 */
export function flexibleTimestampSql(expression: string): string {
  const text = `trim(${expression})`;
  const formats = `[${TEXT_FORMATS.map((format) => `'${format}'`).join(", ")}]`;
  return `CASE
    WHEN regexp_full_match(${text}, '[0-9]{9,11}') THEN epoch_ms(CAST(${text} AS BIGINT) * 1000)
    WHEN regexp_full_match(${text}, '[0-9]{12,14}') THEN epoch_ms(CAST(${text} AS BIGINT))
    WHEN ${text} = '0' THEN epoch_ms(0)
    ELSE try_strptime(${text}, ${formats}) END`;
}

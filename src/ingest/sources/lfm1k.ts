import { readCsvSql, readHead } from "../csv.js";
import type { ScrobbleSource, SourceOptions } from "./source.js";

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * The Last.fm-1K layout of a tab-separated line: `userid \t ISO-timestamp \t artist-mbid \t artist
 * \t track-mbid \t track` is a record; the same six fields with a word where the time goes
 * (`user timestamp artist_id artist …`) is a header line that some copies carry.
 */
export function lfm1kLine(line: string): "record" | "header" | null {
  const fields = line.split("\t");
  if (fields.length !== 6) return null;
  if (ISO_TIMESTAMP.test(fields[1])) return "record";
  return /^[\p{L}_ #-]+$/u.test(fields[1]) && /time/i.test(fields[1]) ? "header" : null;
}

/**
 * The Last.fm-1K dataset TSV: `userid \t timestamp \t artist-mbid \t artist \t track-mbid \t track`,
 * no quoting, ISO timestamps in UTC, with or without a header line. 19M lines / 2.4 GB: streamed
 * by DuckDB's parallel CSV reader, never held in JS memory.
 */
export function lfm1kSource(options: SourceOptions): ScrobbleSource {
  const header = lfm1kLine(readHead(options.path, 4096).split(/\r?\n/, 1)[0]) === "header";
  const reader = readCsvSql({
    path: options.path,
    columns: [
      ["user_id", "VARCHAR"],
      ["ts", "VARCHAR"],
      ["artist_mbid", "VARCHAR"],
      ["artist", "VARCHAR"],
      ["track_mbid", "VARCHAR"],
      ["track", "VARCHAR"],
    ],
    delimiter: "\t",
    quote: "",
    header,
    rejectsTable: options.rejectsTable,
  });
  return {
    select: `SELECT user_id AS user_name, artist, track, NULL::VARCHAR AS album,
      TRY_CAST(ts AS TIMESTAMP) AS played_at, ts AS time_text, NULL AS skip, NULL AS invalid, track_mbid AS recording_mbid, artist_mbid
      FROM ${reader}`,
    rejectsTable: options.rejectsTable,
    headerLines: header ? 1 : 0,
    listeners: "every-row",
  };
}

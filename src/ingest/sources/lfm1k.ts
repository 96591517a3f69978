import { readCsvSql } from "../csv.js";
import { otherUserSkipSql, type ScrobbleSource, type SourceOptions } from "./source.js";

/**
 * The Last.fm-1K dataset TSV: `userid \t timestamp \t artist-mbid \t artist \t track-mbid \t track`,
 * no header, no quoting, ISO timestamps in UTC. 19M lines / 2.4 GB: streamed by DuckDB's parallel
 * CSV reader, never held in JS memory.
 */
export function lfm1kSource(options: SourceOptions): ScrobbleSource {
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
    header: false,
    rejectsTable: options.rejectsTable,
  });
  return {
    select: `SELECT user_id AS user_name, artist, track, NULL::VARCHAR AS album,
      TRY_CAST(ts AS TIMESTAMP) AS played_at, ts AS time_text, ${otherUserSkipSql("user_id", options.user)} AS skip, NULL AS invalid
      FROM ${reader}`,
    rejectsTable: options.rejectsTable,
    headerLines: 0,
  };
}

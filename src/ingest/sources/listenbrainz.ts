import { readHead } from "../csv.js";
import { JSON_LINE_STATUS, jsonRecordsSql, jsonTimestampSql } from "./json-records.js";
import type { ScrobbleSource, SourceOptions } from "./source.js";

/**
 * ListenBrainz listens, in every shape people have them (track_metadata.{artist_name, track_name,
 * release_name} in all):
 *  - the account export's `listens/<year>/<month>.jsonl` and the older one-array export:
 *    `listened_at` (Unix seconds, possibly fractional, or ISO);
 *  - the public data dump's `.listens` JSON lines: `timestamp` and `user_name` on every row, many
 *    listeners per file;
 *  - a listen submission saved to a file: `{"listen_type": "import", "payload": [listens]}`.
 * The listener is the record's `user_name` when it has one (see ScrobbleSource.listeners).
 */
export function listenbrainzSource(options: SourceOptions): ScrobbleSource {
  const head = readHead(options.path, 4096).trimStart();
  const submission = head.startsWith("{") && /"listen_type"\s*:/.test(head);
  const records = jsonRecordsSql(options.path, options.rejectsTable, submission ? "$.payload" : undefined);
  const time = "coalesce(j -> '$.listened_at', j -> '$.timestamp')";
  return {
    select: `SELECT j ->> '$.user_name' AS user_name,
      j ->> '$.track_metadata.artist_name' AS artist, j ->> '$.track_metadata.track_name' AS track,
      j ->> '$.track_metadata.release_name' AS album,
      ${jsonTimestampSql(time)} AS played_at, ${time} ->> '$' AS time_text,
      ${JSON_LINE_STATUS.skip} AS skip, ${JSON_LINE_STATUS.invalid} AS invalid
      FROM (${records.sql})`,
    rejectsTable: records.rejectsTable,
    headerLines: 0,
    listeners: "optional",
  };
}

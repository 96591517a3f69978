import { sqlString } from "../../store/sql.js";
import { jsonRecordsSql, jsonTimestampSql } from "./json-records.js";
import { listenerOf, type ScrobbleSource, type SourceOptions } from "./source.js";

/**
 * A ListenBrainz listens export (JSON lines or a JSON array): `listened_at` (Unix seconds or ISO)
 * and `track_metadata.{artist_name, track_name, release_name}`; the listener is --user, else the
 * record's `user_name`, else the file name.
 */
export function listenbrainzSource(options: SourceOptions): ScrobbleSource {
  const records = jsonRecordsSql(options.path, options.rejectsTable);
  const fallbackUser = sqlString(listenerOf(options));
  const user = options.user == null ? `coalesce(j ->> '$.user_name', ${fallbackUser})` : fallbackUser;
  return {
    select: `SELECT ${user} AS user_name,
      j ->> '$.track_metadata.artist_name' AS artist, j ->> '$.track_metadata.track_name' AS track,
      j ->> '$.track_metadata.release_name' AS album,
      ${jsonTimestampSql("(j -> '$.listened_at')")} AS played_at, j ->> '$.listened_at' AS time_text,
      CASE WHEN blank THEN 'blank line' END AS skip,
      CASE WHEN j IS NULL AND NOT blank THEN 'invalid JSON' END AS invalid
      FROM (${records.sql})`,
    rejectsTable: records.rejectsTable,
    headerLines: 0,
  };
}

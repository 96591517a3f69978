import { jsonRecordsSql, jsonTimestampSql } from "./json-records.js";
import type { ScrobbleSource, SourceOptions } from "./source.js";

/**
 * A Maloja export (`maloja export`): `{"maloja": {"export_time": …}, "scrobbles": [{"time": <Unix
 * seconds>, "track": {"artists": [...], "title", "album": {"albumtitle" | "name", "artists"},
 * "length"}, "duration", "origin"}]}`. A track credited to several artists is stored under them
 * joined by ", " (as ListenBrainz imports Maloja); the album may be null. Scrobbles are numbered by
 * their position in the array.
 */
export function malojaSource(options: SourceOptions): ScrobbleSource {
  const records = jsonRecordsSql(options.path, null, "$.scrobbles");
  const artists = "j -> '$.track.artists'";
  return {
    select: `SELECT NULL::VARCHAR AS user_name,
      CASE WHEN json_type(${artists}) = 'ARRAY' THEN array_to_string(CAST(${artists} AS VARCHAR[]), ', ') ELSE ${artists} ->> '$' END AS artist,
      j ->> '$.track.title' AS track,
      coalesce(j ->> '$.track.album.albumtitle', j ->> '$.track.album.name', j ->> '$.extra.album_name') AS album,
      ${jsonTimestampSql("(j -> '$.time')")} AS played_at, j ->> '$.time' AS time_text,
      NULL AS skip, NULL AS invalid, NULL::VARCHAR AS recording_mbid, NULL::VARCHAR AS artist_mbid
      FROM (${records.sql})`,
    rejectsTable: null,
    headerLines: 0,
    listeners: "none",
  };
}

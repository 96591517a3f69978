import { JSON_LINE_STATUS, jsonMillisecondsSql, jsonRecordsSql } from "./json-records.js";
import type { ScrobbleSource, SourceOptions } from "./source.js";

/**
 * Pano Scrobbler's export: JSON lines with `timeMs` (Unix milliseconds), `artist`, `track`,
 * `album`, `albumArtist`, `durationMs` (and the media player). Entries without a track are not
 * plays (as ListenBrainz's importer treats them).
 */
export function panoscrobblerSource(options: SourceOptions): ScrobbleSource {
  const records = jsonRecordsSql(options.path, options.rejectsTable);
  return {
    select: `SELECT NULL::VARCHAR AS user_name, j ->> '$.artist' AS artist, j ->> '$.track' AS track, j ->> '$.album' AS album,
      ${jsonMillisecondsSql("(j -> '$.timeMs')")} AS played_at, j ->> '$.timeMs' AS time_text,
      CASE WHEN blank THEN 'blank line' WHEN j IS NOT NULL AND coalesce(j ->> '$.track', '') = '' THEN 'no track (not a play)' END AS skip,
      ${JSON_LINE_STATUS.invalid} AS invalid, NULL::VARCHAR AS recording_mbid, NULL::VARCHAR AS artist_mbid
      FROM (${records.sql})`,
    rejectsTable: records.rejectsTable,
    headerLines: 0,
    listeners: "none",
  };
}

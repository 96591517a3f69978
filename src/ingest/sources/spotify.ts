import { JSON_LINE_STATUS, jsonRecordsSql, jsonTimestampSql } from "./json-records.js";
import type { ScrobbleSource, SourceOptions } from "./source.js";

/** Spotify counts a stream as a play from 30 seconds on; shorter ones are skips. */
export const MIN_PLAY_MS = 30_000;

/**
 * Spotify "extended streaming history" (`ts`, `master_metadata_track_name`,
 * `master_metadata_album_artist_name`, `master_metadata_album_album_name`, `ms_played`,
 * `username`; the older `endsong_N.json` files have the same fields, often with an empty
 * `username`), also the older account-data form (`endTime`, `artistName`, `trackName`, `msPlayed`).
 * Streams under 30 s and podcast / audiobook entries (no track metadata) are skipped, not plays.
 */
export function spotifySource(options: SourceOptions): ScrobbleSource {
  const records = jsonRecordsSql(options.path, options.rejectsTable);
  const artist = `coalesce(j ->> '$.master_metadata_album_artist_name', j ->> '$.artistName')`;
  const track = `coalesce(j ->> '$.master_metadata_track_name', j ->> '$.trackName')`;
  const time = `coalesce(j -> '$.ts', j -> '$.endTime')`;
  const played = `coalesce(TRY_CAST(j ->> '$.ms_played' AS BIGINT), TRY_CAST(j ->> '$.msPlayed' AS BIGINT))`;
  return {
    select: `SELECT j ->> '$.username' AS user_name, ${artist} AS artist, ${track} AS track,
      j ->> '$.master_metadata_album_album_name' AS album,
      ${jsonTimestampSql(time)} AS played_at, ${time} ->> '$' AS time_text,
      CASE WHEN blank THEN 'blank line'
           WHEN j IS NULL THEN NULL
           WHEN ${artist} IS NULL AND ${track} IS NULL THEN 'podcast, audiobook or video (no track metadata)'
           WHEN ${played} < ${MIN_PLAY_MS} THEN 'skip (played under 30 s)' END AS skip,
      ${JSON_LINE_STATUS.invalid} AS invalid, NULL::VARCHAR AS recording_mbid, NULL::VARCHAR AS artist_mbid
      FROM (${records.sql})`,
    rejectsTable: records.rejectsTable,
    headerLines: 0,
    listeners: "optional",
  };
}

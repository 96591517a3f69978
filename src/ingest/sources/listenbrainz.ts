import { readHead } from "../csv.js";
import { canonicalMbidSql, firstJsonIdSql } from "../item-mbids.js";
import { envelopeRecordsSql } from "./json-envelope.js";
import { JSON_LINE_STATUS, jsonFieldsSql, jsonRecordsSql, jsonTimestampSql } from "./json-records.js";
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
 * MusicBrainz ids: the submitting player's `track_metadata.additional_info.recording_mbid` and
 * `artist_mbids` (first = main artist), else ListenBrainz's own `track_metadata.mbid_mapping`.
 */
export function listenbrainzSource(options: SourceOptions): ScrobbleSource {
  const head = readHead(options.path, 4096).trimStart();
  const submission = head.startsWith("{") && /"listen_type"\s*:/.test(head);
  const records = jsonRecordsSql(options.path, options.rejectsTable, submission ? "$.payload" : undefined);
  return { select: listenRowsSql(records.sql), rejectsTable: records.rejectsTable, headerLines: 0, listeners: "optional" };
}

/**
 * A saved ListenBrainz API response, `GET /1/user/{user}/listens`: `{"payload": {"count",
 * "listens": [...], "user_id", "latest_listen_ts", "oldest_listen_ts"}}`, or just
 * `{"listens": [...]}`, pretty-printed or not; each listen has the export's shape. This is how
 * `musicrec sync listenbrainz` stores its pages.
 */
export function listenbrainzApiSource(options: SourceOptions): ScrobbleSource {
  const records = envelopeRecordsSql(options.path, ["$.payload.listens", "$.listens"]);
  return { select: listenRowsSql(records), rejectsTable: null, headerLines: 0, listeners: "optional" };
}

/** Rows of listen records (columns `j`, `blank`); a playing-now listen (no time) is skipped, not a play. */
function listenRowsSql(recordsSql: string): string {
  const fields = jsonFieldsSql(recordsSql, {
    record_user: "$.user_name",
    artist: "$.track_metadata.artist_name",
    track: "$.track_metadata.track_name",
    album: "$.track_metadata.release_name",
    listened_at: "$.listened_at",
    dump_time: "$.timestamp",
    playing_now: "$.playing_now",
    info_recording: "$.track_metadata.additional_info.recording_mbid",
    info_artists: "$.track_metadata.additional_info.artist_mbids",
    mapped_recording: "$.track_metadata.mbid_mapping.recording_mbid",
    mapped_artists: "$.track_metadata.mbid_mapping.artist_mbids",
  });
  const time = "coalesce(listened_at, dump_time)";
  return `SELECT record_user ->> '$' AS user_name, artist ->> '$' AS artist, track ->> '$' AS track, album ->> '$' AS album,
    ${jsonTimestampSql(time)} AS played_at, ${time} ->> '$' AS time_text,
    coalesce(${JSON_LINE_STATUS.skip},
      CASE WHEN (playing_now ->> '$') = 'true' AND ${time} IS NULL THEN 'playing now (not a listen yet)' END) AS skip,
    ${JSON_LINE_STATUS.invalid} AS invalid,
    ${preferredIdSql("info_recording ->> '$'", "mapped_recording ->> '$'")} AS recording_mbid,
    ${preferredIdSql(firstJsonIdSql("info_artists"), firstJsonIdSql("mapped_artists"))} AS artist_mbid
    FROM (${fields})`;
}

/** The player's id when well-formed, else ListenBrainz's mapping's when it has one, else the player's value (reported if malformed). */
function preferredIdSql(player: string, mapping: string): string {
  return `CASE WHEN ${canonicalMbidSql(player)} IS NULL AND nullif(trim(${mapping}), '') IS NOT NULL THEN ${mapping} ELSE ${player} END`;
}

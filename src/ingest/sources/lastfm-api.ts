import { envelopeRecordsSql } from "./json-envelope.js";
import { jsonFieldsSql } from "./json-records.js";
import { flexibleTimestampSql, type ScrobbleSource, type SourceOptions } from "./source.js";

/** A Last.fm `{"#text": ...}` object, an extended `{"name": ...}` one, or a plain string (tools' arrays). */
const textOf = (field: string): string =>
  `coalesce(${field} ->> '$."#text"', ${field} ->> '$.name', CASE WHEN json_type(${field}) = 'VARCHAR' THEN ${field} ->> '$' END)`;

/**
 * Saved Last.fm (or Libre.fm) `user.getRecentTracks` pages, `format=json`: `{"recenttracks":
 * {"track": [...], "@attr": {"user", "page", "totalPages", ...}}}`, one or several; also the
 * `{"recentTracks": [...]}` arrays backup tools save. A track has `artist` as `{"#text", "mbid"}`
 * (`{"name", ...}` with extended=1), `name`, `album.#text` and `date.uts` (Unix seconds); the
 * "now playing" entry (`@attr.nowplaying`, no date) is not a scrobble and is skipped. The listener
 * is the page's `@attr.user` when it has one (see ScrobbleSource.listeners). This is how
 * `musicrec sync lastfm` / `librefm` store their pages. The track's `mbid` and the artist's are its
 * MusicBrainz recording and artist ids ("" when Last.fm does not know them).
 */
export function lastfmApiSource(options: SourceOptions): ScrobbleSource {
  const records = envelopeRecordsSql(options.path, ["$.recenttracks.track", "$.recentTracks"], { page_user: '$.recenttracks."@attr".user' });
  const fields = jsonFieldsSql(records, { artist: "$.artist", track: "$.name", album: "$.album", date: "$.date", timestamp: "$.timestamp", attr: '$."@attr"', mbid: "$.mbid" });
  const time = `coalesce(date ->> '$.uts', ${textOf("date")}, timestamp ->> '$')`;
  return {
    select: `SELECT page_user AS user_name, ${textOf("artist")} AS artist, track ->> '$' AS track, ${textOf("album")} AS album,
      ${flexibleTimestampSql(time)} AS played_at, ${time} AS time_text,
      CASE WHEN (attr ->> '$.nowplaying') = 'true' THEN 'now playing (not scrobbled yet)' END AS skip,
      NULL AS invalid, mbid ->> '$' AS recording_mbid, artist ->> '$.mbid' AS artist_mbid
      FROM (${fields})`,
    rejectsTable: null,
    headerLines: 0,
    listeners: "optional",
  };
}

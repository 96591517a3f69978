import { UserError } from "../../util/errors.js";
import { sqlString } from "../../store/sql.js";
import { readCsvSql, readFirstLine, splitDelimitedLine } from "../csv.js";
import { flexibleTimestampSql, listenerOf, type ScrobbleSource, type SourceOptions } from "./source.js";

/** Where the fields of a one-person scrobble export are (column indices). */
export interface LastfmExportLayout {
  header: boolean;
  columnCount: number;
  artist: number;
  album: number | null;
  track: number;
  /** One time column (Unix seconds or a date-time text), or a date column plus a time column. */
  time: number | { date: number; time: number };
}

const ARTIST = ["artist", "artist_name", "artist name", "artistname", "artist.name", "artist_text"];
const ALBUM = ["album", "album_name", "album name", "albumname", "album.name", "album_text", "release"];
const TRACK = ["track", "title", "track_name", "track name", "trackname", "track.name", "name", "song"];
const TIME = ["uts", "timestamp", "date_uts", "unix_timestamp", "datetime", "date_time", "utc_time", "played_at", "scrobble_time", "date"];
const HEADERLESS_DATE = /^(\d{9,14}|\d{1,2} \w{3} \d{4},? \d{1,2}:\d{2}(:\d{2})?|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?Z?)$/;

/**
 * Recognises the CSV layouts of common Last.fm exporters from the first line: a header naming
 * artist / album / track (or title) / a time column (uts, timestamp, date, datetime, or date + time),
 * with optional MusicBrainz id columns and an unnamed R-style index column; or the headerless
 * 4-column `artist,album,track,date` form. Null when the line fits neither.
 */
export function lastfmExportLayout(firstLine: string): LastfmExportLayout | null {
  const raw = splitDelimitedLine(firstLine, ",");
  const names = raw.map((name) => name.trim().toLowerCase());
  const find = (candidates: string[]) => {
    for (const candidate of candidates) {
      const index = names.indexOf(candidate);
      if (index >= 0) return index;
    }
    return -1;
  };
  const artist = find(ARTIST);
  const track = find(TRACK);
  if (artist >= 0 && track >= 0) {
    const album = find(ALBUM);
    const date = names.indexOf("date");
    const time = names.indexOf("time");
    const single = find(TIME);
    const when = date >= 0 && time >= 0 ? { date, time } : single >= 0 ? single : time;
    if (when === -1) return { header: true, columnCount: names.length, artist, album: album >= 0 ? album : null, track, time: -1 };
    return { header: true, columnCount: names.length, artist, album: album >= 0 ? album : null, track, time: when };
  }
  if (raw.length === 4 && HEADERLESS_DATE.test(raw[3].trim())) {
    return { header: false, columnCount: 4, artist: 0, album: 1, track: 2, time: 3 };
  }
  return null;
}

export function lastfmExportSource(options: SourceOptions): ScrobbleSource {
  const layout = lastfmExportLayout(readFirstLine(options.path));
  if (layout == null) {
    throw new UserError(
      `${options.path}: not a Last.fm export: expected a header naming artist, track (or title) and a time column, or 4 columns artist,album,track,date`,
    );
  }
  if (layout.time === -1) {
    throw new UserError(`${options.path}: missing required time column (uts, timestamp, date, datetime, or date + time)`);
  }
  const reader = readCsvSql({
    path: options.path,
    columns: Array.from({ length: layout.columnCount }, (_, index) => [`c${index}`, "VARCHAR"]),
    delimiter: ",",
    quote: '"',
    header: layout.header,
    rejectsTable: options.rejectsTable,
  });
  const timeText = typeof layout.time === "number" ? `c${layout.time}` : `concat_ws(' ', c${layout.time.date}, c${layout.time.time})`;
  return {
    select: `SELECT ${sqlString(listenerOf(options))} AS user_name, c${layout.artist} AS artist, c${layout.track} AS track,
      ${layout.album == null ? "NULL::VARCHAR" : `c${layout.album}`} AS album,
      ${flexibleTimestampSql(timeText)} AS played_at, ${timeText} AS time_text, NULL AS skip, NULL AS invalid
      FROM ${reader}`,
    rejectsTable: options.rejectsTable,
    headerLines: layout.header ? 1 : 0,
  };
}

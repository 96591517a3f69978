import { UserError } from "../../util/errors.js";
import { delimitedHead, readCsvSql, readHead, splitDelimitedLine, type DelimitedHead } from "../csv.js";
import { flexibleTimestampSql, type ScrobbleSource, type SourceOptions } from "./source.js";

/** Where the fields of a delimited scrobble file are (column indices). */
export interface DelimitedLayout {
  header: boolean;
  /** Comment lines before the header / first record (Libre.fm's `#` lines). */
  commentLines: number;
  delimiter: DelimitedHead["delimiter"];
  columnCount: number;
  /** A column naming the listener (multi-user files such as the Kaggle dataset), else null. */
  user: number | null;
  artist: number;
  album: number | null;
  track: number;
  /** One time column (Unix seconds or a date-time text), a date column plus a time column, or -1 when none. */
  time: number | { date: number; time: number };
  /** MusicBrainz id columns (e.g. `track_mbid`, `artist_mbid` of Last.fm export tools), else null. */
  recordingMbid: number | null;
  artistMbid: number | null;
}

/**
 * Header names by meaning, compared after lowercasing and dropping everything but letters and
 * digits ("song_title", "Song Title" and "songTitle" are all `songtitle`). Earlier names win.
 */
const MEANINGS = {
  user: ["username", "user", "userid", "listener", "account"],
  artist: ["artist", "artistname", "artisttext", "trackartist", "creator", "performer", "albumartist"],
  track: ["track", "title", "song", "songtitle", "songname", "trackname", "tracktitle", "tracktext", "name", "recording", "recordingname"],
  album: ["album", "albumname", "albumtitle", "albumtext", "release", "releasename"],
  // Unix times first: an export with both `uts` and `utc_time` is read from the exact one.
  time: [
    "uts", "timestamp", "dateuts", "unixtimestamp", "timestamputs", "timems", "playedat", "listenedat", "scrobbledat", "scrobbletime",
    "datetime", "datetimeutc", "utctime", "dateutc", "playtime", "when", "time", "date",
  ],
  recordingMbid: ["trackmbid", "recordingmbid", "musicbrainztrackid", "musicbrainzrecordingid", "mbid"],
  artistMbid: ["artistmbid", "musicbrainzartistid"],
} as const;

const HEADERLESS_DATE = /^(0|\d{9,14}|\d{1,2} \w{3} \d{4},? \d{1,2}:\d{2}(:\d{2})?|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?Z?)$/;

const meaningKey = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");

/**
 * Recognises a delimited scrobble file from its head: a header naming artist and track (title,
 * song, song_title, name …), optionally album, a time (uts, timestamp, date_time, utc_time, date,
 * or date + time) and a listener (username, user …) — by meaning, not by one spelling; or the
 * headerless 4-column `artist,album,track,date` form of old Last.fm exporters. Comment lines before
 * the header are skipped and the delimiter is detected. Null when the head fits neither.
 */
export function delimitedLayout(head: DelimitedHead): DelimitedLayout | null {
  const raw = splitDelimitedLine(head.firstLine, head.delimiter);
  const names = raw.map(meaningKey);
  const find = (candidates: readonly string[], except: number[] = []) => {
    for (const candidate of candidates) {
      const index = names.findIndex((name, i) => name === candidate && !except.includes(i));
      if (index >= 0) return index;
    }
    return -1;
  };
  const artist = find(MEANINGS.artist);
  const track = find(MEANINGS.track, [artist]);
  const base = { commentLines: head.commentLines, delimiter: head.delimiter, columnCount: raw.length };
  if (artist >= 0 && track >= 0) {
    const taken = [artist, track];
    const album = find(MEANINGS.album, taken);
    const user = find(MEANINGS.user, taken);
    const date = names.indexOf("date");
    const time = names.indexOf("time");
    // Kaggle-style split columns (a date and a clock time) are read together.
    const split = date >= 0 && time >= 0 && !HEADERLESS_DATE.test(splitDelimitedLine(head.secondLine, head.delimiter)[time]?.trim() ?? "");
    const when = split ? { date, time } : find(MEANINGS.time, [...taken, album, user]);
    const recordingMbid = find(MEANINGS.recordingMbid);
    const artistMbid = find(MEANINGS.artistMbid);
    return {
      header: true,
      ...base,
      user: user >= 0 ? user : null,
      artist,
      album: album >= 0 ? album : null,
      track,
      time: when,
      recordingMbid: recordingMbid >= 0 ? recordingMbid : null,
      artistMbid: artistMbid >= 0 ? artistMbid : null,
    };
  }
  if (raw.length === 4 && HEADERLESS_DATE.test(raw[3].trim())) {
    return { header: false, ...base, user: null, artist: 0, album: 1, track: 2, time: 3, recordingMbid: null, artistMbid: null };
  }
  return null;
}

/** The layout of a file's head, or a UserError saying what a scrobble CSV needs. */
export function requireDelimitedLayout(path: string): DelimitedLayout {
  const head = readHead(path);
  if (head.trim() === "") throw new UserError(`${path}: the file is empty`);
  const layout = delimitedLayout(delimitedHead(head));
  if (layout == null) {
    throw new UserError(
      `${path}: not a scrobble export: expected a header naming artist, track (or title/song) and a time column, or 4 columns artist,album,track,date`,
    );
  }
  if (layout.time === -1) {
    throw new UserError(`${path}: missing required time column (uts, timestamp, date, datetime, utc_time, or date + time)`);
  }
  return layout;
}

/**
 * Any delimited scrobble file: one person's Last.fm / Libre.fm export, or a multi-user CSV with a
 * listener column (the Kaggle dataset reads through here too). Times as `flexibleTimestampSql`.
 */
export function delimitedSource(options: SourceOptions, layout: DelimitedLayout = requireDelimitedLayout(options.path)): ScrobbleSource {
  const reader = readCsvSql({
    path: options.path,
    columns: Array.from({ length: layout.columnCount }, (_, index) => [`c${index}`, "VARCHAR"]),
    delimiter: layout.delimiter,
    quote: '"',
    header: layout.header,
    skip: layout.commentLines,
    rejectsTable: options.rejectsTable,
  });
  const split = typeof layout.time === "number" ? null : layout.time;
  // Messages quote the time as the file has it; the parser gets the date and the clock time joined.
  const timeText = split ? `concat_ws(',', c${split.date}, c${split.time})` : `c${layout.time}`;
  const parsed = split ? `concat_ws(' ', trim(c${split.date}), trim(c${split.time}))` : timeText;
  const column = (index: number | null) => (index == null ? "NULL::VARCHAR" : `c${index}`);
  return {
    select: `SELECT ${column(layout.user)} AS user_name, c${layout.artist} AS artist, c${layout.track} AS track, ${column(layout.album)} AS album,
      ${flexibleTimestampSql(parsed)} AS played_at, ${timeText} AS time_text, NULL AS skip, NULL AS invalid,
      ${column(layout.recordingMbid)} AS recording_mbid, ${column(layout.artistMbid)} AS artist_mbid
      FROM ${reader}`,
    rejectsTable: options.rejectsTable,
    headerLines: layout.commentLines + (layout.header ? 1 : 0),
    listeners: layout.user == null ? "none" : "every-row",
  };
}

/** Lastfm-export / librefm: one person's export (a listener column, if any, is honoured). */
export const lastfmExportSource = (options: SourceOptions): ScrobbleSource => delimitedSource(options);

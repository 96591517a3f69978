import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import { runWithProgress } from "../store/run-with-progress.js";
import { sqlString } from "../store/sql.js";
import { dropRejectTables, readHeadBytes } from "./csv.js";
import { isBlankSql } from "../data/item-key.js";
import type { FormatName } from "./formats.js";
import { mergeRejects, noRejects, numberProblemRows, readerRejects, describeRejects, type RejectReport } from "./rejects.js";
import { kaggleSource } from "./sources/kaggle.js";
import { lastfmApiSource } from "./sources/lastfm-api.js";
import { lastfmExportSource } from "./sources/lastfm-export.js";
import { lfm1kSource } from "./sources/lfm1k.js";
import { listenbrainzApiSource, listenbrainzSource } from "./sources/listenbrainz.js";
import { malojaSource } from "./sources/maloja.js";
import { panoscrobblerSource } from "./sources/panoscrobbler.js";
import type { ScrobbleSource, SourceOptions } from "./sources/source.js";
import { spotifySource } from "./sources/spotify.js";
import { classifyWholeFile, utf8Copy, type TextEncoding } from "./text-encoding.js";

/** Formats of one file of plays (HetRec and Last.fm-360K are play counts; the ListenBrainz export a container; feedback no plays). */
export type ScrobbleFormat = Exclude<FormatName, "hetrec" | "lfm360k" | "listenbrainz-feedback" | "listenbrainz-export">;

const SOURCES: Record<ScrobbleFormat, (options: SourceOptions) => ScrobbleSource> = {
  kaggle: kaggleSource,
  "lastfm-export": lastfmExportSource,
  lfm1k: lfm1kSource,
  listenbrainz: listenbrainzSource,
  spotify: spotifySource,
  librefm: lastfmExportSource,
  maloja: malojaSource,
  panoscrobbler: panoscrobblerSource,
  "listenbrainz-api": listenbrainzApiSource,
  "lastfm-api": lastfmApiSource,
};

/**
 * What the first read of a scrobble file leaves behind, in temp table SUMMARY_TABLE: one row per
 * distinct raw spelling (artist, track, album; `by_spelling`) and one per listener the file names
 * (`by_spelling` false), each split by skip / problem (and spellings by `mine`: the row belongs to
 * --user, `undated`, and the raw MusicBrainz ids the rows carry), with the row count `n` and the
 * last play. Bounded by the number of
 * distinct spellings, not by the file size.
 */
export const SUMMARY_TABLE = "scan_summary";
const REJECTS_TABLE = "scan_rejects";

/** A scrobble exported without a date (Unix time 0): a real play, stored without a timestamp. */
const UNDATED = "TIMESTAMP '1970-01-01 00:00:00'";

/** Below this share of usable records a file is refused as a whole: it is not what it looks like. */
const MIN_USABLE_SHARE = 0.1;

export interface ScanInput {
  path: string;
  /** --user: the listener of a single-person file, or the one listener to take from a multi-user file. */
  user?: string;
}

export interface ScannedScrobbles {
  /** Usable rows with a date (neither rejected nor skipped). */
  usable: number;
  /** Usable rows without a date (timestamp 0). */
  undated: number;
  skipped: Record<string, number>;
  rejected: RejectReport;
  /** The encoding the file was read in. */
  encoding: TextEncoding;
  /** Condition on SUMMARY_TABLE's spelling rows (`by_spelling`) selecting the usable ones. */
  usableSpellings: string;
  /**
   * SELECT over SUMMARY_TABLE: the raw MusicBrainz ids of the usable rows per raw spelling
   * (raw_artist, raw_track, raw_album, recording_mbid, artist_mbid, n), for recordItemMbids.
   */
  mbidsSql: string;
  /** SELECT name: every listener the usable rows belong to. */
  listenersSql: string;
  /** SELECT over the file again: usable dated rows (user_name, artist, track, album, played_at). */
  rowsSql: string;
  /** SELECT over the file again: usable undated rows counted (user_name, artist, track, album, plays); null when none. */
  undatedSql: string | null;
  /** Removes the decoded copy of the file, if one was made. Call when done with the SQL above. */
  release(): void;
}

/** How --user applies to a file: every named listener, all rows under one name, or one listener's rows. */
type ListenerMode = { kind: "each"; fallback: string } | { kind: "all"; name: string } | { kind: "filter"; name: string };

/**
 * The source's rows with the reason each unusable one cannot be imported (`problem`), whether it
 * is dated, and (with --user) whether it is that listener's. Values stay raw (untrimmed) here:
 * per-row string work is the cost of a 19M-row import; cleaning happens once per distinct spelling.
 */
function validatedSql(source: ScrobbleSource, user: string | undefined): string {
  const userName = source.listeners === "optional" ? `CASE WHEN ${isBlankSql("user_name")} THEN NULL ELSE user_name END` : "user_name";
  const mine = user == null ? "true" : `coalesce(user_name = ${sqlString(user)}, true)`;
  return `SELECT user_name, artist, track, album, played_at, skip, problem, coalesce(played_at = ${UNDATED}, false) AS undated, ${mine} AS mine,
      recording_mbid, artist_mbid
    FROM (SELECT ${userName} AS user_name, artist, track, nullif(album, '') AS album, played_at, skip, recording_mbid, artist_mbid,
      CASE WHEN skip IS NOT NULL THEN NULL
           WHEN invalid IS NOT NULL THEN invalid
           ${source.listeners === "every-row" ? `WHEN ${isBlankSql("user_name")} THEN 'empty user'` : ""}
           WHEN ${isBlankSql("artist")} THEN 'empty artist'
           WHEN ${isBlankSql("track")} THEN 'empty track'
           WHEN played_at IS NULL THEN 'unparseable date ' || coalesce('"' || time_text || '"', '(missing)')
      END AS problem
      FROM (${source.select}))`;
}

/** Condition selecting usable rows of the validated source (or of the summary). */
function usableSql(mode: ListenerMode): string {
  return `problem IS NULL AND skip IS NULL${mode.kind === "filter" ? " AND mine" : ""}`;
}

/**
 * First read of a scrobble file with DuckDB's native (parallel) reader: aggregates it into
 * SUMMARY_TABLE (spellings and listeners with counts) and collects the rejects with line numbers.
 * The rows themselves are not kept (a 19M-line file is read a second time by the caller instead of
 * being materialised). Only when some rows have a problem is the file read once more, in order, to
 * give the first few of them their line numbers.
 *
 * A file in another encoding than UTF-8 is read from a decoded copy (see text-encoding.ts). A file
 * with (almost) no usable record is refused: it only looks like a listening history.
 */
export async function scanScrobbles(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  input: ScanInput,
  progress: Progress,
): Promise<ScannedScrobbles> {
  const guess = readHeadBytes(input.path).guess;
  let file = await readable(input.path, guess.encoding);
  try {
    let first = await firstRead(connection, format, input, file.readPath, progress);
    if (guess.tentative && first.invalidUtf8 && (await classifyWholeFile(input.path)) === "windows-1252") {
      // The ASCII head hid a Windows-1252 file: read it again, decoded, before anything is stored.
      file.release();
      file = await readable(input.path, "windows-1252");
      first = await firstRead(connection, format, input, file.readPath, progress);
    }
    if (first.failure != null) throw new UserError(`${input.path}: cannot be read as ${format}: ${first.failure}`);
    const scanned = await summarize(connection, format, input, file, first.source, progress);
    return scanned;
  } catch (error) {
    file.release();
    throw relabel(error, file.readPath, input.path);
  }
}

interface ReadableFile {
  readPath: string;
  encoding: TextEncoding;
  release(): void;
}

async function readable(original: string, encoding: TextEncoding): Promise<ReadableFile> {
  if (encoding === "utf-8") return { readPath: original, encoding, release: () => {} };
  const copy = await utf8Copy(original, encoding);
  return { readPath: copy.path, encoding, release: copy.release };
}

/** Messages about the decoded copy name the user's file. */
function relabel(error: unknown, readPath: string, original: string): unknown {
  if (error instanceof UserError && readPath !== original && error.message.includes(readPath)) {
    return new UserError(error.message.replaceAll(readPath, original), error.status);
  }
  return error;
}

async function firstRead(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  input: ScanInput,
  readPath: string,
  progress: Progress,
): Promise<{ source: ScrobbleSource; invalidUtf8: boolean; failure: string | null }> {
  await dropRejectTables(connection, REJECTS_TABLE);
  const source = SOURCES[format]({ path: readPath, rejectsTable: REJECTS_TABLE });
  try {
    await runWithProgress(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${SUMMARY_TABLE} AS
       SELECT grouping(user_name) = 1 AS by_spelling, user_name, artist, track, album, skip, problem, mine, undated,
         recording_mbid, artist_mbid, count(*) AS n, max(played_at) AS last_played
       FROM (${validatedSql(source, input.user)})
       GROUP BY GROUPING SETS ((artist, track, album, skip, problem, mine, undated, recording_mbid, artist_mbid), (user_name, skip, problem))`,
      progress,
      `reading ${format} ${input.path}`,
    );
  } catch (error) {
    // The reader refuses the file as a whole (malformed JSON array, unreadable bytes): a structural error.
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return { source, invalidUtf8: /unicode|utf-?8|encoding/i.test(reason), failure: reason };
  }
  const invalid = source.rejectsTable
    ? Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source.rejectsTable} WHERE error_type = 'INVALID ENCODING'`)).getRows()[0][0])
    : 0;
  return { source, invalidUtf8: invalid > 0, failure: null };
}

async function summarize(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  input: ScanInput,
  file: ReadableFile,
  source: ScrobbleSource,
  progress: Progress,
): Promise<ScannedScrobbles> {
  const mode = await listenerMode(connection, input, source);
  const usable = usableSql(mode);
  const counts = await connection.runAndReadAll(
    `SELECT coalesce(sum(n) FILTER (WHERE ${usable} AND NOT undated), 0), coalesce(sum(n) FILTER (WHERE ${usable} AND undated), 0),
       coalesce(sum(n) FILTER (WHERE problem IS NOT NULL ${mode.kind === "filter" ? "AND mine" : ""}), 0), coalesce(sum(n), 0)
     FROM ${SUMMARY_TABLE} WHERE by_spelling`,
  );
  const [dated, undated, problems, records] = counts.getRows()[0].map(Number);
  const skipCounts = await connection.runAndReadAll(
    `SELECT reason, sum(n) AS n FROM (
       SELECT CASE WHEN ${mode.kind === "filter" ? "NOT mine" : "false"} THEN 'other user than --user' ELSE skip::VARCHAR END AS reason, n
       FROM ${SUMMARY_TABLE} WHERE by_spelling)
     WHERE reason IS NOT NULL GROUP BY reason ORDER BY reason`,
  );
  const skipped = Object.fromEntries(skipCounts.getRowObjects().map((row) => [String(row.reason), Number(row.n)]));
  const fromReader = source.rejectsTable ? await readerRejects(connection, source.rejectsTable) : noRejects();
  await dropRejectTables(connection, REJECTS_TABLE);
  const fromRows = problems > 0 ? await numberProblems(connection, format, input, file.readPath, mode, problems) : noRejects();
  const rejected = mergeRejects(fromReader, fromRows);
  const skippedTotal = Object.values(skipped).reduce((a, b) => a + b, 0);
  const total = records + fromReader.count;
  if (rejected.count > 0 && dated + undated + skippedTotal < total * MIN_USABLE_SHARE) {
    throw new UserError(
      `${input.path}: does not look like a ${format} file: ${rejected.count.toLocaleString("en")} of ${total.toLocaleString("en")} records could not be read ` +
        `(${describeRejects(rejected)}); nothing was imported`,
    );
  }
  // The second pass must not collect rejects again; they are counted already.
  const rowsSource = SOURCES[format]({ path: file.readPath, rejectsTable: null });
  const rows = `SELECT ${listenerSql(mode, rowsSource)} AS user_name, artist, track, nullif(album, '') AS album, played_at
    FROM (${rowsSource.select}) WHERE played_at IS NOT NULL AND skip IS NULL AND invalid IS NULL${rowFilterSql(mode, rowsSource)}`;
  return {
    usable: dated,
    undated,
    skipped,
    rejected,
    encoding: file.encoding,
    usableSpellings: usable,
    mbidsSql: `SELECT artist AS raw_artist, track AS raw_track, album AS raw_album, recording_mbid, artist_mbid, n
      FROM ${SUMMARY_TABLE} WHERE by_spelling AND ${usable} AND (recording_mbid IS NOT NULL OR artist_mbid IS NOT NULL)`,
    listenersSql:
      mode.kind === "each"
        ? `SELECT DISTINCT coalesce(user_name, ${sqlString(mode.fallback)}) AS name FROM ${SUMMARY_TABLE} WHERE NOT by_spelling AND skip IS NULL AND problem IS NULL`
        : `SELECT ${sqlString(mode.name)} AS name`,
    rowsSql: `SELECT * FROM (${rows}) WHERE played_at <> ${UNDATED}`,
    undatedSql: undated > 0 ? `SELECT user_name, artist, track, album, count(*) AS plays FROM (${rows}) WHERE played_at = ${UNDATED} GROUP BY ALL` : null,
    release: file.release,
  };
}

/**
 * --user and the listeners the file names decide whose rows these are: without --user, each
 * named listener's (unnamed rows: the file name's); with --user, a file naming at most one
 * listener is all that user's, and a multi-user file gives only that listener's rows (the others
 * are skipped); naming a listener a multi-user file does not have is an error listing them.
 */
async function listenerMode(connection: DuckDBConnection, input: ScanInput, source: ScrobbleSource): Promise<ListenerMode> {
  const fallback = path.basename(input.path).replace(/\.[^.]+$/, "");
  if (input.user == null) return { kind: "each", fallback };
  const named = `FROM ${SUMMARY_TABLE} WHERE NOT by_spelling AND user_name IS NOT NULL AND skip IS NULL AND problem IS NULL`;
  const result = await connection.runAndReadAll(
    `SELECT count(DISTINCT user_name), bool_or(user_name = ${sqlString(input.user)}), list(DISTINCT user_name ORDER BY user_name)[1:6] ${named}`,
  );
  const [countValue, hasUser, sample] = result.getRows()[0];
  const count = Number(countValue);
  if (count <= 1) return { kind: "all", name: input.user };
  if (hasUser === true) return { kind: "filter", name: input.user };
  const names = ((sample as { items: unknown[] }).items ?? []).map(String);
  throw new UserError(
    `${input.path}: --user ${input.user} is not one of its ${count.toLocaleString("en")} listeners (${names.slice(0, 5).join(", ")}${count > 5 ? ", …" : ""}); ` +
      `pick one of them${source.listeners === "every-row" ? "" : " or import the file without --user"}`,
    422,
  );
}

/** The listener of a row in the second read. */
function listenerSql(mode: ListenerMode, source: ScrobbleSource): string {
  if (mode.kind !== "each") return sqlString(mode.name);
  return source.listeners === "every-row" ? "user_name" : `CASE WHEN ${isBlankSql("user_name")} THEN ${sqlString(mode.fallback)} ELSE user_name END`;
}

/** Extra WHERE of the second read: the --user listener's rows only, never a row with a blank listener of a multi-user file. */
function rowFilterSql(mode: ListenerMode, source: ScrobbleSource): string {
  if (mode.kind === "each") return "";
  const blankIsBad = source.listeners === "every-row";
  if (mode.kind === "all") return blankIsBad ? ` AND NOT ${isBlankSql("user_name")}` : "";
  const own = `user_name = ${sqlString(mode.name)}`;
  return blankIsBad ? ` AND ${own}` : ` AND (${own} OR ${isBlankSql("user_name")})`;
}

/** Reads the file in order to find the line numbers of its first few problem rows. */
function numberProblems(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  input: ScanInput,
  readPath: string,
  mode: ListenerMode,
  problems: number,
): Promise<RejectReport> {
  return numberProblemRows(connection, `${REJECTS_TABLE}_numbering`, problems, (rejectsTable) => {
    const numbering = SOURCES[format]({ path: readPath, rejectsTable });
    const validated = validatedSql(numbering, input.user);
    return {
      // Rows of other listeners than --user are counted (line numbers) but not reported.
      validatedSql: mode.kind === "filter" ? `SELECT CASE WHEN mine THEN problem END AS problem FROM (${validated})` : validated,
      headerLines: numbering.headerLines,
      rejectsTable: numbering.rejectsTable,
    };
  });
}

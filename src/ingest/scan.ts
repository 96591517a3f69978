import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import { runWithProgress } from "../store/run-with-progress.js";
import { dropRejectTables } from "./csv.js";
import { isBlankSql } from "../data/item-key.js";
import type { FormatName } from "./formats.js";
import { mergeRejects, noRejects, readerRejects, rowProblems, type RejectReport } from "./rejects.js";
import { kaggleSource } from "./sources/kaggle.js";
import { lastfmExportSource } from "./sources/lastfm-export.js";
import { lfm1kSource } from "./sources/lfm1k.js";
import { listenbrainzSource } from "./sources/listenbrainz.js";
import type { ScrobbleSource, SourceOptions } from "./sources/source.js";
import { spotifySource } from "./sources/spotify.js";

export type ScrobbleFormat = Exclude<FormatName, "hetrec">;

const SOURCES: Record<ScrobbleFormat, (options: SourceOptions) => ScrobbleSource> = {
  kaggle: kaggleSource,
  "lastfm-export": lastfmExportSource,
  lfm1k: lfm1kSource,
  listenbrainz: listenbrainzSource,
  spotify: spotifySource,
};

/**
 * What the first read of a scrobble file leaves behind, in temp table SUMMARY_TABLE: one row per
 * distinct raw spelling (artist, track, album; `by_spelling`) and one per user (`by_spelling`
 * false), each split by skip / problem, with the row count `n` and the last play. Bounded by the
 * number of distinct spellings, not by the file size.
 */
export const SUMMARY_TABLE = "scan_summary";
const REJECTS_TABLE = "scan_rejects";

/** Condition selecting usable rows (of the validated source or the summary; optionally of an alias). */
export const usableSql = (alias?: string): string =>
  alias ? `${alias}.problem IS NULL AND ${alias}.skip IS NULL` : "problem IS NULL AND skip IS NULL";

export interface ScannedScrobbles {
  /** Usable rows (neither rejected nor skipped). */
  usable: number;
  skipped: Record<string, number>;
  rejected: RejectReport;
  /**
   * SELECT over the file again for the second, streaming pass: the rows with a timestamp that are
   * neither skipped nor invalid (user_name, artist, track, album, played_at). Rows with an empty
   * user / artist / track are not filtered here: they find no user or spelling to join to.
   */
  rowsSql: string;
}

/**
 * The source's rows with the reason each unusable one cannot be imported (`problem`). Values stay
 * raw (untrimmed) here: per-row string work is the cost of a 19M-row import; cleaning happens
 * once per distinct spelling.
 */
function validatedSql(source: ScrobbleSource): string {
  return `SELECT user_name, artist, track, nullif(album, '') AS album, played_at, skip,
    CASE WHEN skip IS NOT NULL THEN NULL
         WHEN invalid IS NOT NULL THEN invalid
         WHEN ${isBlankSql("user_name")} THEN 'empty user'
         WHEN ${isBlankSql("artist")} THEN 'empty artist'
         WHEN ${isBlankSql("track")} THEN 'empty track'
         WHEN played_at IS NULL THEN 'unparseable date ' || coalesce('"' || time_text || '"', '(missing)')
    END AS problem
    FROM (${source.select})`;
}

/**
 * First read of a scrobble file with DuckDB's native (parallel) reader: aggregates it into
 * SUMMARY_TABLE (spellings and users with counts) and collects the rejects with line numbers. The
 * rows themselves are not kept (a 19M-line file is read a second time by the caller instead of being
 * materialised). Only when some rows have a problem is the file read once more, in order, to give
 * the first few of them their line numbers.
 */
export async function scanScrobbles(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  path: string,
  user: string | undefined,
  progress: Progress,
): Promise<ScannedScrobbles> {
  await dropRejectTables(connection, REJECTS_TABLE);
  const source = SOURCES[format]({ path, user, rejectsTable: REJECTS_TABLE });
  try {
    await runWithProgress(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${SUMMARY_TABLE} AS
       SELECT grouping(user_name) = 1 AS by_spelling, user_name, artist, track, album, skip, problem,
         count(*) AS n, max(played_at) AS last_played
       FROM (${validatedSql(source)})
       GROUP BY GROUPING SETS ((artist, track, album, skip, problem), (user_name, skip, problem))`,
      progress,
      `reading ${format} ${path}`,
    );
  } catch (error) {
    // The reader refuses the file as a whole (malformed JSON array, unreadable bytes): a structural error.
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(`${path}: cannot be read as ${format}: ${reason}`);
  }
  const counts = await connection.runAndReadAll(
    `SELECT coalesce(sum(n) FILTER (WHERE ${usableSql()}), 0), coalesce(sum(n) FILTER (WHERE problem IS NOT NULL), 0)
     FROM ${SUMMARY_TABLE} WHERE by_spelling`,
  );
  const [usable, problems] = counts.getRows()[0].map(Number);
  const skipCounts = await connection.runAndReadAll(
    `SELECT skip, sum(n) AS n FROM ${SUMMARY_TABLE} WHERE by_spelling AND skip IS NOT NULL GROUP BY skip ORDER BY skip`,
  );
  const skipped = Object.fromEntries(skipCounts.getRowObjects().map((row) => [String(row.skip), Number(row.n)]));
  const fromReader = source.rejectsTable ? await readerRejects(connection, source.rejectsTable) : noRejects();
  await dropRejectTables(connection, REJECTS_TABLE);
  const fromRows = problems > 0 ? await numberProblems(connection, format, path, user, problems) : noRejects();
  // The second pass must not collect rejects again; they are counted already.
  const rowsSource = SOURCES[format]({ path, user, rejectsTable: null });
  const rowsSql = `SELECT user_name, artist, track, nullif(album, '') AS album, played_at
    FROM (${rowsSource.select}) WHERE played_at IS NOT NULL AND skip IS NULL AND invalid IS NULL`;
  return { usable, skipped, rejected: mergeRejects(fromReader, fromRows), rowsSql };
}

/** Reads the file in order to find the line numbers of its first few problem rows. */
async function numberProblems(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  path: string,
  user: string | undefined,
  problems: number,
): Promise<RejectReport> {
  const rejectsTable = `${REJECTS_TABLE}_numbering`;
  const numbering = SOURCES[format]({ path, user, rejectsTable });
  await dropRejectTables(connection, rejectsTable);
  const preserving = (await connection.runAndReadAll("SELECT current_setting('preserve_insertion_order')")).getRows()[0][0];
  await connection.run("SET preserve_insertion_order = true");
  await connection.run(
    `CREATE OR REPLACE TEMP TABLE numbered_problems AS
     SELECT k, problem FROM (SELECT row_number() OVER () AS k, problem FROM (${validatedSql(numbering)})) WHERE problem IS NOT NULL`,
  );
  await connection.run(`SET preserve_insertion_order = ${preserving === true}`);
  const report = await rowProblems(connection, "SELECT * FROM numbered_problems", problems, numbering.headerLines, numbering.rejectsTable);
  await connection.run("DROP TABLE numbered_problems");
  await dropRejectTables(connection, rejectsTable);
  return report;
}

import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../cli/progress.js";
import { UserError } from "../errors.js";
import { runWithProgress } from "../store/run-with-progress.js";
import { dropRejectTables } from "./csv.js";
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

/** The staged scrobbles: temp table STAGED_TABLE (user_name, artist, track, album, played_at, skip, problem). */
export const STAGED_TABLE = "staged";
const REJECTS_TABLE = "staged_rejects";

/** Condition selecting usable staged rows (optionally of a table alias). */
export const usableSql = (alias?: string): string =>
  alias ? `${alias}.problem IS NULL AND ${alias}.skip IS NULL` : "problem IS NULL AND skip IS NULL";

export interface StagedScrobbles {
  /** Usable rows (neither rejected nor skipped). */
  usable: number;
  skipped: Record<string, number>;
  rejected: RejectReport;
}

/** SQL: true when a text column is missing, empty or blank (the trim only runs on values starting with a blank). */
const blankSql = (column: string) => `(${column} IS NULL OR ${column} = '' OR (ascii(${column}) IN (9, 32) AND trim(${column}, ' 	') = ''))`;

/**
 * The source's rows with the reason each unusable one cannot be imported (`problem`). Values stay
 * raw (untrimmed) here: per-row string work is the cost of a 19M-row import; cleaning happens
 * once per distinct spelling.
 */
function validatedSql(source: ScrobbleSource): string {
  return `SELECT user_name, artist, track, nullif(album, '') AS album, played_at, skip,
    CASE WHEN skip IS NOT NULL THEN NULL
         WHEN invalid IS NOT NULL THEN invalid
         WHEN ${blankSql("user_name")} THEN 'empty user'
         WHEN ${blankSql("artist")} THEN 'empty artist'
         WHEN ${blankSql("track")} THEN 'empty track'
         WHEN played_at IS NULL THEN 'unparseable date ' || coalesce('"' || time_text || '"', '(missing)')
    END AS problem
    FROM (${source.select})`;
}

/**
 * Reads one scrobble file with DuckDB's native (parallel) reader into the temp table `staged`,
 * marking unusable rows with the reason, and collects the rejects with line numbers. The bulk read
 * need not keep file order (importPaths turns preserve_insertion_order off: faster, less memory);
 * only when some rows have a problem is the file read a second time, in order, to number them.
 */
export async function stageScrobbles(
  connection: DuckDBConnection,
  format: ScrobbleFormat,
  path: string,
  user: string | undefined,
  progress: Progress,
): Promise<StagedScrobbles> {
  await dropRejectTables(connection, REJECTS_TABLE);
  const source = SOURCES[format]({ path, user, rejectsTable: REJECTS_TABLE });
  const validated = validatedSql(source);
  try {
    await runWithProgress(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${STAGED_TABLE} AS ${validated}`,
      progress,
      `reading ${format} ${path}`,
    );
  } catch (error) {
    // The reader refuses the file as a whole (malformed JSON array, unreadable bytes): a structural error.
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(`${path}: cannot be read as ${format}: ${reason}`);
  }
  const counts = await connection.runAndReadAll(
    `SELECT count(*) FILTER (WHERE ${usableSql()}), count(*) FILTER (WHERE problem IS NOT NULL) FROM ${STAGED_TABLE}`,
  );
  const [usable, problems] = counts.getRows()[0].map(Number);
  const skipCounts = await connection.runAndReadAll(
    `SELECT skip, count(*) AS n FROM ${STAGED_TABLE} WHERE skip IS NOT NULL GROUP BY skip ORDER BY skip`,
  );
  const skipped = Object.fromEntries(skipCounts.getRowObjects().map((row) => [String(row.skip), Number(row.n)]));
  const fromReader = source.rejectsTable ? await readerRejects(connection, source.rejectsTable) : noRejects();
  let fromRows = noRejects();
  if (problems > 0) {
    // The second, ordered read writes its own rejects; number rows against those.
    const numbering = SOURCES[format]({ path, user, rejectsTable: `${REJECTS_TABLE}_numbering` });
    await dropRejectTables(connection, `${REJECTS_TABLE}_numbering`);
    const { preserving } = (await connection.runAndReadAll("SELECT current_setting('preserve_insertion_order') AS preserving")).getRowObjects()[0];
    await connection.run("SET preserve_insertion_order = true");
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE numbered_problems AS
       SELECT k, problem FROM (SELECT row_number() OVER () AS k, problem FROM (${validatedSql(numbering)})) WHERE problem IS NOT NULL`,
    );
    await connection.run(`SET preserve_insertion_order = ${preserving === true}`);
    fromRows = await rowProblems(connection, "SELECT * FROM numbered_problems", problems, source.headerLines, numbering.rejectsTable);
    await connection.run("DROP TABLE numbered_problems");
    await dropRejectTables(connection, `${REJECTS_TABLE}_numbering`);
  }
  await dropRejectTables(connection, REJECTS_TABLE);
  return { usable, skipped, rejected: mergeRejects(fromReader, fromRows) };
}

import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../cli/progress.js";
import { runWithProgress } from "../store/run-with-progress.js";
import { dropRejectTables } from "./csv.js";
import type { FormatName } from "./formats.js";
import { mergeRejects, readerRejects, rowProblems, type RejectReport } from "./rejects.js";
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

/** The staged scrobbles, in temp table STAGED_TABLE; usable rows have problem and skip NULL. */
export const STAGED_TABLE = "staged";
/** Condition selecting usable staged rows (optionally of a table alias). */
export const usableSql = (alias?: string): string => (alias ? `${alias}.problem IS NULL AND ${alias}.skip IS NULL` : "problem IS NULL AND skip IS NULL");
const REJECTS_TABLE = "staged_rejects";

export interface StagedScrobbles {
  /** Usable rows (neither rejected nor skipped). */
  usable: number;
  skipped: Record<string, number>;
  rejected: RejectReport;
}

/**
 * Reads one scrobble file with DuckDB's native reader into the temp table `staged`
 * (k, user_name, artist, track, album, played_at, skip, problem), marking unusable rows with the
 * reason, and collects the reader's and the rows' rejects with line numbers.
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
  await runWithProgress(
    connection,
    `CREATE OR REPLACE TEMP TABLE ${STAGED_TABLE} AS
     SELECT k, user_name, trim(artist) AS artist, trim(track) AS track, nullif(trim(album), '') AS album, played_at, skip,
       CASE WHEN skip IS NOT NULL THEN NULL
            WHEN invalid IS NOT NULL THEN invalid
            WHEN coalesce(trim(user_name), '') = '' THEN 'empty user'
            WHEN coalesce(trim(artist), '') = '' THEN 'empty artist'
            WHEN coalesce(trim(track), '') = '' THEN 'empty track'
            WHEN played_at IS NULL THEN 'unparseable date ' || coalesce('"' || time_text || '"', '(missing)')
       END AS problem
     FROM (SELECT row_number() OVER () AS k, * FROM (${source.select}))`,
    progress,
    `reading ${format} ${path}`,
  );
  const usableCount = await connection.runAndReadAll(`SELECT count(*) FROM ${STAGED_TABLE} WHERE ${usableSql()}`);
  const skipCounts = await connection.runAndReadAll(
    `SELECT skip, count(*) AS n FROM ${STAGED_TABLE} WHERE skip IS NOT NULL GROUP BY skip ORDER BY skip`,
  );
  const skipped = Object.fromEntries(skipCounts.getRowObjects().map((row) => [String(row.skip), Number(row.n)]));
  const fromReader = source.rejectsTable ? await readerRejects(connection, source.rejectsTable) : { count: 0, examples: [] };
  const fromRows = await rowProblems(connection, STAGED_TABLE, source.headerLines, source.rejectsTable);
  await dropRejectTables(connection, REJECTS_TABLE);
  return { usable: Number(usableCount.getRows()[0][0]), skipped, rejected: mergeRejects(fromReader, fromRows) };
}

import { UserError } from "../util/errors.js";
import { isBlankSql, normalizeNameSql } from "../data/item-key.js";
import { addEvents, addItems, addUsers } from "../store/catalog-writer.js";
import { runWithProgress } from "../store/run-with-progress.js";
import { dropRejectTables, readCsvSql } from "./csv.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { mergeRejects, noRejects, numberProblemRows, readerRejects } from "./rejects.js";
import { sqlString } from "../store/sql.js";
import { recordItemMbids } from "./item-mbids.js";

/**
 * The Last.fm-360K dataset (Òscar Celma): `usersha1-artmbid-artname-plays.tsv`, one line per user
 * and artist, `user sha1 \t artist MBID \t artist name \t plays`, no header, no quoting (its
 * README: 17,559,530 lines, 359,347 users). Play counts of each user's top artists, so like HetRec
 * the items are artists and the events have no timestamp (`plays` = the count); unlike HetRec the
 * file is big (1.6 GB), so it is read like the scrobble files: two streaming reads by DuckDB, the
 * first aggregating it to its distinct artist spellings and users, the second inserting the events.
 *
 * Artists are identified by their normalised name, as in every other format (so the set mixes with
 * scrobbles of the same artists); the MBID column is recorded in item_mbids (item-mbids.ts). Rows that normalise to the same
 * (user, artist) are one event (see addEvents' collapseCandidates).
 */
/** Four tab-separated fields, a 40-hex user (the SHA-1 of an e-mail address) and a numeric count. */
export function isLfm360kLine(line: string): boolean {
  const fields = line.split("\t");
  return fields.length === 4 && /^[0-9a-f]{40}$/.test(fields[0]) && /^\d+$/.test(fields[3].trim());
}

const REJECTS_TABLE = "lfm360k_rejects";
const SUMMARY_TABLE = "lfm360k_summary";
const SPELL_TABLE = "lfm360k_spellings";

function readerSql(path: string, rejectsTable: string | null): string {
  return readCsvSql({
    path,
    columns: [
      ["user_name", "VARCHAR"],
      ["artist_mbid", "VARCHAR"],
      ["artist", "VARCHAR"],
      ["plays", "BIGINT"],
    ],
    delimiter: "\t",
    quote: "",
    header: false,
    rejectsTable,
  });
}

/** Every record with why it cannot be imported (`problem`) or why it is left out (`skip`: another listener than --user). */
function validatedSql(path: string, user: string | undefined, rejectsTable: string | null): string {
  const skip = user == null ? "NULL" : `CASE WHEN user_name IS DISTINCT FROM ${sqlString(user)} THEN 'other user than --user' END`;
  return `SELECT user_name, artist, artist_mbid, plays, skip,
    CASE WHEN skip IS NOT NULL THEN NULL
         WHEN ${isBlankSql("user_name")} THEN 'empty user'
         WHEN ${isBlankSql("artist")} THEN 'empty artist'
         WHEN plays IS NULL OR plays <= 0 THEN 'play count must be positive' END AS problem
    FROM (SELECT *, ${skip} AS skip FROM ${readerSql(path, rejectsTable)})`;
}

export async function importLfm360k(context: ImportContext): Promise<FileImport> {
  const { connection, path, progress, user } = context;
  await dropRejectTables(connection, REJECTS_TABLE);
  try {
    await runWithProgress(
      connection,
      `CREATE OR REPLACE TEMP TABLE ${SUMMARY_TABLE} AS
       SELECT grouping(user_name) = 1 AS by_artist, user_name, artist, artist_mbid, skip, problem, count(*) AS n
       FROM (${validatedSql(path, user, REJECTS_TABLE)})
       GROUP BY GROUPING SETS ((artist, artist_mbid, skip, problem), (user_name, skip, problem))`,
      progress,
      `reading lfm360k ${path}`,
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new UserError(`${path}: cannot be read as lfm360k: ${reason}`);
  }
  const counts = await connection.runAndReadAll(
    `SELECT coalesce(sum(n) FILTER (WHERE problem IS NULL AND skip IS NULL), 0), coalesce(sum(n) FILTER (WHERE problem IS NOT NULL), 0),
       coalesce(sum(n) FILTER (WHERE skip IS NOT NULL), 0)
     FROM ${SUMMARY_TABLE} WHERE by_artist`,
  );
  const [usable, problems, skippedRows] = counts.getRows()[0].map(Number);
  progress.done(`${usable.toLocaleString("en")} usable rows`);
  if (user != null && usable + problems === 0 && skippedRows > 0) {
    throw new UserError(`${path}: --user ${user} is not one of its listeners (users are named by a 40-hex SHA-1); import the file without --user`, 422);
  }
  const fromReader = await readerRejects(connection, REJECTS_TABLE);
  await dropRejectTables(connection, REJECTS_TABLE);
  const fromRows =
    problems > 0
      ? await numberProblemRows(connection, `${REJECTS_TABLE}_numbering`, problems, (rejectsTable) => ({
          validatedSql: validatedSql(path, user, rejectsTable),
          headerLines: 0,
          rejectsTable,
        }))
      : noRejects();

  await connection.run(`
    CREATE OR REPLACE TEMP TABLE ${SPELL_TABLE} AS
    SELECT row_number() OVER () AS spell_id, raw_artist, NULL::VARCHAR AS raw_track, NULL::VARCHAR AS raw_album,
      trim(raw_artist) AS artist, NULL::VARCHAR AS track, NULL::VARCHAR AS album,
      artist_key, artist_key AS item_key, NULL::INTEGER AS item_id, seen
    FROM (SELECT artist AS raw_artist, ${normalizeNameSql("artist")} AS artist_key, sum(n) AS seen
          FROM ${SUMMARY_TABLE} WHERE by_artist AND problem IS NULL AND skip IS NULL GROUP BY artist)`);
  const usersSql = `SELECT user_name AS name FROM ${SUMMARY_TABLE} WHERE NOT by_artist AND problem IS NULL AND skip IS NULL`;
  await addUsers(connection, usersSql);
  await addItems(connection, SPELL_TABLE);
  const mbids = await recordItemMbids(
    connection,
    `SELECT artist AS raw_artist, NULL::VARCHAR AS raw_track, NULL::VARCHAR AS raw_album, NULL::VARCHAR AS recording_mbid, artist_mbid, n
     FROM ${SUMMARY_TABLE} WHERE by_artist AND problem IS NULL AND skip IS NULL AND artist_mbid IS NOT NULL`,
    SPELL_TABLE,
  );
  // As for scrobble files: the file is the probe side of both joins.
  await connection.run("SET disabled_optimizers = 'join_order,build_side_probe_side'");
  const events = await addEvents(
    connection,
    {
      sql: `SELECT u.user_id, sp.item_id, NULL::TIMESTAMP AS played_at, CAST(r.plays AS DOUBLE) AS plays, sp.spell_id
            FROM (SELECT user_name, artist, plays FROM (${validatedSql(path, user, null)}) WHERE problem IS NULL AND skip IS NULL) r
            JOIN users u ON u.name = r.user_name
            JOIN ${SPELL_TABLE} sp ON sp.raw_artist = r.artist`,
      count: usable,
      userNamesSql: usersSql,
      collapseCandidates: true,
    },
    SPELL_TABLE,
    context.importId,
    progress,
  );
  await connection.run("RESET disabled_optimizers");
  const distinct = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM (${usersSql})), (SELECT count(DISTINCT item_id) FROM ${SPELL_TABLE})`,
  );
  const [users, items] = distinct.getRows()[0].map(Number);
  await connection.run(`DROP TABLE ${SUMMARY_TABLE}; DROP TABLE ${SPELL_TABLE}`);
  progress.done(`${events.added.toLocaleString("en")} user–artist play counts, ${events.duplicates.toLocaleString("en")} duplicates (stored before, or one user and artist twice)`);
  return {
    source: path,
    format: "lfm360k",
    imported: events.added,
    duplicates: events.duplicates,
    skipped: skippedRows > 0 ? { "other user than --user": skippedRows } : {},
    rejected: mergeRejects(fromReader, fromRows),
    users,
    items,
    ...((mbids.items > 0 || mbids.malformed > 0) && { mbids }),
  };
}

/**
 * ListenBrainz recording feedback (the export's `feedback.jsonl`: one `{"recording_msid",
 * "recording_mbid", "score", "created"}` per line; score 1 = loved, -1 = hated) into the store's
 * `feedback` table (schema.ts), with source 'listenbrainz' and target 'track'.
 *
 * Feedback names recordings by id only; the artist and title come from the same export's listens
 * (matched by msid, else by MusicBrainz recording id), which give the item key and artist key. A
 * recording none of the listens names is stored with its ids alone. Re-importing adds nothing: a row
 * identical in listener, score, ids and time is already there (it only gains keys it lacked).
 */
import path from "node:path";
import { addUsers } from "../store/catalog-writer.js";
import { sqlString } from "../store/sql.js";
import { UserError } from "../util/errors.js";
import { itemKeySql, normalizeNameSql } from "../data/item-key.js";
import { dropRejectTables } from "./csv.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { mergeRejects, noRejects, readerRejects, rowProblems } from "./rejects.js";
import { JSON_LINE_STATUS, jsonRecordsSql, jsonTimestampSql } from "./sources/json-records.js";

const REJECTS = "feedback_rejects";

export async function importListenbrainzFeedback(context: ImportContext, listens: readonly string[] = []): Promise<FileImport> {
  const { connection, path: file } = context;
  if (context.user == null) {
    throw new UserError(`${file}: ListenBrainz feedback names no listener: import the whole export (zip or folder), or give --user NAME`);
  }
  await dropRejectTables(connection, REJECTS);
  const records = jsonRecordsSql(file, REJECTS);
  const preserving = (await connection.runAndReadAll("SELECT current_setting('preserve_insertion_order')")).getRows()[0][0];
  await connection.run("SET preserve_insertion_order = true");
  try {
    await connection.run(`
      CREATE OR REPLACE TEMP TABLE feedback_rows AS
      SELECT k, score, msid, mbid, created_at,
        CASE WHEN blank THEN 'blank line' WHEN j IS NOT NULL AND score = 0 THEN 'feedback removed (score 0)' END AS skip,
        CASE WHEN j IS NULL AND NOT blank THEN 'invalid JSON'
             WHEN blank OR score = 0 THEN NULL
             WHEN score IS NULL OR score NOT IN (-1, 1) THEN 'score must be 1 (loved) or -1 (hated), got ' || coalesce(j ->> '$.score', '(missing)')
             WHEN msid IS NULL AND mbid IS NULL THEN 'no recording_msid or recording_mbid'
        END AS problem
      FROM (
        SELECT row_number() OVER () AS k, j, blank, TRY_CAST(j ->> '$.score' AS INTEGER) AS score,
          nullif(trim(j ->> '$.recording_msid'), '') AS msid, nullif(trim(j ->> '$.recording_mbid'), '') AS mbid,
          ${jsonTimestampSql("(j -> '$.created')")} AS created_at,
          ${JSON_LINE_STATUS.invalid} AS invalid
        FROM (${records.sql}))`);
  } catch (error) {
    throw new UserError(`${file}: cannot be read as listenbrainz-feedback: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  } finally {
    await connection.run(`SET preserve_insertion_order = ${preserving === true}`);
  }
  await recordingNames(connection, listens);
  await addUsers(connection, `SELECT ${sqlString(context.user)} AS name`);
  const userId = `(SELECT user_id FROM users WHERE name = ${sqlString(context.user)})`;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE feedback_candidates AS
    SELECT DISTINCT score, msid, mbid, created_at,
      CASE WHEN artist IS NOT NULL THEN ${itemKeySql("artist", "track")} END AS item_key,
      CASE WHEN artist IS NOT NULL THEN ${normalizeNameSql("artist")} END AS artist_key
    FROM (
      SELECT f.score::SMALLINT AS score, f.msid, f.mbid, f.created_at, f.problem, f.skip,
        CASE WHEN by_msid.id IS NOT NULL THEN by_msid.artist ELSE by_mbid.artist END AS artist,
        CASE WHEN by_msid.id IS NOT NULL THEN by_msid.track ELSE by_mbid.track END AS track
      FROM feedback_rows f
      LEFT JOIN recording_names by_msid ON by_msid.id = 'msid:' || f.msid
      LEFT JOIN recording_names by_mbid ON by_mbid.id = 'mbid:' || f.mbid) f
    WHERE f.problem IS NULL AND f.skip IS NULL`);
  const same = `f.user_id = ${userId} AND f.source = 'listenbrainz' AND f.target = 'track' AND f.score = c.score
    AND f.recording_msid IS NOT DISTINCT FROM c.msid AND f.recording_mbid IS NOT DISTINCT FROM c.mbid AND f.created_at IS NOT DISTINCT FROM c.created_at`;
  const before = Number((await connection.runAndReadAll("SELECT count(*) FROM feedback")).getRows()[0][0]);
  await connection.run(`
    UPDATE feedback f SET item_key = c.item_key, artist_key = c.artist_key FROM feedback_candidates c
    WHERE ${same} AND f.item_key IS NULL AND c.item_key IS NOT NULL;
    INSERT INTO feedback
    SELECT ${userId}, c.score, 'track', c.item_key, c.artist_key, c.mbid, c.msid, 'listenbrainz', c.created_at
    FROM feedback_candidates c WHERE NOT EXISTS (SELECT 1 FROM feedback f WHERE ${same})`);
  const added = Number((await connection.runAndReadAll("SELECT count(*) FROM feedback")).getRows()[0][0]) - before;
  const counts = await connection.runAndReadAll(`
    SELECT (SELECT count(*) FROM feedback_candidates), (SELECT count(*) FROM feedback_rows WHERE problem IS NULL AND skip IS NULL),
      (SELECT count(*) FROM feedback_rows WHERE problem IS NOT NULL), (SELECT count(*) FROM feedback_rows WHERE skip = 'feedback removed (score 0)'),
      (SELECT count(*) FROM feedback_candidates WHERE item_key IS NOT NULL)`);
  const [distinct, usable, problems, removed, named] = counts.getRows()[0].map(Number);
  const fromReader = await readerRejects(connection, REJECTS);
  const fromRows = await rowProblems(connection, "SELECT k, problem FROM feedback_rows WHERE problem IS NOT NULL", problems, 0, REJECTS);
  await connection.run("DROP TABLE feedback_rows; DROP TABLE feedback_candidates; DROP TABLE recording_names");
  await dropRejectTables(connection, REJECTS);
  context.progress.done(`${path.basename(file)}: ${added} new loved/hated recordings (${named} of ${distinct} matched to a track of the listens)`);
  return {
    source: file,
    format: "listenbrainz-feedback",
    imported: added,
    duplicates: usable - added,
    skipped: removed > 0 ? { "feedback removed (score 0)": removed } : {},
    rejected: mergeRejects(fromReader, fromRows.count > 0 ? fromRows : noRejects()),
    users: 1,
    items: named,
  };
}

/**
 * Temp table recording_names(id, artist, track): the most common artist and title the listens give
 * each recording msid ('msid:…') and MusicBrainz recording id ('mbid:…').
 */
async function recordingNames(connection: ImportContext["connection"], listens: readonly string[]): Promise<void> {
  if (listens.length === 0) {
    await connection.run("CREATE OR REPLACE TEMP TABLE recording_names (id VARCHAR, artist VARCHAR, track VARCHAR)");
    return;
  }
  const files = `[${listens.map(sqlString).join(", ")}]`;
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE recording_names AS
    WITH listens AS (
      SELECT json ->> '$.track_metadata.artist_name' AS artist, json ->> '$.track_metadata.track_name' AS track,
        coalesce(json ->> '$.track_metadata.recording_msid', json ->> '$.recording_msid', json ->> '$.track_metadata.additional_info.recording_msid') AS msid,
        coalesce(json ->> '$.track_metadata.mbid_mapping.recording_mbid', json ->> '$.track_metadata.additional_info.recording_mbid') AS mbid
      FROM read_json_objects(${files}, format = 'newline_delimited', ignore_errors = true)),
    ids AS (
      SELECT 'msid:' || msid AS id, artist, track FROM listens WHERE msid IS NOT NULL
      UNION ALL SELECT 'mbid:' || mbid, artist, track FROM listens WHERE mbid IS NOT NULL)
    SELECT id, first(artist ORDER BY n DESC, artist) AS artist, first(track ORDER BY n DESC, track) AS track
    FROM (SELECT id, artist, track, count(*) AS n FROM ids WHERE nullif(trim(artist), '') IS NOT NULL AND nullif(trim(track), '') IS NOT NULL GROUP BY ALL)
    GROUP BY id`);
}

import { addEvents, addItems, addUsers } from "../store/catalog-writer.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { normalizeNameSql } from "./normalize.js";
import { stageScrobbles, STAGED_TABLE, usableSql, type ScrobbleFormat } from "./stage.js";

const SPELL_TABLE = "staged_spellings";
const USERS_TABLE = "staged_users";

/**
 * Imports one scrobble file: stage it, derive the distinct raw spellings (keys are computed once
 * per spelling, not per row), add new users / artists / items, then the events not yet stored.
 */
export async function importScrobbles(context: ImportContext, format: ScrobbleFormat): Promise<FileImport> {
  const { connection, path, progress } = context;
  const staged = await stageScrobbles(connection, format, path, context.user, progress);
  progress.done(`${staged.usable.toLocaleString("en")} usable rows`);
  progress.start("storing");
  // Raw spellings (join keys back to the staged rows) with their trimmed display form and keys.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE ${SPELL_TABLE} AS
    WITH spelled AS (
      SELECT artist AS raw_artist, track AS raw_track, album AS raw_album, count(*) AS seen
      FROM ${STAGED_TABLE} WHERE ${usableSql()} GROUP BY ALL),
    artist_keys AS (SELECT raw_artist, ${normalizeNameSql("raw_artist")} AS artist_key FROM (SELECT DISTINCT raw_artist FROM spelled))
    SELECT row_number() OVER () AS spell_id, raw_artist, raw_track, raw_album,
      trim(raw_artist) AS artist, trim(raw_track) AS track, nullif(trim(raw_album), '') AS album,
      artist_key, artist_key || chr(31) || ${normalizeNameSql("raw_track")} AS item_key, NULL::INTEGER AS item_id, seen
    FROM spelled JOIN artist_keys USING (raw_artist);
    CREATE OR REPLACE TEMP TABLE ${USERS_TABLE} AS SELECT DISTINCT user_name AS name FROM ${STAGED_TABLE} WHERE ${usableSql()};`);
  await addUsers(connection, `SELECT name FROM ${USERS_TABLE}`);
  await addItems(connection, SPELL_TABLE);
  const events = await addEvents(
    connection,
    {
      sql: `SELECT u.user_id, sp.item_id, st.played_at, 1.0 AS plays, sp.spell_id
            FROM ${STAGED_TABLE} st
            JOIN users u ON u.name = st.user_name
            JOIN ${SPELL_TABLE} sp ON sp.raw_artist = st.artist AND sp.raw_track = st.track AND sp.raw_album IS NOT DISTINCT FROM st.album
            WHERE ${usableSql("st")}`,
      count: staged.usable,
      userNamesSql: `SELECT name FROM ${USERS_TABLE}`,
    },
    SPELL_TABLE,
    context.importId,
  );
  const distinct = await connection.runAndReadAll(
    `SELECT (SELECT count(*) FROM ${USERS_TABLE}), (SELECT count(DISTINCT item_id) FROM ${SPELL_TABLE})`,
  );
  const [users, items] = distinct.getRows()[0].map(Number);
  await connection.run(`DROP TABLE ${STAGED_TABLE}; DROP TABLE ${SPELL_TABLE}; DROP TABLE ${USERS_TABLE}`);
  progress.done(`${events.added.toLocaleString("en")} new scrobbles, ${events.duplicates.toLocaleString("en")} already stored`);
  return { source: path, format, imported: events.added, duplicates: events.duplicates, skipped: staged.skipped, rejected: staged.rejected, users, items };
}

import { addEvents, addItems, addUndatedPlays, addUsers } from "../store/catalog-writer.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { normalizeNameSql } from "../data/item-key.js";
import { scanScrobbles, SUMMARY_TABLE, type ScrobbleFormat } from "./scan.js";
import { encodingLabel } from "./text-encoding.js";
import { recordItemMbids } from "./item-mbids.js";

const SPELL_TABLE = "scan_spellings";
const USERS_TABLE = "scan_users";

/**
 * Imports one scrobble file in two streaming reads: the first aggregates it to its distinct raw
 * spellings and users (keys are computed once per spelling, not per row) and counts the bad rows;
 * new users / artists / items are added from that; the second read joins every row to its user and
 * item ids and inserts the events not stored yet; the MusicBrainz ids the rows carry are recorded
 * per item from the first read's summary (item-mbids.ts). Memory follows the number of distinct spellings,
 * not the file size. Plays without a date are read a third time, counted per user and item (see
 * addUndatedPlays).
 */
export async function importScrobbles(context: ImportContext, format: ScrobbleFormat): Promise<FileImport> {
  const { connection, path, progress } = context;
  const scanned = await scanScrobbles(connection, format, { path, user: context.user }, progress);
  try {
    const undatedNote = scanned.undated > 0 ? `, ${scanned.undated.toLocaleString("en")} without a date (timestamp 0: stored as undated plays)` : "";
    progress.done(`${scanned.usable.toLocaleString("en")} usable rows${undatedNote}`);
    // Raw spellings (join keys for the second read) with their trimmed display form and keys;
    // `seen` counts the dated plays (undated ones do not vote on display names).
    await connection.run(`
      CREATE OR REPLACE TEMP TABLE ${SPELL_TABLE} AS
      WITH spelled AS (
        SELECT artist AS raw_artist, track AS raw_track, album AS raw_album, coalesce(sum(n) FILTER (WHERE NOT undated), 0) AS seen
        FROM ${SUMMARY_TABLE} WHERE by_spelling AND ${scanned.usableSpellings} GROUP BY ALL),
      artist_keys AS (SELECT raw_artist, ${normalizeNameSql("raw_artist")} AS artist_key FROM (SELECT DISTINCT raw_artist FROM spelled))
      SELECT row_number() OVER () AS spell_id, raw_artist, raw_track, raw_album,
        trim(raw_artist) AS artist, trim(raw_track) AS track, nullif(trim(raw_album), '') AS album,
        artist_key, artist_key || chr(31) || ${normalizeNameSql("raw_track")} AS item_key, NULL::INTEGER AS item_id, seen
      FROM spelled JOIN artist_keys USING (raw_artist);
      CREATE OR REPLACE TEMP TABLE ${USERS_TABLE} AS ${scanned.listenersSql};`);
    await addUsers(connection, `SELECT name FROM ${USERS_TABLE}`);
    await addItems(connection, SPELL_TABLE);
    const mbids = await recordItemMbids(connection, scanned.mbidsSql, SPELL_TABLE);
    const joined = (rows: string, columns: string) => `SELECT u.user_id, sp.item_id, ${columns}
      FROM (${rows}) r
      JOIN users u ON u.name = r.user_name
      JOIN ${SPELL_TABLE} sp ON sp.raw_artist = r.artist AND sp.raw_track = r.track AND sp.raw_album IS NOT DISTINCT FROM r.album`;
    // The file is the probe side of both joins: keep the optimiser from building on the CSV scan,
    // whose cardinality it cannot estimate.
    await connection.run("SET disabled_optimizers = 'join_order,build_side_probe_side'");
    const events = await addEvents(
      connection,
      {
        sql: joined(scanned.rowsSql, "r.played_at, 1.0 AS plays, sp.spell_id"),
        count: scanned.usable,
        userNamesSql: `SELECT name FROM ${USERS_TABLE}`,
        collapseCandidates: false,
      },
      SPELL_TABLE,
      context.importId,
      progress,
    );
    await connection.run("RESET disabled_optimizers");
    const undated = scanned.undatedSql
      ? await addUndatedPlays(connection, joined(scanned.undatedSql, "r.plays"), context.importId)
      : { added: 0, duplicates: 0 };
    const distinct = await connection.runAndReadAll(
      `SELECT (SELECT count(*) FROM ${USERS_TABLE}), (SELECT count(DISTINCT item_id) FROM ${SPELL_TABLE})`,
    );
    const [users, items] = distinct.getRows()[0].map(Number);
    await connection.run(`DROP TABLE ${SUMMARY_TABLE}; DROP TABLE ${SPELL_TABLE}; DROP TABLE ${USERS_TABLE}`);
    progress.done(`${events.added.toLocaleString("en")} new scrobbles, ${events.duplicates.toLocaleString("en")} already stored`);
    return {
      source: path,
      format,
      imported: events.added + undated.added,
      duplicates: events.duplicates + undated.duplicates,
      skipped: scanned.skipped,
      rejected: scanned.rejected,
      users,
      items,
      ...(scanned.undated > 0 && { undated: scanned.undated }),
      ...((mbids.items > 0 || mbids.malformed > 0) && { mbids }),
      ...(scanned.encoding !== "utf-8" && { encoding: encodingLabel(scanned.encoding) }),
    };
  } finally {
    scanned.release();
  }
}

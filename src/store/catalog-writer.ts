import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../util/progress.js";
import { runWithProgress } from "./run-with-progress.js";

/**
 * The write side of an import, shared by every format. A format stages:
 *  - the distinct raw spellings it saw, in a temp table with columns
 *    (spell_id BIGINT, artist, track, album, artist_key, item_key, item_id INTEGER NULL,
 *     seen BIGINT = how many candidate events carry this spelling), and
 *  - candidate events (user_id, item_id, played_at, plays, spell_id) and the names of their users,
 * and these functions add what is new to users / artists / items / events / spellings.
 * Ids are dense: new rows continue from the current maximum, in key order (deterministic).
 */

/** Adds the user names a query yields (column `name`) that the store does not have yet. */
export async function addUsers(connection: DuckDBConnection, namesSql: string): Promise<void> {
  await connection.run(`
    INSERT INTO users
    SELECT (SELECT coalesce(max(user_id), -1) FROM users) + row_number() OVER (ORDER BY name), name
    FROM (SELECT DISTINCT name FROM (${namesSql}) WHERE name NOT IN (SELECT name FROM users))`);
}

/** Adds missing artists and items for the staged spellings and fills in their item_id. */
export async function addItems(connection: DuckDBConnection, spellTable: string): Promise<void> {
  await connection.run(`
    INSERT INTO artists
    SELECT (SELECT coalesce(max(artist_id), -1) FROM artists) + row_number() OVER (ORDER BY artist_key), artist_key, name
    FROM (
      SELECT artist_key, first(artist ORDER BY seen DESC, artist) AS name
      FROM (SELECT artist_key, artist, sum(seen) AS seen FROM ${spellTable} GROUP BY ALL)
      WHERE artist_key NOT IN (SELECT key FROM artists)
      GROUP BY artist_key)`);
  await connection.run(`
    INSERT INTO items
    SELECT (SELECT coalesce(max(item_id), -1) FROM items) + row_number() OVER (ORDER BY s.item_key), s.item_key, a.artist_id, s.track, s.album
    FROM (
      SELECT item_key, any_value(artist_key) AS artist_key, first(track ORDER BY seen DESC, track) AS track,
        first(album ORDER BY seen DESC, album) FILTER (WHERE album IS NOT NULL) AS album
      FROM ${spellTable} WHERE item_key NOT IN (SELECT key FROM items) GROUP BY item_key) s
    JOIN artists a ON a.key = s.artist_key`);
  await connection.run(`UPDATE ${spellTable} SET item_id = items.item_id FROM items WHERE items.key = ${spellTable}.item_key`);
}

export interface EventsAdded {
  added: number;
  duplicates: number;
}

/**
 * Inserts the candidate events that are not in the store yet: an event's identity is (user, item,
 * played_at), or (user, item) for play counts without a timestamp. Importing a file twice, or
 * overlapping exports of one account, therefore add nothing new.
 *
 * `collapseCandidates` also merges identical candidates (for play-count data, where a repeated
 * (user, item) row is one pair). Scrobble files are not collapsed: each row is one play (two plays
 * of a short track in the same minute are both real in minute-resolution exports), and a global
 * GROUP BY over 19M rows would cost more than the rest of the import.
 *
 * A first import (none of the users has stored events) is one streaming INSERT … SELECT, and the
 * staged spelling counts are exact (also when identical candidates were collapsed). Only a partial
 * overlap with stored events pays for recounting the spellings of the events it added.
 */
export async function addEvents(
  connection: DuckDBConnection,
  candidates: { sql: string; count: number; userNamesSql: string; collapseCandidates: boolean },
  spellTable: string,
  importId: number,
  progress: Progress,
): Promise<EventsAdded> {
  const overlap = await connection.runAndReadAll(`
    SELECT count(*) FROM (
      SELECT 1 FROM events WHERE user_id IN (SELECT user_id FROM users WHERE name IN (${candidates.userNamesSql})) LIMIT 1)`);
  const storedUsers = Number(overlap.getRows()[0][0]) > 0;
  const rows = candidates.collapseCandidates
    ? `SELECT user_id, item_id, played_at, max(plays) AS plays FROM (${candidates.sql}) GROUP BY user_id, item_id, played_at`
    : candidates.sql;
  const notStored = storedUsers
    ? `WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = c.user_id AND e.item_id = c.item_id
         AND e.played_at IS NOT DISTINCT FROM c.played_at)`
    : "";
  const before = Number((await connection.runAndReadAll("SELECT count(*) FROM events")).getRows()[0][0]);
  await runWithProgress(
    connection,
    `INSERT INTO events SELECT c.user_id, c.item_id, c.played_at, c.plays, ${importId} FROM (${rows}) c ${notStored}`,
    progress,
    "storing",
  );
  const added = Number((await connection.runAndReadAll("SELECT count(*) FROM events")).getRows()[0][0]) - before;
  // Without stored events to skip, every candidate's spelling was seen by this import, even when
  // collapsed duplicates made `added` smaller: the staged counts are exact.
  if (added === candidates.count || !storedUsers) {
    await connection.run(`INSERT INTO spellings SELECT item_id, artist, track, album, seen FROM ${spellTable} WHERE seen > 0`);
  } else if (added > 0) {
    await connection.run(`
      INSERT INTO spellings
      SELECT s.item_id, s.artist, s.track, s.album, n.seen
      FROM (SELECT c.spell_id, count(*) AS seen FROM (${candidates.sql}) c
            SEMI JOIN (SELECT * FROM events WHERE import_id = ${importId}) e
              ON e.user_id = c.user_id AND e.item_id = c.item_id AND e.played_at IS NOT DISTINCT FROM c.played_at
            GROUP BY c.spell_id) n
      JOIN ${spellTable} s USING (spell_id)`);
  }
  if (added > 0) await refreshDisplayNames(connection, spellTable);
  return { added, duplicates: candidates.count - added };
}

/**
 * Adds plays that have no date (scrobbles exported with timestamp 0), given as candidates
 * (user_id, item_id, plays): one event per user and item with played_at NULL and `plays` = how
 * many undated plays of it the file has.
 *
 * Undated plays carry no identity a re-import could match one by one, so the store keeps, per user
 * and item, the LARGEST undated count any import reported: an export lists all of an account's
 * undated scrobbles, so importing it again, or a later overlapping export, reports the same (or a
 * larger) count and adds nothing twice. Only the excess over the stored count is new. (Two files
 * that split one account's undated plays between them would count as the larger part, never as
 * more than there are.)
 */
export async function addUndatedPlays(connection: DuckDBConnection, candidatesSql: string, importId: number): Promise<EventsAdded> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE undated_candidates AS
    SELECT c.user_id, c.item_id, sum(c.plays)::DOUBLE AS plays, coalesce(any_value(e.plays), 0) AS stored, any_value(e.plays) IS NOT NULL AS present
    FROM (${candidatesSql}) c
    LEFT JOIN (SELECT user_id, item_id, max(plays) AS plays FROM events WHERE played_at IS NULL GROUP BY ALL) e USING (user_id, item_id)
    GROUP BY c.user_id, c.item_id`);
  const totals = await connection.runAndReadAll(
    "SELECT coalesce(sum(greatest(plays - stored, 0)), 0), coalesce(sum(least(plays, stored)), 0) FROM undated_candidates",
  );
  const [added, duplicates] = totals.getRows()[0].map(Number);
  await connection.run(`
    UPDATE events SET plays = c.plays FROM undated_candidates c
    WHERE events.played_at IS NULL AND events.user_id = c.user_id AND events.item_id = c.item_id AND c.present AND c.plays > c.stored;
    INSERT INTO events SELECT user_id, item_id, NULL, plays, ${importId} FROM undated_candidates WHERE NOT present;
    DROP TABLE undated_candidates;`);
  return { added, duplicates };
}

/** Display names follow the most common spelling seen so far, for every item the import spelled. */
async function refreshDisplayNames(connection: DuckDBConnection, spellTable: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP TABLE touched_items AS SELECT DISTINCT item_id FROM ${spellTable}`);
  const touched = `SELECT item_id FROM touched_items`;
  for (const column of ["track", "album"]) {
    await connection.run(`
      UPDATE items SET ${column} = best.${column} FROM (
        SELECT item_id, first(${column} ORDER BY seen DESC, ${column}) AS ${column}
        FROM (SELECT item_id, ${column}, sum(seen) AS seen FROM spellings
              WHERE ${column} IS NOT NULL AND item_id IN (${touched}) GROUP BY ALL)
        GROUP BY item_id) best
      WHERE items.item_id = best.item_id AND items.${column} IS DISTINCT FROM best.${column}`);
  }
  await connection.run(`
    UPDATE artists SET name = best.name FROM (
      SELECT artist_id, first(artist ORDER BY seen DESC, artist) AS name
      FROM (SELECT i.artist_id, s.artist, sum(s.seen) AS seen FROM spellings s JOIN items i USING (item_id)
            WHERE i.artist_id IN (SELECT DISTINCT artist_id FROM items WHERE item_id IN (${touched})) GROUP BY ALL)
      GROUP BY artist_id) best
    WHERE artists.artist_id = best.artist_id AND artists.name <> best.name`);
  await connection.run("DROP TABLE touched_items");
}

import fs from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { silentProgress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import { detectFormat } from "./detect.js";
import type { FormatName } from "./formats.js";
import { itemKeySql, normalizeNameSql } from "../data/item-key.js";
import type { RejectReport } from "./rejects.js";
import { scanScrobbles, SUMMARY_TABLE, usableSql } from "./scan.js";

export interface HistoryRow {
  artist: string;
  track: string | null;
  album: string | null;
  plays: number;
}

export interface ParsedHistory {
  format: FormatName;
  users: string[];
  /** One row per item key (case/whitespace-insensitive), most common spelling, plays summed. */
  rows: HistoryRow[];
  rejected: RejectReport;
}

/**
 * Parses a listening-history file of any scrobble format for "bring your own export", in a
 * throwaway in-memory DuckDB: nothing is written to the store. Structural problems throw a
 * UserError naming the file; bad rows are reported in `rejected`.
 */
export async function readHistoryFile(path: string, options: { format?: FormatName; user?: string } = {}): Promise<ParsedHistory> {
  if (!fs.existsSync(path)) throw new UserError(`cannot read ${path}: no such file`);
  if (fs.statSync(path).isDirectory()) throw new UserError(`${path} is a folder; upload one export file`);
  const format = options.format ?? detectFormat(path);
  if (format === "hetrec") throw new UserError(`${path}: hetrec is a multi-user dataset folder; import it with musicrec import`);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const scanned = await scanScrobbles(connection, format, path, options.user, silentProgress);
    const users = await connection.runAndReadAll(
      `SELECT user_name FROM ${SUMMARY_TABLE} WHERE NOT by_spelling AND ${usableSql()} ORDER BY user_name`,
    );
    const result = await connection.runAndReadAll(`
      WITH spelled AS (
        SELECT ${normalizeNameSql("artist")} AS artist_key, ${itemKeySql("artist", "track")} AS key, artist, track, album, seen
        FROM (SELECT trim(artist) AS artist, trim(track) AS track, nullif(trim(album), '') AS album, sum(n) AS seen
              FROM ${SUMMARY_TABLE} WHERE by_spelling AND ${usableSql()} GROUP BY ALL)),
      -- Like the store: an artist's display name is its most common spelling over all its tracks.
      artist_names AS (
        SELECT artist_key, first(artist ORDER BY seen DESC, artist) AS artist
        FROM (SELECT artist_key, artist, sum(seen) AS seen FROM spelled GROUP BY ALL) GROUP BY artist_key),
      track_names AS (
        SELECT key, any_value(artist_key) AS artist_key, first(track ORDER BY seen DESC, track) AS track
        FROM (SELECT key, artist_key, track, sum(seen) AS seen FROM spelled GROUP BY ALL) GROUP BY key),
      albums AS (
        SELECT key, first(album ORDER BY seen DESC, album) AS album
        FROM (SELECT key, album, sum(seen) AS seen FROM spelled WHERE album IS NOT NULL GROUP BY ALL) GROUP BY key),
      totals AS (SELECT key, sum(seen)::DOUBLE AS plays FROM spelled GROUP BY key)
      SELECT artist_names.artist, track_names.track, albums.album, totals.plays
      FROM totals JOIN track_names USING (key) JOIN artist_names USING (artist_key) LEFT JOIN albums USING (key)
      ORDER BY totals.plays DESC, key`);
    const rows: HistoryRow[] = result.getRowObjects().map((row) => ({
      artist: String(row.artist),
      track: row.track == null ? null : String(row.track),
      album: row.album == null ? null : String(row.album),
      plays: Number(row.plays),
    }));
    return { format, users: users.getColumns()[0]?.map(String) ?? [], rows, rejected: scanned.rejected };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

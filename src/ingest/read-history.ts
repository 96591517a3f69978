import fs from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { silentProgress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import { detectFormat } from "./detect.js";
import type { FormatName } from "./formats.js";
import { itemKeySql, normalizeNameSql } from "../data/item-key.js";
import { exportMembers, isZipFile, unpackExport } from "./listenbrainz-export.js";
import { mergeRejects, noRejects, type RejectReport } from "./rejects.js";
import { scanScrobbles, SUMMARY_TABLE } from "./scan.js";

export interface HistoryRow {
  artist: string;
  track: string | null;
  album: string | null;
  plays: number;
}

export interface ParsedHistory {
  format: FormatName;
  /** The listeners the history belongs to: more than one when a multi-user file was read without --user. */
  users: string[];
  /** One row per item key (case/whitespace-insensitive), most common spelling, plays summed. */
  rows: HistoryRow[];
  rejected: RejectReport;
}

/**
 * Parses a listening-history file of any scrobble format for "bring your own export", in a
 * throwaway in-memory DuckDB: nothing is written to the store. Structural problems throw a
 * UserError naming the file; bad rows are reported in `rejected`. A ListenBrainz export zip reads
 * its listens. `user` picks one listener of a multi-user file (see scanScrobbles).
 */
export async function readHistoryFile(path: string, options: { format?: FormatName; user?: string } = {}): Promise<ParsedHistory> {
  if (!fs.existsSync(path)) throw new UserError(`cannot read ${path}: no such file`);
  if (fs.statSync(path).isDirectory()) throw new UserError(`${path} is a folder; upload one export file`);
  const unpacked = isZipFile(path) ? await unpackExport(path) : null;
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const inputs = unpacked
      ? exportMembers(unpacked.folder, path).filter((member) => member.format === "listenbrainz")
      : [{ path, format: options.format ?? detectFormat(path), user: undefined }];
    const format = unpacked ? "listenbrainz-export" : inputs[0].format;
    await connection.run(`
      CREATE TEMP TABLE history_spellings (artist VARCHAR, track VARCHAR, album VARCHAR, seen BIGINT);
      CREATE TEMP TABLE history_listeners (name VARCHAR)`);
    let rejected = noRejects();
    for (const input of inputs) {
      if (input.format === "hetrec" || input.format === "lfm360k" || input.format === "listenbrainz-feedback" || input.format === "listenbrainz-export") {
        throw new UserError(`${path}: ${input.format} holds no listening history of one person; import it with musicrec import`);
      }
      const scanned = await scanScrobbles(connection, input.format, { path: input.path, user: options.user ?? input.user }, silentProgress);
      try {
        await connection.run(`
          INSERT INTO history_spellings
          SELECT artist, track, album, sum(n)
          FROM ${SUMMARY_TABLE} WHERE by_spelling AND ${scanned.usableSpellings} GROUP BY ALL;
          INSERT INTO history_listeners ${scanned.listenersSql};
          DROP TABLE ${SUMMARY_TABLE}`);
      } finally {
        scanned.release();
      }
      rejected = mergeRejects(rejected, scanned.rejected);
    }
    const users = await connection.runAndReadAll("SELECT DISTINCT name FROM history_listeners ORDER BY name");
    const result = await connection.runAndReadAll(`
      WITH spelled AS (
        SELECT ${normalizeNameSql("artist")} AS artist_key, ${itemKeySql("artist", "track")} AS key, artist, track, album, seen
        FROM (SELECT trim(artist) AS artist, trim(track) AS track, nullif(trim(album), '') AS album, sum(seen) AS seen
              FROM history_spellings GROUP BY ALL)),
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
    return { format, users: users.getColumns()[0]?.map(String) ?? [], rows, rejected };
  } finally {
    connection.closeSync();
    instance.closeSync();
    unpacked?.release();
  }
}

/** The library's rows in the store (table library_files, schema in src/store/schema.ts). */
import type { DuckDBValue } from "@duckdb/node-api";
import { songKey } from "../data/song-key.js";
import type { Store } from "../store/store.js";
import type { AudioTags } from "./read-tags.js";
import type { ItemsByMbid, MatchCatalog, MatchableFile, MatchedBy } from "./match.js";

export interface LibraryFile extends AudioTags {
  path: string;
  size: number;
  mtimeMs: number;
  /** Why the file could not be read (its tags are then null). */
  error: string | null;
  /** Key of the catalogue item it matched at the last scan, or null. */
  itemKey: string | null;
  matchedBy: MatchedBy;
}

const COLUMNS = "path, size, mtime_ms, artist, title, album, duration_ms, recording_mbid, artist_mbid, error, item_key, matched_by";

const str = (value: DuckDBValue) => (value == null ? null : String(value));
const num = (value: DuckDBValue) => (value == null ? null : Number(value));

/** Library files, all or those under a folder (`prefix` ends with the path separator), by path. */
export async function loadLibraryFiles(store: Store, prefix?: string): Promise<LibraryFile[]> {
  const rows = await store.all(
    `SELECT ${COLUMNS} FROM library_files ${prefix ? "WHERE starts_with(path, $prefix)" : ""} ORDER BY path`,
    prefix ? { prefix } : undefined,
  );
  return rows.map((row) => ({
    path: String(row.path),
    size: Number(row.size),
    mtimeMs: Number(row.mtime_ms),
    artist: str(row.artist),
    title: str(row.title),
    album: str(row.album),
    durationMs: num(row.duration_ms),
    recordingMbid: str(row.recording_mbid),
    artistMbid: str(row.artist_mbid),
    error: str(row.error),
    itemKey: str(row.item_key),
    matchedBy: row.matched_by == null ? "none" : (String(row.matched_by) as MatchedBy),
  }));
}

async function insertRows(store: Store, table: string, rows: DuckDBValue[][]): Promise<void> {
  const CHUNK = 200;
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const width = chunk[0].length;
    const placeholders = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`).join(", ");
    await store.connection.run(`INSERT INTO ${table} VALUES ${placeholders}`, chunk.flat());
  }
}

export interface LibraryChanges {
  /** New and changed files (replacing any row of the same path). */
  upserts: LibraryFile[];
  /** Paths of files that are gone. */
  removed: string[];
  /** The match of every file in the library after the change. */
  matches: { path: string; itemKey: string | null; matchedBy: MatchedBy }[];
}

/** Applies a scan in one transaction: a failure leaves the library as it was. */
export async function saveLibraryChanges(store: Store, changes: LibraryChanges): Promise<void> {
  const c = store.connection;
  await c.run("CREATE OR REPLACE TEMP TABLE library_scan_paths (path VARCHAR)");
  await c.run(`CREATE OR REPLACE TEMP TABLE library_scan_rows AS SELECT ${COLUMNS} FROM library_files LIMIT 0`);
  await c.run("CREATE OR REPLACE TEMP TABLE library_scan_matches (path VARCHAR, item_key VARCHAR, matched_by VARCHAR)");
  try {
    await insertRows(store, "library_scan_paths", [...changes.upserts.map((f) => [f.path]), ...changes.removed.map((p) => [p])]);
    await insertRows(
      store,
      "library_scan_rows",
      changes.upserts.map((f) => [f.path, f.size, f.mtimeMs, f.artist, f.title, f.album, f.durationMs, f.recordingMbid, f.artistMbid, f.error, null, null]),
    );
    await insertRows(store, "library_scan_matches", changes.matches.map((m) => [m.path, m.itemKey, m.matchedBy === "none" ? null : m.matchedBy]));
    await store.transaction(async () => {
      await c.run("DELETE FROM library_files WHERE path IN (SELECT path FROM library_scan_paths)");
      await c.run("INSERT INTO library_files SELECT * FROM library_scan_rows");
      await c.run(`UPDATE library_files SET item_key = m.item_key, matched_by = m.matched_by
        FROM library_scan_matches m WHERE library_files.path = m.path
          AND (library_files.item_key IS DISTINCT FROM m.item_key OR library_files.matched_by IS DISTINCT FROM m.matched_by)`);
    });
  } finally {
    for (const table of ["library_scan_paths", "library_scan_rows", "library_scan_matches"]) await c.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * The part of the store's catalogue that can match `files`: items of artists whose name has a
 * song key some file's artist has, and items whose MusicBrainz id some file carries — never the
 * whole catalogue (a million tracks) when the library has a few hundred artists.
 */
export async function loadMatchCatalogue(store: Store, files: readonly MatchableFile[]): Promise<{ catalog: MatchCatalog; itemsByMbid: ItemsByMbid }> {
  const level = (await store.scalar("SELECT count(*) FROM items WHERE track IS NOT NULL")) ? "track" : "artist";
  const libraryArtists = new Set(files.flatMap((f) => (f.artist ? [songKey(f.artist, null)] : [])));
  const artists = await store.all("SELECT artist_id, name FROM artists");
  const artistIds = artists.filter((a) => libraryArtists.has(songKey(String(a.name), null))).map((a) => [Number(a.artist_id)]);
  const mbidColumn = level === "artist" ? "artist_mbid" : "recording_mbid";
  const fileMbids = [...new Set(files.flatMap((f) => { const id = level === "artist" ? f.artistMbid : f.recordingMbid; return id ? [[id.toLowerCase()]] : []; }))];
  const c = store.connection;
  await c.run("CREATE OR REPLACE TEMP TABLE library_match_artists (artist_id INTEGER)");
  await c.run("CREATE OR REPLACE TEMP TABLE library_match_mbids (mbid VARCHAR)");
  try {
    if (artistIds.length > 0) await insertRows(store, "library_match_artists", artistIds);
    if (fileMbids.length > 0) await insertRows(store, "library_match_mbids", fileMbids);
    const mbidRows = await store.all(
      `SELECT DISTINCT m.item_id, lower(m.${mbidColumn}) AS mbid FROM item_mbids m SEMI JOIN library_match_mbids f ON lower(m.${mbidColumn}) = f.mbid`,
    );
    const items = await store.all(
      `SELECT i.item_id, i.key, a.name AS artist, i.track FROM items i JOIN artists a USING (artist_id)
       WHERE i.artist_id IN (SELECT artist_id FROM library_match_artists)
          OR i.item_id IN (SELECT DISTINCT m.item_id FROM item_mbids m SEMI JOIN library_match_mbids f ON lower(m.${mbidColumn}) = f.mbid)
       ORDER BY i.item_id`,
    );
    const indexOfId = new Map(items.map((row, i) => [Number(row.item_id), i]));
    const itemsByMbid = new Map<string, number>();
    for (const row of mbidRows) {
      const index = indexOfId.get(Number(row.item_id));
      if (index !== undefined && !itemsByMbid.has(String(row.mbid))) itemsByMbid.set(String(row.mbid), index);
    }
    return {
      catalog: {
        level,
        keys: items.map((row) => String(row.key)),
        artists: items.map((row) => String(row.artist)),
        tracks: items.map((row) => str(row.track)),
      },
      itemsByMbid,
    };
  } finally {
    await c.run("DROP TABLE IF EXISTS library_match_artists");
    await c.run("DROP TABLE IF EXISTS library_match_mbids");
  }
}

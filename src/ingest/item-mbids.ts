/**
 * MusicBrainz ids that import formats carry (ListenBrainz's recording_mbid / artist_mbids, Last.fm's
 * track and artist mbid, the Last.fm-1K and -360K id columns) recorded in the store's item_mbids
 * table, so that library matching and playlists (JSPF/XSPF identifiers) can use them.
 *
 * Sources yield the raw values per row; they are grouped with each distinct spelling during the
 * import's first read and validated here, in SQL, once per distinct value (never in JS). An id must
 * have the canonical 8-4-4-4-12 hex shape (any case; stored lowercase); a blank value is unknown
 * (Last.fm sends "" for that), anything else is malformed: counted and reported, never stored.
 */
import type { DuckDBConnection } from "@duckdb/node-api";

/** What an import did with the MusicBrainz ids of its rows. */
export interface MbidReport {
  /** Items of the input with a well-formed id. */
  items: number;
  /** Rows item_mbids gained (net: a row that knows more replaces one it completes); 0 on a re-import. */
  added: number;
  /** Usable rows carrying an id that is not a MusicBrainz id (neither blank nor a UUID). */
  malformed: number;
  /** A few of those values, as the file has them. */
  examples: string[];
}

const UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const EXAMPLES = 3;

/** The id as stored (trimmed, lowercase) when the raw value is a well-formed MusicBrainz id, else NULL. */
export function canonicalMbidSql(raw: string): string {
  return `CASE WHEN regexp_full_match(lower(trim(${raw})), '${UUID_PATTERN}') THEN lower(trim(${raw})) END`;
}

/** True when the raw value says something (not NULL or blank) but is not a MusicBrainz id. */
function malformedSql(raw: string): string {
  return `(nullif(trim(${raw}), '') IS NOT NULL AND ${canonicalMbidSql(raw)} IS NULL)`;
}

/**
 * The first id of a JSON field that holds a list of ids (ListenBrainz's `artist_mbids`: the
 * credited artists in order, the first being the main one) or, as some clients send it, one id
 * as a plain string.
 */
export function firstJsonIdSql(field: string): string {
  return `CASE WHEN json_type(${field}) = 'ARRAY' THEN ${field} ->> '$[0]' ELSE ${field} ->> '$' END`;
}

/**
 * Records the ids of an import's usable rows. `idsSql` yields (raw_artist, raw_track, raw_album,
 * recording_mbid, artist_mbid, n) — the raw spelling as staged in `spellTable` (whose item_id is
 * filled in by addItems), the raw ids and the number of rows carrying them; `raw_track` and
 * `raw_album` may be NULL for artist-level items. Runs inside the import's transaction; rows the
 * table has already are not added again, so re-importing a file adds nothing, and a row that
 * another row of the same item completes ((item, R, NULL) beside (item, R, A)) is dropped.
 */
export async function recordItemMbids(connection: DuckDBConnection, idsSql: string, spellTable: string): Promise<MbidReport> {
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE import_mbids AS
    SELECT raw_artist, raw_track, raw_album, recording_mbid, artist_mbid, sum(n) AS n,
      ${canonicalMbidSql("recording_mbid")} AS recording, ${canonicalMbidSql("artist_mbid")} AS artist,
      ${malformedSql("recording_mbid")} AS bad_recording, ${malformedSql("artist_mbid")} AS bad_artist
    FROM (${idsSql})
    WHERE nullif(trim(recording_mbid), '') IS NOT NULL OR nullif(trim(artist_mbid), '') IS NOT NULL
    GROUP BY ALL`);
  try {
    const malformed = await connection.runAndReadAll(`
      SELECT (SELECT coalesce(sum(n), 0) FROM import_mbids WHERE bad_recording OR bad_artist),
        (SELECT list(DISTINCT value ORDER BY value)[1:${EXAMPLES}] FROM (
           SELECT unnest([CASE WHEN bad_recording THEN recording_mbid END, CASE WHEN bad_artist THEN artist_mbid END]) AS value FROM import_mbids)
         WHERE value IS NOT NULL)`);
    const [rows, examples] = malformed.getRows()[0];
    await connection.run(`
      CREATE OR REPLACE TEMP TABLE import_item_mbids AS
      SELECT DISTINCT sp.item_id, m.recording, m.artist
      FROM import_mbids m
      JOIN ${spellTable} sp ON sp.raw_artist = m.raw_artist AND sp.raw_track IS NOT DISTINCT FROM m.raw_track
        AND sp.raw_album IS NOT DISTINCT FROM m.raw_album
      WHERE m.recording IS NOT NULL OR m.artist IS NOT NULL`);
    const before = Number((await connection.runAndReadAll("SELECT count(*) FROM item_mbids")).getRows()[0][0]);
    await connection.run(`
      INSERT INTO item_mbids SELECT * FROM import_item_mbids EXCEPT SELECT item_id, recording_mbid, artist_mbid FROM item_mbids;
      DELETE FROM item_mbids r
      WHERE r.item_id IN (SELECT item_id FROM import_item_mbids)
        AND EXISTS (SELECT 1 FROM item_mbids o
                    WHERE o.item_id = r.item_id
                      AND (o.recording_mbid IS DISTINCT FROM r.recording_mbid OR o.artist_mbid IS DISTINCT FROM r.artist_mbid)
                      AND (r.recording_mbid IS NULL OR r.recording_mbid = o.recording_mbid)
                      AND (r.artist_mbid IS NULL OR r.artist_mbid = o.artist_mbid))`);
    const after = Number((await connection.runAndReadAll("SELECT count(*) FROM item_mbids")).getRows()[0][0]);
    const items = Number((await connection.runAndReadAll("SELECT count(DISTINCT item_id) FROM import_item_mbids")).getRows()[0][0]);
    const values = (examples as { items?: unknown[] } | null)?.items ?? [];
    return { items, added: after - before, malformed: Number(rows), examples: values.filter((value) => value != null).map(String) };
  } finally {
    await connection.run("DROP TABLE IF EXISTS import_mbids; DROP TABLE IF EXISTS import_item_mbids");
  }
}

/** "3 rows carry a malformed MusicBrainz id (e.g. "abc"); those ids were not recorded", or null. */
export function describeMalformedMbids(report: MbidReport | undefined): string | null {
  if (report == null || report.malformed === 0) return null;
  const shown = report.examples.map((value) => JSON.stringify(value)).join(", ");
  const rows = report.malformed.toLocaleString("en");
  return `${rows} row${report.malformed === 1 ? " carries" : "s carry"} a malformed MusicBrainz id (e.g. ${shown}); those ids were not recorded`;
}

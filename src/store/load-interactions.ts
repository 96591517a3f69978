import type { Interactions, ItemCatalog, ItemLevel } from "../data/interactions.js";
import { UserError } from "../util/errors.js";
import type { Store } from "./store.js";
import { readTypedColumns } from "./typed-columns.js";

export interface LoadOptions {
  level?: ItemLevel;
  /** Only events with from <= played_at < to; events without timestamps are then excluded. */
  from?: Date;
  to?: Date;
}

/**
 * The item level models learn at: "track" when at least half of the listeners played tracks by
 * name, else "artist". A store of play counts (HetRec) is artist-level, scrobbles (Kaggle, LFM-1K,
 * exports) are track-level; a mix — HetRec's 1,892 listeners plus someone's own export — stays at
 * the artist level, where every listener's plays count (at the track level the count-only
 * listeners would have no item at all).
 */
export async function defaultLevel(store: Store): Promise<ItemLevel> {
  const anyTrack = await store.scalar("SELECT count(*) FROM (SELECT 1 FROM items WHERE track IS NOT NULL LIMIT 1)");
  if (anyTrack === 0) return "artist";
  const anyArtistItem = await store.scalar("SELECT count(*) FROM (SELECT 1 FROM items WHERE track IS NULL LIMIT 1)");
  if (anyArtistItem === 0) return "track";
  const row = await store.scalar(
    `SELECT (2 * count(*) FILTER (WHERE with_tracks) >= count(*))::INTEGER FROM (
       SELECT e.user_id, bool_or(i.track IS NOT NULL) AS with_tracks FROM events e JOIN items i USING (item_id) GROUP BY e.user_id)`,
  );
  return Number(row) === 1 ? "track" : "artist";
}

/**
 * The timestamp splitting timestamped events (sorted by time) so that the last `testFraction`
 * of them have played_at >= it.
 */
export async function timeCutoff(store: Store, testFraction: number): Promise<Date> {
  if (!(testFraction > 0 && testFraction < 1)) throw new UserError(`test fraction must be between 0 and 1, got ${testFraction}`);
  const cutoff = await store.scalar(
    `SELECT epoch_ms(played_at) FROM events WHERE played_at IS NOT NULL ORDER BY played_at
     OFFSET (SELECT count(*) - CAST(ceil(count(*) * $fraction) AS BIGINT) FROM events WHERE played_at IS NOT NULL) LIMIT 1`,
    { fraction: testFraction },
  );
  if (cutoff == null) throw new UserError("the store has no timestamped events (a time split needs scrobbles, not play counts)");
  return new Date(cutoff);
}

const epochLiteral = (date: Date, name: string): string => {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new UserError(`invalid ${name} date`);
  return `epoch_ms(${Math.trunc(ms)}::BIGINT)`;
};

/**
 * Catalogue ordering per level: the dense index of each item is its rank by id, over ALL items of
 * that level in the store, so loads with different time windows share one index space.
 * Track level: items with a track. Artist level: artists (tracks are aggregated to their artist).
 * Columns: idx, item_id, key, artist, track, album, artist_id.
 */
export function catalogSql(level: ItemLevel): string {
  return level === "track"
    ? `SELECT row_number() OVER (ORDER BY i.item_id) - 1 AS idx, i.item_id, i.key, a.name AS artist, i.track, i.album, i.artist_id
       FROM items i JOIN artists a USING (artist_id) WHERE i.track IS NOT NULL`
    : `SELECT row_number() OVER (ORDER BY artist_id) - 1 AS idx, artist_id AS item_id, key, name AS artist,
       NULL::VARCHAR AS track, NULL::VARCHAR AS album, artist_id FROM artists`;
}

/** Dense user index: rank by id over every user of the store. Columns: user_id, user_idx, name. */
export const USER_RANK_SQL = "SELECT user_id, row_number() OVER (ORDER BY user_id) - 1 AS user_idx, name FROM users";

/**
 * Every (user, item) pair at `level` with its play count sum and first/last play (TIMESTAMP, NULL
 * without timestamps): columns user_idx, item_idx (the dense indices above), plays, first_played,
 * last_played. `where` filters events (alias e).
 */
export function pairsSql(level: ItemLevel, where = ""): string {
  const joinEvents = level === "track" ? "i.item_id = cat.item_id" : "i.artist_id = cat.item_id";
  return `WITH cat AS (${catalogSql(level)}), user_rank AS (${USER_RANK_SQL})
    SELECT u.user_idx, cat.idx AS item_idx, sum(e.plays) AS plays, min(e.played_at) AS first_played, max(e.played_at) AS last_played
    FROM events e JOIN items i ON i.item_id = e.item_id JOIN cat ON ${joinEvents} JOIN user_rank u ON u.user_id = e.user_id
    ${where ? `WHERE ${where}` : ""}
    GROUP BY u.user_idx, cat.idx`;
}

async function loadCatalog(store: Store, level: ItemLevel): Promise<ItemCatalog> {
  const rows = await store.connection.runAndReadAll(
    `WITH cat AS (${catalogSql(level)}),
     artist_rank AS (SELECT artist_id, row_number() OVER (ORDER BY artist_id) - 1 AS artist_idx FROM artists)
     SELECT cat.key, cat.artist, cat.track, cat.album, artist_rank.artist_idx
     FROM cat JOIN artist_rank USING (artist_id) ORDER BY cat.idx`,
  );
  const columns = rows.getColumns();
  const artistIndex = Int32Array.from(columns[4], (value) => Number(value));
  const tagRows = await store.all(
    `SELECT r.artist_idx, list(t.tag ORDER BY t.weight DESC, t.tag) AS tags
     FROM artist_tags t JOIN (SELECT artist_id, row_number() OVER (ORDER BY artist_id) - 1 AS artist_idx FROM artists) r USING (artist_id)
     GROUP BY r.artist_idx`,
  );
  const tagsOfArtist = new Map<number, string[]>();
  for (const row of tagRows) {
    const list = row.tags as { items: unknown[] };
    tagsOfArtist.set(Number(row.artist_idx), list.items.map(String));
  }
  const none: string[] = [];
  return {
    level,
    keys: columns[0].map(String),
    artists: columns[1].map(String),
    tracks: columns[2].map((value) => (value == null ? null : String(value))),
    albums: columns[3].map((value) => (value == null ? null : String(value))),
    artistIndex,
    // Items of one artist share the same tags array.
    tags: Array.from(artistIndex, (artist) => tagsOfArtist.get(artist) ?? none),
  };
}

/**
 * Listening data aggregated per (user, item): play count sum, first and last play. The catalogue
 * always covers every user and item of the store at `level`, whatever the time window.
 */
export async function loadInteractions(store: Store, options: LoadOptions = {}): Promise<Interactions> {
  const level = options.level ?? (await defaultLevel(store));
  const userRows = await store.connection.runAndReadAll("SELECT name FROM users ORDER BY user_id");
  const userNames = userRows.getColumns()[0].map(String);
  const catalog = await loadCatalog(store, level);

  const bounds: string[] = [];
  if (options.from) bounds.push(`e.played_at >= ${epochLiteral(options.from, "from")}`);
  if (options.to) bounds.push(`e.played_at < ${epochLiteral(options.to, "to")}`);
  const [userIdx, itemIdx, plays, firstPlayed, lastPlayed] = await readTypedColumns(
    store.connection,
    `SELECT user_idx, item_idx, plays, CAST(epoch_ms(first_played) AS DOUBLE), CAST(epoch_ms(last_played) AS DOUBLE)
     FROM (${pairsSql(level, bounds.join(" AND "))}) ORDER BY user_idx, item_idx`,
    ["int32", "int32", "float32", "float64", "float64"],
  );
  return {
    userNames,
    catalog,
    userIdx: userIdx as Int32Array,
    itemIdx: itemIdx as Int32Array,
    plays: plays as Float32Array,
    firstPlayed: firstPlayed as Float64Array,
    lastPlayed: lastPlayed as Float64Array,
  };
}

/**
 * Listeners' opinions in the store's `feedback` table (schema.ts): musicrec's own "never suggest"
 * bans (source 'musicrec') and imported ListenBrainz loved/hated recordings. A change only ever
 * adds a row — a ban (score −1), an unban (score 0, "no opinion", as ListenBrainz marks removed
 * feedback) — so the newest row per listener and target is the current opinion and a re-import of
 * older feedback cannot undo a newer unban.
 *
 * A target is identified by its key: an artist by its artist key; a track by its item key, or,
 * for a recording the import could not name, through its MusicBrainz recording id (item_mbids),
 * else by the id itself ('mbid:…' / 'msid:…', which no catalogue item matches).
 */
import { sqlString } from "./sql.js";
import type { Store } from "./store.js";

export type FeedbackTarget = "track" | "artist";

/** score: 1 loved, −1 hated / banned; 0 withdraws an earlier opinion. */
export type FeedbackScore = -1 | 0 | 1;

/** musicrec's own rows (CLI, API, web); imports use their service's name. */
export const MUSICREC_SOURCE = "musicrec";

/** A listener's current opinion of one track or artist (score 0 rows are not listed). */
export interface Opinion {
  user: string;
  target: FeedbackTarget;
  /** Item key of a track (or 'mbid:…' / 'msid:…' when unnamed), artist key of an artist. */
  key: string;
  /** The track's artist key (artist targets: the key itself); null for an unnamed recording. */
  artistKey: string | null;
  score: -1 | 1;
  source: string;
  /** ISO 8601, null when the source gave no time. */
  createdAt: string | null;
  /** Display name, when asked for (currentOpinions' `labels`). */
  label?: string;
}

export interface OpinionChange {
  user: string;
  target: FeedbackTarget;
  key: string;
  /** Needed for a track: the artist key of its item key. */
  artistKey: string;
  score: FeedbackScore;
  source?: string;
  at?: Date;
}

/** Adds a row with the listener's new opinion (the user must exist in the store). */
export async function recordOpinion(store: Store, change: OpinionChange): Promise<void> {
  const at = (change.at ?? new Date()).getTime();
  await store.connection.run(
    `INSERT INTO feedback (user_id, score, target, item_key, artist_key, recording_mbid, recording_msid, source, created_at)
     SELECT user_id, $score, $target, $itemKey, $artistKey, NULL, NULL, $source, make_timestamp($micros::BIGINT)
     FROM users WHERE name = $user`,
    {
      user: change.user,
      score: change.score,
      target: change.target,
      itemKey: change.target === "track" ? change.key : null,
      artistKey: change.target === "artist" ? change.key : change.artistKey,
      source: change.source ?? MUSICREC_SOURCE,
      micros: String(Math.trunc(at) * 1000),
    },
  );
}

/** The key a feedback row (alias f) names its target by; `named` maps recording ids to item keys. */
const TARGET_KEY_SQL = `CASE WHEN f.target = 'artist' THEN f.artist_key
  ELSE coalesce(f.item_key, named.key, 'mbid:' || lower(f.recording_mbid), 'msid:' || f.recording_msid) END`;

/**
 * Current loved and banned opinions, of one listener or of everyone, newest first per listener;
 * with `labels`, each with its display name ("Artist" / "Artist – Track", else the key).
 */
export async function currentOpinions(store: Store, options: { user?: string; labels?: boolean } = {}): Promise<Opinion[]> {
  const { user, labels = false } = options;
  const rows = await store.all(
    `WITH named AS (
       SELECT lower(m.recording_mbid) AS mbid, min(i.key) AS key, min(a.key) AS artist_key
       FROM item_mbids m JOIN items i USING (item_id) JOIN artists a ON a.artist_id = i.artist_id
       WHERE m.recording_mbid IS NOT NULL AND i.track IS NOT NULL GROUP BY ALL),
     keyed AS (
       SELECT u.name AS user, f.target, ${TARGET_KEY_SQL} AS key, coalesce(f.artist_key, named.artist_key) AS artist_key,
         f.score, f.source, f.created_at, f.rowid AS row_order
       FROM feedback f JOIN users u USING (user_id) LEFT JOIN named ON named.mbid = lower(f.recording_mbid)
       ${user === undefined ? "" : "WHERE u.name = $user"}),
     current AS (
       SELECT * FROM keyed WHERE key IS NOT NULL
       QUALIFY row_number() OVER (PARTITION BY user, target, key ORDER BY created_at DESC NULLS LAST, row_order DESC) = 1)
     SELECT c.user, c.target, c.key, c.artist_key, c.score, c.source, strftime(c.created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at,
       ${labels ? "coalesce(CASE WHEN c.target = 'artist' THEN ar.name ELSE ta.name || ' – ' || it.track END, c.key)" : "NULL"} AS label
     FROM current c
     ${labels ? `LEFT JOIN artists ar ON c.target = 'artist' AND ar.key = c.key
       LEFT JOIN items it ON c.target = 'track' AND it.key = c.key AND it.track IS NOT NULL
       LEFT JOIN artists ta ON ta.artist_id = it.artist_id` : ""}
     WHERE c.score <> 0
     ORDER BY c.user, c.created_at DESC NULLS LAST, c.key`,
    user === undefined ? undefined : { user },
  );
  return rows.map((row) => ({
    user: String(row.user),
    target: row.target === "artist" ? "artist" : "track",
    key: String(row.key),
    artistKey: row.artist_key == null ? null : String(row.artist_key),
    score: Number(row.score) > 0 ? 1 : -1,
    source: String(row.source),
    createdAt: row.created_at == null ? null : String(row.created_at),
    ...(row.label != null && { label: String(row.label) }),
  }));
}

/** Keys (item key and artist key) of the items `user` played at or after `since`; undated plays never count. */
export async function playedSince(store: Store, user: string, since: Date): Promise<{ itemKey: string; artistKey: string }[]> {
  return (await everyonePlayedSince(store, since, user)).get(user) ?? [];
}

/** playedSince for every listener (or one), by listener name. */
export async function everyonePlayedSince(store: Store, since: Date, user?: string): Promise<Map<string, { itemKey: string; artistKey: string }[]>> {
  const rows = await store.all(
    `SELECT DISTINCT u.name AS user, i.key AS item_key, a.key AS artist_key
     FROM events e JOIN users u USING (user_id) JOIN items i USING (item_id) JOIN artists a ON a.artist_id = i.artist_id
     WHERE e.played_at >= make_timestamp($micros::BIGINT) ${user === undefined ? "" : "AND u.name = $user"}`,
    { micros: String(Math.trunc(since.getTime()) * 1000), ...(user !== undefined && { user }) },
  );
  const byUser = new Map<string, { itemKey: string; artistKey: string }[]>();
  for (const row of rows) {
    const name = String(row.user);
    const list = byUser.get(name) ?? [];
    list.push({ itemKey: String(row.item_key), artistKey: String(row.artist_key) });
    byUser.set(name, list);
  }
  return byUser;
}

/** The store's listener names (for "did you mean" on an unknown one). */
export async function listenerNames(store: Store): Promise<string[]> {
  return (await store.all("SELECT name FROM users ORDER BY name")).map((row) => String(row.name));
}

export async function hasListener(store: Store, user: string): Promise<boolean> {
  return (await store.scalar("SELECT count(*) FROM users WHERE name = $user", { user })) !== 0;
}

/** A track or artist of the store, as a feedback target. */
export interface StoredTarget {
  target: FeedbackTarget;
  key: string;
  artistKey: string;
  artist: string;
  /** Null for an artist. */
  track: string | null;
}

/** Tracks (items with a title) whose item key is one of `keys`, in the order of `keys`. */
export async function tracksByKey(store: Store, keys: readonly string[]): Promise<StoredTarget[]> {
  if (keys.length === 0) return [];
  const rows = await store.all(
    `SELECT i.key, a.key AS artist_key, a.name AS artist, i.track FROM items i JOIN artists a ON a.artist_id = i.artist_id
     WHERE i.track IS NOT NULL AND i.key IN (${keys.map(sqlString).join(", ")})`,
  );
  const found = new Map(rows.map((row) => [String(row.key), row]));
  return keys.flatMap((key) => {
    const row = found.get(key);
    return row ? [{ target: "track" as const, key, artistKey: String(row.artist_key), artist: String(row.artist), track: String(row.track) }] : [];
  });
}

/** The artist with this artist key, or null. */
export async function artistByKey(store: Store, key: string): Promise<StoredTarget | null> {
  const rows = await store.all("SELECT key, name FROM artists WHERE key = $key LIMIT 1", { key });
  return rows.length === 0 ? null : { target: "artist", key: String(rows[0].key), artistKey: String(rows[0].key), artist: String(rows[0].name), track: null };
}

/** Every artist name of the store (for "did you mean"). */
export async function artistNames(store: Store): Promise<string[]> {
  return (await store.all("SELECT name FROM artists")).map((row) => String(row.name));
}

/** "Artist - Track" of every track of the artists with these keys (for "did you mean"). */
export async function trackNamesOf(store: Store, artistKeys: readonly string[]): Promise<string[]> {
  if (artistKeys.length === 0) return [];
  const rows = await store.all(
    `SELECT a.name || ' - ' || i.track AS label FROM items i JOIN artists a ON a.artist_id = i.artist_id
     WHERE i.track IS NOT NULL AND a.key IN (${artistKeys.map(sqlString).join(", ")})`,
  );
  return rows.map((row) => String(row.label));
}

/**
 * The store's tables. One schema serves scrobbles (track-level items, one event per play with
 * its timestamp) and play-count datasets such as HetRec (artist-level items, one event per
 * user–artist pair, no timestamp, `plays` = the count).
 *
 * Ids are dense and assigned in insertion order (0..n-1), so they double as array indices.
 * Events, items and artists carry no index on purpose: an ART index costs more than the rest of
 * the write (1.4 s vs 0.2 s for 1M item keys); the import keeps ids and keys unique itself (it only
 * inserts keys NOT IN the table, grouped) and deduplicates events with an anti-join.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS imports (
  import_id INTEGER PRIMARY KEY,
  source VARCHAR NOT NULL,
  format VARCHAR NOT NULL,
  synthetic BOOLEAN NOT NULL,
  imported_at TIMESTAMP NOT NULL,
  events_added BIGINT NOT NULL,
  duplicates BIGINT NOT NULL,
  rejected BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (user_id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS artists (artist_id INTEGER NOT NULL, key VARCHAR NOT NULL, name VARCHAR NOT NULL);
-- track IS NULL: an artist-level item (key = the artist's key).
CREATE TABLE IF NOT EXISTS items (
  item_id INTEGER NOT NULL,
  key VARCHAR NOT NULL,
  artist_id INTEGER NOT NULL,
  track VARCHAR,
  album VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
  user_id INTEGER NOT NULL,
  item_id INTEGER NOT NULL,
  played_at TIMESTAMP,
  plays DOUBLE NOT NULL,
  import_id INTEGER NOT NULL
);
-- How often each raw spelling was seen, so display names follow the most common one across imports.
CREATE TABLE IF NOT EXISTS spellings (
  item_id INTEGER NOT NULL,
  artist VARCHAR NOT NULL,
  track VARCHAR,
  album VARCHAR,
  seen BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS artist_tags (artist_id INTEGER NOT NULL, tag VARCHAR NOT NULL, weight DOUBLE NOT NULL);
-- The local music library (musicrec library scan): one row per audio file, with the size and
-- modification time that decide whether a re-scan reads it again, its tags (NULL when unreadable:
-- then error says why), and the catalogue item it matched (item_key; matched_by 'mbid' or 'name').
CREATE TABLE IF NOT EXISTS library_files (
  path VARCHAR NOT NULL,
  size BIGINT NOT NULL,
  mtime_ms DOUBLE NOT NULL,
  artist VARCHAR,
  title VARCHAR,
  album VARCHAR,
  duration_ms DOUBLE,
  recording_mbid VARCHAR,
  artist_mbid VARCHAR,
  error VARCHAR,
  item_key VARCHAR,
  matched_by VARCHAR
);
-- MusicBrainz ids of catalogue items where an import's source knows them (src/ingest/item-mbids.ts:
-- lowercase, validated; one row per distinct triple); library matching tries them before names,
-- playlists write them as identifiers.
CREATE TABLE IF NOT EXISTS item_mbids (item_id INTEGER NOT NULL, recording_mbid VARCHAR, artist_mbid VARCHAR);
-- A listener's explicit opinion of a track or an artist (ListenBrainz loved/hated recordings today;
-- the CLI and the web app later). score: 1 = loved, -1 = hated / banned. A track is identified by
-- whatever is known: its item key (data/item-key.ts, when artist and title are known), its artist
-- key, its MusicBrainz recording id, its ListenBrainz recording msid; item_key need not be in items.
-- The newest row (created_at) per listener and target is the current opinion.
CREATE TABLE IF NOT EXISTS feedback (
  user_id INTEGER NOT NULL,
  score SMALLINT NOT NULL,
  target VARCHAR NOT NULL,
  item_key VARCHAR,
  artist_key VARCHAR,
  recording_mbid VARCHAR,
  recording_msid VARCHAR,
  source VARCHAR NOT NULL,
  created_at TIMESTAMP
);
-- Artists \`musicrec enrich tags\` asked a source about, also when it had no tags (a re-run skips them).
CREATE TABLE IF NOT EXISTS artist_tag_lookups (
  artist_id INTEGER NOT NULL,
  source VARCHAR NOT NULL,
  looked_up_at TIMESTAMP NOT NULL,
  tags INTEGER NOT NULL
);
-- Accounts \`musicrec sync\` pulls listens from (a bare \`musicrec sync\` refreshes them all) and how far
-- each got: every listen at or before synced_until (Unix seconds) is stored; walk is the paging
-- position (JSON) of a sync that has not finished yet, committed with each page it stored.
CREATE TABLE IF NOT EXISTS sync_accounts (
  service VARCHAR NOT NULL,
  api_url VARCHAR NOT NULL,
  account VARCHAR NOT NULL,
  listener VARCHAR NOT NULL,
  synced_until BIGINT,
  walk VARCHAR,
  last_synced TIMESTAMP
);
`;

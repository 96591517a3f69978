/**
 * The in-memory form of a listening history that every model and the evaluation work on.
 *
 * Users and items are dense indices (0..n-1) into the name/catalogue arrays; one entry per
 * distinct (user, item) pair, with its play count and the first/last time it was played.
 * Columnar typed arrays, never an object per pair: Last.fm-1K size data is ~millions of pairs.
 */
export type ItemLevel = "track" | "artist";

export interface ItemCatalog {
  /** "track": an item is artist + track; "artist": an item is an artist. */
  level: ItemLevel;
  /** Normalised identity key, stable across imports (case/whitespace-insensitive). */
  keys: string[];
  /** Display spellings (the most common one seen). */
  artists: string[];
  /** Track title, or null for artist-level items. */
  tracks: (string | null)[];
  /** Most common album, or null when unknown. */
  albums: (string | null)[];
  /** Dense artist index of each item (items of one artist share it), for per-artist limits. */
  artistIndex: Int32Array;
  /** Tags of each item's artist, most-weighted first (empty when the data has none). */
  tags: string[][];
}

export interface Interactions {
  userNames: string[];
  catalog: ItemCatalog;
  /** Parallel arrays, one entry per distinct (user, item) pair. */
  userIdx: Int32Array;
  itemIdx: Int32Array;
  plays: Float32Array;
  /** Epoch milliseconds of the first and last play, NaN when the data has no timestamps. */
  firstPlayed: Float64Array;
  lastPlayed: Float64Array;
}

export const itemCount = (data: Interactions): number => data.catalog.keys.length;
export const userCount = (data: Interactions): number => data.userNames.length;

/** "Artist – Track" for tracks, "Artist" for artists. */
export function itemLabel(catalog: ItemCatalog, item: number): string {
  const track = catalog.tracks[item];
  return track == null ? catalog.artists[item] : `${catalog.artists[item]} – ${track}`;
}

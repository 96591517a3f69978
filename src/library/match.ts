/**
 * Which catalogue items the library has: MusicBrainz ids first (where the catalogue knows them),
 * then the song key (src/data/song-key.ts: case, accents, "feat.", version suffixes, "The").
 * Every catalogue item whose song key a file has counts as owned (a library "Song" owns the
 * catalogue's "Song - Remastered 2011" too) and points at that file; each file reports the first
 * item it matched, for the match rate.
 *
 * Cost: one song key per distinct catalogue artist name, and one per item only for artists the
 * library has, so matching a few thousand files against a million-item catalogue stays cheap.
 */
import type { ItemLevel } from "../data/interactions.js";
import { songKey } from "../data/song-key.js";

/** The part of a catalogue that matching reads (an ItemCatalog is one). */
export interface MatchCatalog {
  level: ItemLevel;
  keys: readonly string[];
  artists: readonly string[];
  tracks: readonly (string | null)[];
}

export interface MatchableFile {
  artist: string | null;
  title: string | null;
  recordingMbid: string | null;
  artistMbid: string | null;
}

/** Catalogue items by MusicBrainz id: recording ids for track-level, artist ids for artist-level catalogues. */
export type ItemsByMbid = ReadonlyMap<string, number>;

export const MATCHED_BY = ["none", "mbid", "name"] as const;
export type MatchedBy = (typeof MATCHED_BY)[number];

export interface LibraryMatch {
  /** Per file: the catalogue item it matched, or -1. */
  itemOfFile: Int32Array;
  /** Per file: index into MATCHED_BY. */
  matchedBy: Uint8Array;
  /** Per catalogue item: a library file that has it, or -1. */
  fileOfItem: Int32Array;
}

const mbidOf = (file: MatchableFile, level: ItemLevel) => (level === "artist" ? file.artistMbid : file.recordingMbid)?.toLowerCase() ?? null;

export function matchLibrary(catalog: MatchCatalog, files: readonly MatchableFile[], itemsByMbid: ItemsByMbid = new Map()): LibraryMatch {
  const trackLevel = catalog.level === "track";
  const itemOfFile = new Int32Array(files.length).fill(-1);
  const matchedBy = new Uint8Array(files.length);
  const fileOfItem = new Int32Array(catalog.keys.length).fill(-1);

  const fileKeys = files.map((f) => (f.artist && (f.title || !trackLevel) ? songKey(f.artist, trackLevel ? f.title : null) : null));
  const libraryArtists = new Set(files.flatMap((f) => (f.artist ? [songKey(f.artist, null)] : [])));
  const itemsBySong = new Map<string, number[]>();
  const artistPart = new Map<string, string>();
  for (let item = 0; item < catalog.keys.length; item++) {
    const artist = catalog.artists[item];
    let part = artistPart.get(artist);
    if (part === undefined) artistPart.set(artist, (part = songKey(artist, null)));
    if (!libraryArtists.has(part)) continue;
    const key = trackLevel ? songKey(artist, catalog.tracks[item] ?? "") : part;
    const items = itemsBySong.get(key);
    if (items) items.push(item);
    else itemsBySong.set(key, [item]);
  }

  files.forEach((file, f) => {
    const mbid = mbidOf(file, catalog.level);
    const byId = mbid ? itemsByMbid.get(mbid) : undefined;
    const byName = fileKeys[f] ? (itemsBySong.get(fileKeys[f]) ?? []) : [];
    if (byId !== undefined) {
      itemOfFile[f] = byId;
      matchedBy[f] = 1;
      if (fileOfItem[byId] < 0) fileOfItem[byId] = f;
    } else if (byName.length > 0) {
      itemOfFile[f] = byName[0];
      matchedBy[f] = 2;
    }
    for (const item of byName) if (fileOfItem[item] < 0) fileOfItem[item] = f;
  });
  return { itemOfFile, matchedBy, fileOfItem };
}

/**
 * Playlist tracks from any ordered list of catalogue items (recommendations, a radio), with what
 * the library and the catalogue know of each: the file, its duration, MusicBrainz ids.
 */
import type { ItemCatalog } from "../data/interactions.js";
import type { PlaylistTrack } from "../playlists/playlist.js";
import type { LibraryIndex } from "./library-index.js";

export interface PlaylistItem {
  item: number;
  /** Why it is in the playlist ("because you played …"), if anything. */
  annotation?: string | null;
}

export function playlistTracks(catalog: ItemCatalog, items: readonly PlaylistItem[], library: LibraryIndex | null): PlaylistTrack[] {
  return items.map(({ item, annotation }) => {
    const local = library?.trackInfo(item);
    return {
      artist: catalog.artists[item],
      title: catalog.tracks[item],
      album: catalog.albums[item],
      durationMs: local?.durationMs ?? null,
      recordingMbid: local?.recording ?? null,
      artistMbid: local?.artist ?? null,
      file: local?.file ?? null,
      annotation: annotation ?? null,
    };
  });
}

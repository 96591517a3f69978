/**
 * A playlist as the formats see it: an ordered list of tracks with what is known about each
 * (names always; MusicBrainz ids, duration and a local file when the library or the catalogue has
 * them). Built from any ordered list of items — recommendations, a radio — by the caller.
 */
export interface PlaylistTrack {
  artist: string;
  /** Null for an artist-level item (a playlist of artists, e.g. from HetRec). */
  title: string | null;
  album: string | null;
  /** Length in milliseconds when known (from a library file). */
  durationMs: number | null;
  /** MusicBrainz recording id (a UUID) when known. */
  recordingMbid: string | null;
  /** MusicBrainz artist id (a UUID) when known. */
  artistMbid: string | null;
  /** Absolute path of the matching file in the local library, when there is one. */
  file: string | null;
  /** Why the track is here ("because you played …"), when known. */
  annotation: string | null;
}

export interface Playlist {
  title: string;
  /** What the playlist is: for whom, from which model, when. */
  annotation: string;
  /** The program that made it. */
  creator: string;
  /** When it was made. */
  date: Date;
  tracks: PlaylistTrack[];
}

/** A serialised playlist and the tracks the format had to leave out (e.g. not in the library). */
export interface SerializedPlaylist {
  text: string;
  /** Tracks written. */
  written: number;
  /** Tracks left out, and why (one reason per format). */
  leftOut: number;
  leftOutReason: string | null;
}

/** "Artist - Title" (or "Artist" for an artist-level track). */
export function trackLabel(track: PlaylistTrack): string {
  return track.title == null ? track.artist : `${track.artist} - ${track.title}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a well-formed MusicBrainz id; malformed tag values are never written as identifiers. */
export function isMbid(value: string | null): value is string {
  return value != null && UUID.test(value);
}

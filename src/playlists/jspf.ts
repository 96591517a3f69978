/**
 * JSPF, the JSON form of XSPF (https://xspf.org/jspf), as ListenBrainz reads and writes it
 * (https://musicbrainz.org/doc/jspf): a track's `identifier` is one MusicBrainz recording URL
 * (a string, not XSPF's list: ListenBrainz's import reads it as a string), the playlist carries
 * the `https://musicbrainz.org/doc/jspf#playlist` extension with `public` (required by its
 * create API) and tracks the `…#track` extension with their artists' MusicBrainz URLs.
 *
 * ListenBrainz refuses a whole playlist when one track lacks a recording id, so by default only
 * tracks with one are written (the others are counted); `allTracks` keeps them all, for other tools.
 */
import { pathToFileURL } from "node:url";
import { isMbid, type Playlist, type PlaylistTrack, type SerializedPlaylist } from "./playlist.js";

export const JSPF_PLAYLIST_EXTENSION = "https://musicbrainz.org/doc/jspf#playlist";
export const JSPF_TRACK_EXTENSION = "https://musicbrainz.org/doc/jspf#track";
export const RECORDING_URL = "https://musicbrainz.org/recording/";
export const ARTIST_URL = "https://musicbrainz.org/artist/";

export interface JspfOptions {
  /** Also write tracks without a MusicBrainz recording id (ListenBrainz will not import the result). */
  allTracks?: boolean;
}

function jspfTrack(track: PlaylistTrack): Record<string, unknown> {
  const out: Record<string, unknown> = { title: track.title ?? track.artist, creator: track.artist };
  if (track.album) out.album = track.album;
  if (track.durationMs != null) out.duration = Math.round(track.durationMs);
  if (isMbid(track.recordingMbid)) out.identifier = `${RECORDING_URL}${track.recordingMbid.toLowerCase()}`;
  if (track.file) out.location = [pathToFileURL(track.file).href];
  if (track.annotation) out.annotation = track.annotation;
  if (isMbid(track.artistMbid)) {
    out.extension = { [JSPF_TRACK_EXTENSION]: { artist_identifiers: [`${ARTIST_URL}${track.artistMbid.toLowerCase()}`] } };
  }
  return out;
}

export function toJspf(playlist: Playlist, options: JspfOptions = {}): SerializedPlaylist {
  const tracks = options.allTracks ? playlist.tracks : playlist.tracks.filter((t) => isMbid(t.recordingMbid));
  const document = {
    playlist: {
      title: playlist.title,
      creator: playlist.creator,
      annotation: playlist.annotation,
      date: playlist.date.toISOString(),
      extension: { [JSPF_PLAYLIST_EXTENSION]: { public: false } },
      track: tracks.map(jspfTrack),
    },
  };
  const leftOut = playlist.tracks.length - tracks.length;
  return {
    text: `${JSON.stringify(document, null, 2)}\n`,
    written: tracks.length,
    leftOut,
    leftOutReason: leftOut > 0 ? "no MusicBrainz recording id (ListenBrainz needs one on every track)" : null,
  };
}

/** The playlist formats by name: file extension, media type and serializer. */
import { toJspf } from "./jspf.js";
import { toM3u8 } from "./m3u8.js";
import type { Playlist, SerializedPlaylist } from "./playlist.js";
import { toXspf } from "./xspf.js";

export const PLAYLIST_FORMATS = ["jspf", "xspf", "m3u8"] as const;
export type PlaylistFormat = (typeof PLAYLIST_FORMATS)[number];

export interface SerializeOptions {
  /** JSPF: also tracks without a MusicBrainz recording id. */
  allTracks?: boolean;
  /** M3U8: paths relative to this folder. */
  relativeTo?: string;
}

export interface PlaylistFormatInfo {
  extension: string;
  /** Media type for HTTP downloads. */
  contentType: string;
  serialize(playlist: Playlist, options: SerializeOptions): SerializedPlaylist;
}

export const PLAYLIST_FORMAT_INFO: Record<PlaylistFormat, PlaylistFormatInfo> = {
  jspf: { extension: "jspf", contentType: "application/jspf+json; charset=utf-8", serialize: (p, o) => toJspf(p, o) },
  xspf: { extension: "xspf", contentType: "application/xspf+xml; charset=utf-8", serialize: (p) => toXspf(p) },
  m3u8: { extension: "m3u8", contentType: "audio/x-mpegurl; charset=utf-8", serialize: (p, o) => toM3u8(p, o) },
};

export function isPlaylistFormat(value: string): value is PlaylistFormat {
  return (PLAYLIST_FORMATS as readonly string[]).includes(value);
}

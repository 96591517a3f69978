/**
 * Extended M3U in UTF-8 (.m3u8): `#EXTM3U`, a `#PLAYLIST:` title, then per track
 * `#EXTINF:<seconds>,Artist - Title` and the path of the local file. Only tracks with a matched
 * library file can be played from it, so the others are left out and counted. Paths are absolute,
 * or relative to the playlist's folder (`relativeTo`) so the playlist and the music can move together.
 * Line breaks in names would start a new entry, so they become spaces.
 */
import path from "node:path";
import { trackLabel, type Playlist, type SerializedPlaylist } from "./playlist.js";

export interface M3u8Options {
  /** Write paths relative to this folder (the playlist's), else absolute. */
  relativeTo?: string;
}

const oneLine = (text: string) => text.replace(/[\r\n\u0085\u2028\u2029]+/g, " ");

export function toM3u8(playlist: Playlist, options: M3u8Options = {}): SerializedPlaylist {
  const lines = ["#EXTM3U", `#PLAYLIST:${oneLine(playlist.title)}`, `# ${oneLine(playlist.annotation)}`];
  let written = 0;
  for (const track of playlist.tracks) {
    // A path with a line break cannot be written as one M3U line at all.
    if (!track.file || /[\r\n]/.test(track.file)) continue;
    const seconds = track.durationMs == null ? -1 : Math.round(track.durationMs / 1000);
    const file = options.relativeTo ? path.relative(options.relativeTo, track.file) : track.file;
    lines.push(`#EXTINF:${seconds},${oneLine(trackLabel(track))}`, file);
    written++;
  }
  const leftOut = playlist.tracks.length - written;
  return { text: `${lines.join("\n")}\n`, written, leftOut, leftOutReason: leftOut > 0 ? "not in the local library" : null };
}

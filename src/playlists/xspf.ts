/**
 * XSPF 1 (https://xspf.org/spec), the XML playlist players open (VLC, foobar2000 with its XSPF
 * component, Strawberry/Clementine, Jellyfin). Every track is written: `location` is the local file
 * when the library has one, `identifier` the MusicBrainz recording, and creator/title/album let a
 * player that resolves by metadata find the rest. All text is escaped, and characters XML 1.0
 * cannot carry at all (control characters) are dropped.
 */
import { pathToFileURL } from "node:url";
import { RECORDING_URL } from "./jspf.js";
import { isMbid, type Playlist, type PlaylistTrack, type SerializedPlaylist } from "./playlist.js";

// A literal CR would be read back as LF (XML end-of-line handling), so it is written as a reference.
const XML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;", "\r": "&#13;" };
// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, "").replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]);
}

const element = (name: string, value: string | number, indent: string) => `${indent}<${name}>${escapeXml(String(value))}</${name}>\n`;

function xspfTrack(track: PlaylistTrack): string {
  const indent = "      ";
  let out = "    <track>\n";
  if (track.file) out += element("location", pathToFileURL(track.file).href, indent);
  if (isMbid(track.recordingMbid)) out += element("identifier", `${RECORDING_URL}${track.recordingMbid.toLowerCase()}`, indent);
  out += element("title", track.title ?? track.artist, indent);
  out += element("creator", track.artist, indent);
  if (track.annotation) out += element("annotation", track.annotation, indent);
  if (track.album) out += element("album", track.album, indent);
  if (track.durationMs != null) out += element("duration", Math.round(track.durationMs), indent);
  return `${out}    </track>\n`;
}

export function toXspf(playlist: Playlist): SerializedPlaylist {
  const text =
    `<?xml version="1.0" encoding="UTF-8"?>\n<playlist version="1" xmlns="http://xspf.org/ns/0/">\n` +
    element("title", playlist.title, "  ") +
    element("creator", playlist.creator, "  ") +
    element("annotation", playlist.annotation, "  ") +
    element("date", playlist.date.toISOString(), "  ") +
    `  <trackList>\n${playlist.tracks.map(xspfTrack).join("")}  </trackList>\n</playlist>\n`;
  return { text, written: playlist.tracks.length, leftOut: 0, leftOutReason: null };
}

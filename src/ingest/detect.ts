import fs from "node:fs";
import path from "node:path";
import { UserError } from "../util/errors.js";
import { delimitedHead, readHeadBytes, splitDelimitedLine } from "./csv.js";
import type { FormatName } from "./formats.js";
import { isHetrecFolder } from "./hetrec.js";
import { isListenbrainzExportFolder, isZipFile } from "./listenbrainz-export.js";
import { isKaggleHeader } from "./sources/kaggle.js";
import { delimitedLayout } from "./sources/lastfm-export.js";
import { lfm1kLine } from "./sources/lfm1k.js";
import { isLfm360kLine } from "./lfm360k.js";
import { SYNTHETIC_MARKER_SUFFIX } from "./synthetic-marker.js";
import { decodeText, encodingLabel } from "./text-encoding.js";

const DATA_EXTENSIONS = new Set([".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".listens"]);

export interface Input {
  path: string;
  format: FormatName;
}

/**
 * Expands the paths given to `musicrec import` into inputs with their formats: a HetRec folder and
 * a ListenBrainz export (zip, or its unpacked folder) are one input each, any other folder
 * contributes the data files below it; `format` overrides detection of plain files.
 */
export function resolveInputs(paths: string[], format?: FormatName): Input[] {
  const inputs: Input[] = [];
  for (const given of paths) {
    const resolved = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolved);
    } catch (error) {
      throw new UserError(`cannot read ${given}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (stat.isDirectory()) {
      const found = folderInputs(resolved, format);
      if (found.length === 0) throw new UserError(`${given}: folder has no data files (.csv, .tsv, .json, .jsonl, .listens) and is not a HetRec folder`);
      inputs.push(...found);
    } else if (format === "hetrec") {
      throw new UserError(`${given}: the hetrec format is a folder (with user_artists.dat, artists.dat, ...), not a file`);
    } else if (stat.size > 0 && isZipFile(resolved)) {
      inputs.push({ path: resolved, format: "listenbrainz-export" });
    } else if (format === "listenbrainz-export") {
      throw new UserError(`${given}: the listenbrainz-export format is the export's zip (or the folder it unpacks to), not a single file`);
    } else {
      inputs.push({ path: resolved, format: format ?? detectFormat(resolved) });
    }
  }
  return inputs;
}

/**
 * A HetRec folder or an unpacked ListenBrainz export is one input; any other folder contributes
 * its data files and those of its subfolders, in name order.
 */
function folderInputs(folder: string, format: FormatName | undefined): Input[] {
  if (format === "hetrec" || (format == null && isHetrecFolder(folder))) return [{ path: folder, format: "hetrec" }];
  if (isListenbrainzExportFolder(folder)) return [{ path: folder, format: "listenbrainz-export" }];
  const inputs: Input[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name.endsWith(SYNTHETIC_MARKER_SUFFIX)) continue;
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) inputs.push(...folderInputs(entryPath, format));
    else if (entry.isFile() && DATA_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      inputs.push({ path: entryPath, format: format ?? detectFormat(entryPath) });
    }
  }
  return inputs;
}

/** What detection looks for, named in the error for a file that fits none of it. */
const JSON_TRIED =
  "lastfm-api (recenttracks or recentTracks), listenbrainz-api (payload.listens or listens), listenbrainz (listened_at or timestamp + track_metadata; a listen_type submission), spotify (ts + master_metadata_track_name, or endTime + msPlayed), " +
  "maloja (scrobbles), panoscrobbler (timeMs), listenbrainz-feedback (score + recording_msid/recording_mbid)";
const TEXT_TRIED =
  "kaggle (,Username,Artist,Track,Album,Date,Time), lastfm-export / librefm (a header naming artist, track/title/song and a time/date/uts/timestamp column, " +
  "or 4 columns artist,album,track,date), lfm1k (6 tab-separated fields with an ISO time, header optional), " +
  "lfm360k (4 tab-separated fields: a 40-hex user, artist MBID, artist, plays)";

/** Detects the format of one file from its first bytes (JSON keys, header names, column shapes). */
export function detectFormat(file: string): FormatName {
  const head = readHeadBytes(file);
  const text = decodeText(head.bytes, head.guess);
  const trimmed = text.trimStart();
  if (trimmed === "") throw new UserError(`${file}: the file is empty`);
  if (/[\u0000-\u0008\u000e-\u001a]/.test(text.slice(0, 4096))) {
    throw new UserError(`${file}: not a text file (it holds binary data); expected a listening-history export`);
  }
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return detectJson(file, trimmed);
  const lines = text.split(/\r?\n/);
  const first = lfm1kLine(lines[0]);
  if (first === "record" || (first === "header" && lfm1kLine(lines[1] ?? "") === "record")) return "lfm1k";
  if (isLfm360kLine(lines[0])) return "lfm360k";
  const delimited = delimitedHead(text);
  if (isKaggleHeader(splitDelimitedLine(delimited.firstLine, delimited.delimiter))) return "kaggle";
  const layout = delimitedLayout(delimited);
  if (layout != null) return delimited.commentLines > 0 && /^(\+ACM-|#)/.test(lines[0]) ? "librefm" : "lastfm-export";
  const separator = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "bar" }[delimited.delimiter];
  throw new UserError(
    `${file}: unknown format (read as ${encodingLabel(head.guess.encoding)}, ${separator}-separated; first line: ${JSON.stringify(delimited.firstLine.slice(0, 120))}); ` +
      `tried ${TEXT_TRIED}; use --format`,
  );
}

function detectJson(file: string, head: string): FormatName {
  // Saved API pages first: their records carry the export keys too. An API response's payload is an
  // object; a saved listen submission's ({"listen_type", "payload": [...]}) is an array.
  if (/"(recenttracks|recentTracks)"\s*:/.test(head)) return "lastfm-api";
  if (/"payload"\s*:\s*\{/.test(head) || /"listens"\s*:\s*\[/.test(head)) return "listenbrainz-api";
  if (/"(listened_at|track_metadata|listen_type)"/.test(head)) return "listenbrainz";
  if (/"(master_metadata_track_name|msPlayed|ms_played)"/.test(head)) return "spotify";
  if (/"(maloja|scrobbles)"\s*:/.test(head)) return "maloja";
  if (/"timeMs"\s*:/.test(head)) return "panoscrobbler";
  if (/"score"\s*:/.test(head) && /"recording_m[bs]id"/.test(head)) return "listenbrainz-feedback";
  if (/"username"\s*:/.test(head) && /"user_id"\s*:/.test(head) && head.length < 1000) {
    throw new UserError(`${file}: the account file of a ListenBrainz export: import the whole export (the zip, or the folder it unpacks to)`);
  }
  throw new UserError(`${file}: unknown JSON format; tried ${JSON_TRIED}; use --format`);
}

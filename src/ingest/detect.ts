import fs from "node:fs";
import path from "node:path";
import { UserError } from "../util/errors.js";
import { readHead, splitDelimitedLine } from "./csv.js";
import type { FormatName } from "./formats.js";
import { isHetrecFolder } from "./hetrec.js";
import { lastfmExportLayout } from "./sources/lastfm-export.js";
import { SYNTHETIC_MARKER_SUFFIX } from "./synthetic-marker.js";

const DATA_EXTENSIONS = new Set([".csv", ".tsv", ".json", ".jsonl", ".ndjson"]);
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export interface Input {
  path: string;
  format: FormatName;
}

/**
 * Expands the paths given to `musicrec import` into inputs with their formats: a HetRec folder is
 * one input, any other folder contributes the data files below it; `format` overrides detection.
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
      if (found.length === 0) throw new UserError(`${given}: folder has no data files (.csv, .tsv, .json, .jsonl) and is not a HetRec folder`);
      inputs.push(...found);
    } else if (format === "hetrec") {
      throw new UserError(`${given}: the hetrec format is a folder (with user_artists.dat, artists.dat, ...), not a file`);
    } else {
      inputs.push({ path: resolved, format: format ?? detectFormat(resolved) });
    }
  }
  return inputs;
}

/**
 * A HetRec folder is one input; any other folder contributes its data files and those of its
 * subfolders (a ListenBrainz export unzips to listens/<year>/<month>.jsonl), in name order.
 */
function folderInputs(folder: string, format: FormatName | undefined): Input[] {
  if (format === "hetrec" || (format == null && isHetrecFolder(folder))) return [{ path: folder, format: "hetrec" }];
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

/** Detects the format of one file from its first bytes (JSON keys, header names, column shapes). */
export function detectFormat(file: string): FormatName {
  const head = readHead(file);
  const trimmed = head.trimStart();
  if (trimmed === "") throw new UserError(`${file}: the file is empty`);
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    if (/"(listened_at|track_metadata)"/.test(head)) return "listenbrainz";
    if (/"master_metadata_track_name"|"msPlayed"/.test(head)) return "spotify";
    throw new UserError(`${file}: unknown JSON format (neither a ListenBrainz nor a Spotify streaming history export); use --format`);
  }
  const firstLine = head.split(/\r?\n/, 1)[0];
  const tabFields = firstLine.split("\t");
  if (tabFields.length >= 6 && ISO_TIMESTAMP.test(tabFields[1])) return "lfm1k";
  const fields = splitDelimitedLine(firstLine, ",").map((field) => field.trim().toLowerCase());
  if (["username", "artist", "track", "date", "time"].every((name) => fields.includes(name))) return "kaggle";
  if (lastfmExportLayout(firstLine) != null) return "lastfm-export";
  throw new UserError(`${file}: unknown format (first line: ${JSON.stringify(firstLine.slice(0, 120))}); use --format`);
}

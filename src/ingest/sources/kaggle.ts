import { UserError } from "../../util/errors.js";
import { delimitedHead, readHead, splitDelimitedLine } from "../csv.js";
import { delimitedSource, requireDelimitedLayout } from "./lastfm-export.js";
import type { ScrobbleSource, SourceOptions } from "./source.js";

const REQUIRED = ["username", "artist", "track", "date", "time"] as const;

/** True when a header line is the Kaggle dataset's (`,Username,Artist,Track,Album,Date,Time`). */
export function isKaggleHeader(fields: string[]): boolean {
  const names = fields.map((name) => name.trim().toLowerCase());
  return REQUIRED.every((name) => names.includes(name));
}

/**
 * The Kaggle "Last.fm dataset": `,Username,Artist,Track,Album,Date,Time`, date like `31 Jan 2021`,
 * time with a leading space (` 23:36`), RFC 4180 quoting. Columns are found by header name (also
 * when a spreadsheet re-saved it with `;`); the rows read like any multi-user scrobble CSV.
 */
export function kaggleSource(options: SourceOptions): ScrobbleSource {
  const text = readHead(options.path);
  if (text.trim() === "") throw new UserError(`${options.path}: the file is empty`);
  const head = delimitedHead(text);
  const names = splitDelimitedLine(head.firstLine, head.delimiter).map((name) => name.trim().toLowerCase());
  const missing = REQUIRED.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new UserError(`${options.path}: missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (kaggle format)`);
  }
  return delimitedSource(options, requireDelimitedLayout(options.path));
}

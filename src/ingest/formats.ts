import { UserError } from "../util/errors.js";

/** Every input format `musicrec import` understands (see docs/ingest.md). */
export const FORMAT_NAMES = [
  "kaggle",
  "lastfm-export",
  "hetrec",
  "lfm1k",
  "lfm360k",
  "listenbrainz",
  "spotify",
  "librefm",
  "maloja",
  "panoscrobbler",
  "listenbrainz-feedback",
  "listenbrainz-export",
  "listenbrainz-api",
  "lastfm-api",
] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export function parseFormatName(text: string): FormatName {
  const name = text.trim().toLowerCase();
  if ((FORMAT_NAMES as readonly string[]).includes(name)) return name as FormatName;
  throw new UserError(`unknown format "${text}": expected one of ${FORMAT_NAMES.join(", ")}`);
}

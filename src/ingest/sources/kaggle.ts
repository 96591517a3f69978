import { UserError } from "../../util/errors.js";
import { readCsvSql, readFirstLine, splitDelimitedLine } from "../csv.js";
import { otherUserSkipSql, type ScrobbleSource, type SourceOptions } from "./source.js";

const REQUIRED = ["username", "artist", "track", "date", "time"] as const;

/**
 * The Kaggle "Last.fm dataset": `,Username,Artist,Track,Album,Date,Time`, date like `31 Jan 2021`,
 * time with a leading space (` 23:36`), RFC 4180 quoting, UTF-8. Columns are found by header name.
 */
export function kaggleSource(options: SourceOptions): ScrobbleSource {
  const header = splitDelimitedLine(readFirstLine(options.path), ",").map((name) => name.trim().toLowerCase());
  const column = (name: string) => header.indexOf(name);
  const missing = REQUIRED.filter((name) => column(name) < 0);
  if (missing.length > 0) {
    throw new UserError(`${options.path}: missing required column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (kaggle format)`);
  }
  const reader = readCsvSql({
    path: options.path,
    columns: header.map((_, index) => [`c${index}`, "VARCHAR"]),
    delimiter: ",",
    quote: '"',
    header: true,
    rejectsTable: options.rejectsTable,
  });
  const c = (name: string) => `c${column(name)}`;
  return {
    select: `SELECT ${c("username")} AS user_name, ${c("artist")} AS artist, ${c("track")} AS track,
      ${column("album") >= 0 ? c("album") : "NULL"} AS album,
      try_strptime(trim(${c("date")}) || ' ' || trim(${c("time")}), ['%d %b %Y %H:%M', '%d %b %Y %H:%M:%S']) AS played_at,
      concat_ws(',', ${c("date")}, ${c("time")}) AS time_text, ${otherUserSkipSql(c("username"), options.user)} AS skip, NULL AS invalid
      FROM ${reader}`,
    rejectsTable: options.rejectsTable,
    headerLines: 1,
  };
}

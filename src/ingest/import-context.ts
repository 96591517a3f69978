import type { DuckDBConnection } from "@duckdb/node-api";
import type { Progress } from "../util/progress.js";
import type { FormatName } from "./formats.js";
import type { MbidReport } from "./item-mbids.js";
import type { RejectReport } from "./rejects.js";

/** What one importer gets: the store connection (inside the import's transaction) and one input. */
export interface ImportContext {
  connection: DuckDBConnection;
  path: string;
  importId: number;
  /** --user: the listener of single-user exports. */
  user?: string;
  progress: Progress;
}

/** The outcome of importing one input (file, or folder for HetRec). */
export interface FileImport {
  source: string;
  format: FormatName;
  /** Plays added to the store (events, and undated plays counted one by one). */
  imported: number;
  /** Valid rows that were already in the store (or repeated within the input). */
  duplicates: number;
  /** Rows deliberately not imported (e.g. Spotify plays under 30 s, podcasts), by reason. */
  skipped: Record<string, number>;
  rejected: RejectReport;
  /** Distinct users and items in the input. */
  users: number;
  items: number;
  /** Usable plays without a date (timestamp 0) in the input: stored as undated plays. */
  undated?: number;
  /** MusicBrainz ids recorded for the input's items, and malformed ones (when the input had any). */
  mbids?: MbidReport;
  /** The text encoding the input was read in, when it was not UTF-8. */
  encoding?: string;
}

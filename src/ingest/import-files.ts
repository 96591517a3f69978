import fs from "node:fs";
import { silentProgress, type Progress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import type { Store } from "../store/store.js";
import { resolveInputs, type Input } from "./detect.js";
import type { FormatName } from "./formats.js";
import { importHetrec } from "./hetrec.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { importScrobbles } from "./import-scrobbles.js";
import { importLfm360k } from "./lfm360k.js";
import { exportMembers, isZipFile, unpackExport, type ExportMember } from "./listenbrainz-export.js";
import { importListenbrainzFeedback } from "./listenbrainz-feedback.js";
import { hasSyntheticMarker } from "./synthetic-marker.js";

export interface ImportOptions {
  /** Overrides format detection for every path. */
  format?: FormatName;
  /** --user: the listener of single-person files, or the one listener to import from a multi-user file. */
  user?: string;
  /** How the imports table names the input (default: its path), e.g. the URL a synced page came from. */
  sourceName?: string;
  /** Record the data as synthetic even without a generator marker file. */
  synthetic?: boolean;
  progress?: Progress;
}

export interface ImportSummary {
  /** Plays added, over all inputs. */
  imported: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  /** Plays without a date among the inputs' usable rows (stored as undated plays). */
  undated: number;
  /** Users and items in the store after the import. */
  users: number;
  items: number;
  events: number;
  synthetic: boolean;
  files: FileImport[];
}

/**
 * Imports files / folders into the store in ONE transaction (the caller's, when called inside
 * store.transaction): a structural error in any input (unreadable file, unknown format, missing
 * column) throws a UserError naming it and leaves the store exactly as it was. Bad rows never
 * abort; they are counted per input with line numbers.
 */
export async function importPaths(store: Store, paths: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const inputs = resolveInputs(paths, options.format);
  const progress = options.progress ?? silentProgress;
  // Bulk reads need not keep file order: faster and less memory. A setting, not transactional.
  await store.connection.run("SET preserve_insertion_order = false");
  let files: FileImport[];
  try {
    files = await store.transaction(async () => {
      const results: FileImport[] = [];
      for (const input of inputs) results.push(...(await importInput(store, input, options, progress)));
      return results;
    });
  } finally {
    await store.connection.run("RESET preserve_insertion_order; RESET disabled_optimizers");
  }
  const totals = await store.all(
    "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM events) AS events",
  );
  const sum = (pick: (file: FileImport) => number) => files.reduce((total, file) => total + pick(file), 0);
  return {
    imported: sum((file) => file.imported),
    duplicates: sum((file) => file.duplicates),
    rejected: sum((file) => file.rejected.count),
    skipped: sum((file) => Object.values(file.skipped).reduce((a, b) => a + b, 0)),
    undated: sum((file) => file.undated ?? 0),
    users: Number(totals[0].users),
    items: Number(totals[0].items),
    events: Number(totals[0].events),
    synthetic: await store.isSynthetic(),
    files,
  };
}

/** One input; a ListenBrainz export expands into its listens and feedback files. */
async function importInput(store: Store, input: Input, options: ImportOptions, progress: Progress): Promise<FileImport[]> {
  if (input.format !== "listenbrainz-export") return [await importOne(store, { ...input, source: input.path }, options, progress)];
  const unpacked = fs.statSync(input.path).isFile() && isZipFile(input.path) ? await unpackExport(input.path) : null;
  try {
    const results: FileImport[] = [];
    for (const member of exportMembers(unpacked?.folder ?? input.path, input.path)) {
      results.push(await importOne(store, member, options, progress));
    }
    return results;
  } finally {
    unpacked?.release();
  }
}

async function importOne(store: Store, input: ExportMember, options: ImportOptions, progress: Progress): Promise<FileImport> {
  const importId = ((await store.scalar("SELECT max(import_id) FROM imports")) ?? -1) + 1;
  const synthetic = Boolean(options.synthetic) || hasSyntheticMarker(input.path);
  const user = options.user ?? input.user;
  const context: ImportContext = { connection: store.connection, path: input.path, importId, user, progress };
  let result: FileImport;
  try {
    result = await importFile(context, input);
  } catch (error) {
    // Members of an unpacked export are named as inside the archive, not by their temporary path.
    if (error instanceof UserError && input.source !== input.path) throw new UserError(error.message.replaceAll(input.path, input.source), error.status);
    throw error;
  }
  result = { ...result, source: input.source };
  await store.connection.run(
    `INSERT INTO imports VALUES ($id, $source, $format, $synthetic, now()::TIMESTAMP, $added, $duplicates, $rejected)`,
    {
      id: importId,
      source: options.sourceName ?? input.source,
      format: input.format,
      synthetic,
      added: result.imported,
      duplicates: result.duplicates,
      rejected: result.rejected.count,
    },
  );
  return result;
}

function importFile(context: ImportContext, input: ExportMember): Promise<FileImport> {
  switch (input.format) {
    case "hetrec":
      return importHetrec(context);
    case "lfm360k":
      return importLfm360k(context);
    case "listenbrainz-feedback":
      return importListenbrainzFeedback(context, input.listens);
    case "listenbrainz-export":
      throw new UserError(`${input.source}: a ListenBrainz export inside an export`);
    default:
      return importScrobbles(context, input.format);
  }
}

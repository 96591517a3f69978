import { silentProgress, type Progress } from "../util/progress.js";
import type { Store } from "../store/store.js";
import { resolveInputs, type Input } from "./detect.js";
import type { FormatName } from "./formats.js";
import { importHetrec } from "./hetrec.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { importScrobbles } from "./import-scrobbles.js";
import { hasSyntheticMarker } from "./synthetic-marker.js";

export interface ImportOptions {
  /** Overrides format detection for every path. */
  format?: FormatName;
  /** See SourceOptions.user. */
  user?: string;
  /** Record the data as synthetic even without a generator marker file. */
  synthetic?: boolean;
  progress?: Progress;
}

export interface ImportSummary {
  /** Events added, over all inputs. */
  imported: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  /** Users and items in the store after the import. */
  users: number;
  items: number;
  events: number;
  synthetic: boolean;
  files: FileImport[];
}

/**
 * Imports files / folders into the store in ONE transaction: a structural error in any input
 * (unreadable file, unknown format, missing column) throws a UserError naming it and leaves the
 * store exactly as it was. Bad rows never abort; they are counted per input with line numbers.
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
      for (const input of inputs) results.push(await importOne(store, input, options, progress));
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
    users: Number(totals[0].users),
    items: Number(totals[0].items),
    events: Number(totals[0].events),
    synthetic: await store.isSynthetic(),
    files,
  };
}

async function importOne(store: Store, input: Input, options: ImportOptions, progress: Progress): Promise<FileImport> {
  const importId = ((await store.scalar("SELECT max(import_id) FROM imports")) ?? -1) + 1;
  const synthetic = Boolean(options.synthetic) || hasSyntheticMarker(input.path);
  const context: ImportContext = { connection: store.connection, path: input.path, importId, user: options.user, progress };
  const result = input.format === "hetrec" ? await importHetrec(context) : await importScrobbles(context, input.format);
  await store.connection.run(
    `INSERT INTO imports VALUES ($id, $source, $format, $synthetic, now()::TIMESTAMP, $added, $duplicates, $rejected)`,
    {
      id: importId,
      source: input.path,
      format: input.format,
      synthetic,
      added: result.imported,
      duplicates: result.duplicates,
      rejected: result.rejected.count,
    },
  );
  return result;
}

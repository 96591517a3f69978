import type { Command } from "commander";
import { describeRejects } from "../../ingest/rejects.js";
import { describeMalformedMbids } from "../../ingest/item-mbids.js";
import { FORMAT_NAMES, parseFormatName } from "../../ingest/formats.js";
import { importPaths, type ImportSummary } from "../../ingest/import-files.js";
import { Store } from "../../store/store.js";
import { dbPathOf } from "../options.js";
import { progressFor } from "../../util/progress.js";

interface ImportFlags {
  format?: string;
  user?: string;
  json?: boolean;
}

/** What `musicrec import` prints: per file, the counts, rejects and skips; then the store's totals. */
export function importReport(summary: ImportSummary): string {
  const lines = summary.files.map((file) => {
    const skipped = Object.entries(file.skipped).map(([reason, count]) => `${count.toLocaleString("en")} skipped: ${reason}`);
    const read = file.encoding ? `${file.format}, read as ${file.encoding}` : file.format;
    const undated = file.undated ? [`  ${file.undated.toLocaleString("en")} plays without a date (timestamp 0) kept as undated plays`] : [];
    const recorded = file.mbids?.items
      ? [`  MusicBrainz ids for ${file.mbids.items.toLocaleString("en")} of its items (${file.mbids.added.toLocaleString("en")} new in the store)`]
      : [];
    const malformed = describeMalformedMbids(file.mbids);
    return [
      `${file.source} (${read}): ${file.imported.toLocaleString("en")} imported, ${file.duplicates.toLocaleString("en")} already stored`,
      `  ${file.users.toLocaleString("en")} users, ${file.items.toLocaleString("en")} items in the file; ${describeRejects(file.rejected)}`,
      ...undated,
      ...recorded,
      ...(malformed ? [`  ${malformed}`] : []),
      ...skipped.map((line) => `  ${line}`),
    ].join("\n");
  });
  lines.push(
    `Store: ${summary.users.toLocaleString("en")} users, ${summary.items.toLocaleString("en")} items, ${summary.events.toLocaleString("en")} events` +
      (summary.synthetic ? " (SYNTHETIC data)" : ""),
  );
  return `${lines.join("\n")}\n`;
}

export function registerImport(program: Command): void {
  program
    .command("import")
    .description("import listening histories (files or folders) into the store; the format is detected")
    .argument("<path...>", "files or folders (a HetRec folder, or a folder of exports)")
    .option("--format <format>", `one of ${FORMAT_NAMES.join(", ")} (default: detected from header / extension / folder)`)
    .option("--user <name>", "listener of a single-person export (default: the name in the file, else the file name); for a file of several listeners: import only this one")
    .option("--json", "print the summary as JSON: {imported, duplicates, rejected, skipped, undated, users, items, events, files}")
    .action(async (paths: string[], flags: ImportFlags, command: Command) => {
      const store = await Store.open(dbPathOf(command));
      try {
        const summary = await importPaths(store, paths, {
          format: flags.format == null ? undefined : parseFormatName(flags.format),
          user: flags.user,
          progress: progressFor({ json: flags.json }),
        });
        process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : importReport(summary));
      } finally {
        store.close();
      }
    });
}

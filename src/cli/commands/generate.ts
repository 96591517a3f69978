import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import { generateDataset } from "../../ingest/generate/generate.js";
import type { GeneratedFormat } from "../../ingest/generate/line-formats.js";
import { importPaths, type ImportSummary } from "../../ingest/import-files.js";
import { Store } from "../../store/store.js";
import { dbPathOf, integer } from "../options.js";
import { progressFor, type Progress } from "../../util/progress.js";

interface GenerateFlags {
  output: string;
  format: string;
  users: string;
  scrobbles: string;
  seed: string;
  artists?: string;
  import?: boolean;
  json?: boolean;
}

async function importInto(db: string, file: string, progress: Progress): Promise<ImportSummary> {
  const store = await Store.open(db);
  try {
    return await importPaths(store, [file], { progress });
  } finally {
    store.close();
  }
}

export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("write a SYNTHETIC listening dataset (deterministic by --seed) in the kaggle or lfm1k format")
    .requiredOption("-o, --output <file>", "data file to write (a <file>.synthetic.json marker is written next to it)")
    .option("--format <format>", "kaggle (CSV) or lfm1k (TSV)", "kaggle")
    .option("--users <n>", "number of listeners", "300")
    .option("--scrobbles <n>", "total number of scrobbles", "100000")
    .option("--artists <n>", "number of artists (default: 3 × √scrobbles)")
    .option("--seed <n>", "random seed", "42")
    .option("--import", "also import it into the store (recorded as synthetic)")
    .option("--json", "print the summary as JSON")
    .addHelpText(
      "after",
      "\nExamples:\n  musicrec generate -o data/synthetic.csv && musicrec import data/synthetic.csv\n  musicrec generate --format lfm1k --users 1000 --scrobbles 19000000 -o /tmp/lfm1k-synthetic.tsv",
    )
    .action(async (flags: GenerateFlags, command: Command) => {
      if (flags.format !== "kaggle" && flags.format !== "lfm1k") throw new UserError(`--format must be kaggle or lfm1k, got "${flags.format}"`);
      const progress = progressFor({ json: flags.json });
      const result = await generateDataset({
        output: flags.output,
        format: flags.format as GeneratedFormat,
        users: integer(flags.users, "--users"),
        scrobbles: integer(flags.scrobbles, "--scrobbles"),
        artists: flags.artists == null ? undefined : integer(flags.artists, "--artists"),
        seed: integer(flags.seed, "--seed"),
        progress,
      });
      const imported = flags.import ? await importInto(dbPathOf(command), result.output, progress) : undefined;
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, imported }, null, 2)}\n`);
      else
        process.stdout.write(
          `Wrote SYNTHETIC data: ${result.scrobbles.toLocaleString("en")} scrobbles of ${result.users} users, ` +
            `${result.artists.toLocaleString("en")} artists, ${result.tracks.toLocaleString("en")} tracks -> ${result.output}\n` +
            (imported
              ? `Imported ${imported.imported.toLocaleString("en")} scrobbles; the store now has ${imported.events.toLocaleString("en")} events (synthetic: ${imported.synthetic})\n`
              : `Import it with: musicrec import ${result.output}\n`),
        );
    });
}

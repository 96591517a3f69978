import type { Command } from "commander";
import { exportParquet } from "../../spark/export-parquet.js";
import { Store } from "../../store/store.js";
import { progressFor } from "../../util/progress.js";
import { dbPathOf, fraction, itemLevel, positiveInt } from "../options.js";

interface ExportParquetFlags {
  item?: string;
  minUserItems?: string;
  minItemUsers?: string;
  holdout?: string;
  json?: boolean;
}

export function registerExport(program: Command): void {
  const exportCommand = program.command("export").description("write the store's data for other tools");
  exportCommand
    .command("parquet <dir>")
    .description("the user × item play matrix as Parquet for Apache Spark (dense 0-based ids, the k-core `musicrec train` uses)")
    .option("--item <level>", "item granularity: track or artist (default: track when at least half of the listeners played tracks by name)")
    .option("--min-user-items <n>", "k-core: drop users with fewer distinct items (1 = off; default: chosen from the number of listeners as `train` does)")
    .option("--min-item-users <n>", "k-core: drop items with fewer distinct users (1 = off; default: chosen from the number of listeners as `train` does)")
    .option("--holdout <fraction>", "export only the train period of `musicrec evaluate --protocol time --test-fraction <fraction>`")
    .option("--json", "print the export summary as JSON")
    .addHelpText(
      "after",
      "\nWrites DIR/interactions/*.parquet (user_id, item_id, plays, last_played), DIR/users.parquet, DIR/items.parquet\n" +
        "and DIR/musicrec-export.json. Train on it with contrib/spark/train_als.py (docs/spark.md).\n\n" +
        "Example:\n  musicrec export parquet /data/musicrec-export --item artist",
    )
    .action(async (dir: string, flags: ExportParquetFlags, command: Command) => {
      const options = {
        level: flags.item === undefined ? undefined : itemLevel(flags.item),
        minUserItems: flags.minUserItems === undefined ? undefined : positiveInt(flags.minUserItems, "--min-user-items"),
        minItemUsers: flags.minItemUsers === undefined ? undefined : positiveInt(flags.minItemUsers, "--min-item-users"),
        holdout: flags.holdout === undefined ? undefined : fraction(flags.holdout, "--holdout"),
      };
      const store = await Store.open(dbPathOf(command), { readOnly: true });
      try {
        const manifest = await exportParquet(store, dir, options, progressFor({ json: flags.json }));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ dir, ...manifest }, null, 2)}\n`);
          return;
        }
        const n = (value: number) => value.toLocaleString("en");
        process.stdout.write(
          `exported ${n(manifest.interactions)} user–${manifest.level} pairs of ${n(manifest.users)} users × ${n(manifest.items)} ${manifest.level}s ` +
            `(k-core ${manifest.kCore.minUserItems}/${manifest.kCore.minItemUsers}` +
            `${manifest.holdout ? `, events before ${manifest.holdout.cutoff} only` : ""}) to ${dir}\n`,
        );
      } finally {
        store.close();
      }
    });
}

import type { Command } from "commander";
import { itemLabel } from "../../data/interactions.js";
import { dbPathOf } from "../options.js";
import { findItem, modelFrom, openBundle } from "./bundle-query.js";
import { modelName, positiveInt } from "./model-flags.js";

interface SimilarFlags {
  item: string;
  model: string;
  k: string;
  json?: boolean;
}

export function registerSimilar(program: Command): void {
  program
    .command("similar")
    .description('items most similar to one item ("Artist - Track", or "Artist" for artist-level data)')
    .requiredOption("--item <name>", '"Artist - Track" or "Artist"')
    .option("--model <name>", "model to use", "hybrid")
    .option("-k, --k <n>", "number of similar items", "10")
    .option("--json", "print JSON")
    .action(async (flags: SimilarFlags, command: Command) => {
      const name = modelName(flags.model);
      const k = positiveInt(flags.k, "-k");
      const bundle = await openBundle(dbPathOf(command));
      const model = modelFrom(bundle, name);
      const { catalog } = bundle.training;
      const item = findItem(catalog, flags.item);
      const rows = model.similarItems(item, k).map((s, rank) => ({ rank: rank + 1, item: itemLabel(catalog, s.item), score: s.score }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ item: itemLabel(catalog, item), model: name, similar: rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${name}: items similar to ${itemLabel(catalog, item)}\n`);
      for (const row of rows) process.stdout.write(`${String(row.rank).padStart(3)}. ${row.item}  (${row.score.toFixed(3)})\n`);
    });
}

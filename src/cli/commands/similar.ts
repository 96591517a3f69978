import type { Command } from "commander";
import { dbPathOf, positiveInt } from "../options.js";
import { openService } from "../../service/open-service.js";

interface SimilarFlags {
  item: string;
  model?: string;
  k: string;
  json?: boolean;
}

export function registerSimilar(program: Command): void {
  program
    .command("similar")
    .description('items most similar to one item ("Artist - Track", or "Artist" for artist-level data)')
    .requiredOption("--item <name>", '"Artist - Track", "Artist", or an item key')
    .option("--model <name>", "model to use: a trained one or an imported one's name (default: hybrid when trained, as in the web app)")
    .option("-k, --k <n>", "number of similar items", "10")
    .option("--json", "print JSON")
    .action(async (flags: SimilarFlags, command: Command) => {
      const k = positiveInt(flags.k, "-k");
      const service = await openService(dbPathOf(command));
      const model = flags.model ?? service.defaultModel;
      const item = service.itemView(flags.item);
      const rows = service.similar(flags.item, model, k).map((s, rank) => ({ rank: rank + 1, item: s.item.label, score: s.score }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ item: item.label, model, similar: rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${model}: items similar to ${item.label}\n`);
      for (const row of rows) process.stdout.write(`${String(row.rank).padStart(3)}. ${row.item}  (${row.score.toFixed(3)})\n`);
    });
}

import type { Command } from "commander";
import { itemLabel } from "../../data/interactions.js";
import { historyOfUser } from "../../models/history.js";
import { dbPathOf } from "../options.js";
import { modelFrom, openBundle, unknownNameError } from "./bundle-query.js";
import { modelName, positiveInt } from "./model-flags.js";

interface RecommendFlags {
  user: string;
  model: string;
  k: string;
  perArtist?: string;
  newArtistsOnly?: boolean;
  json?: boolean;
}

export function registerRecommend(program: Command): void {
  program
    .command("recommend")
    .description("recommend items for a user from the saved models (run `musicrec train` first)")
    .requiredOption("--user <name>", "user name as in the store")
    .option("--model <name>", "model to use", "hybrid")
    .option("-k, --k <n>", "number of recommendations", "10")
    .option("--per-artist <n>", "at most N items per artist")
    .option("--new-artists-only", "only artists the user has never played")
    .option("--json", "print JSON")
    .action(async (flags: RecommendFlags, command: Command) => {
      const name = modelName(flags.model);
      const k = positiveInt(flags.k, "-k");
      const maxPerArtist = flags.perArtist === undefined ? undefined : positiveInt(flags.perArtist, "--per-artist");
      const bundle = await openBundle(dbPathOf(command));
      const model = modelFrom(bundle, name);
      const { catalog, userNames } = bundle.training;
      const history = historyOfUser(bundle.training, flags.user);
      if (!history) {
        const error = unknownNameError("user", flags.user, userNames);
        error.message += " (the trained models know only users that passed train's k-core filter; retrain with --min-user-items 1 to keep everyone)";
        throw error;
      }
      const recommendations = model.recommend(history, { k, maxPerArtist, newArtistsOnly: flags.newArtistsOnly });
      const rows = recommendations.map((r, rank) => ({
        rank: rank + 1,
        item: itemLabel(catalog, r.item),
        artist: catalog.artists[r.item],
        track: catalog.tracks[r.item],
        score: r.score,
        because: r.because.map((reason) => itemLabel(catalog, reason.item)),
      }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ user: flags.user, model: name, trainedAt: bundle.trainedAt, recommendations: rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${name} recommendations for ${flags.user} (${history.items.length} items in history):\n`);
      for (const row of rows) {
        process.stdout.write(`${String(row.rank).padStart(3)}. ${row.item}  (${row.score.toFixed(3)})\n`);
        if (row.because.length > 0) process.stdout.write(`     because you played ${row.because.join(", ")}\n`);
      }
    });
}

import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import { dbPathOf, positiveInt } from "../options.js";
import { attachLibrary, attachOpinions, openService, readRecentPlays } from "../../service/open-service.js";
import { addTasteOptions, tasteQuery, type TasteFlags } from "../taste-flags.js";

interface RecommendFlags extends TasteFlags {
  user: string;
  model?: string;
  k: string;
  perArtist?: string;
  libraryOnly?: boolean;
  json?: boolean;
}

/** Hint for an unknown user that only the CLI can give: the flag that keeps everyone. */
const K_CORE_HINT =
  " (the trained models know only users that passed train's k-core filter; retrain with --min-user-items 1 to keep everyone)";

export function registerRecommend(program: Command): void {
  const command = program
    .command("recommend")
    .description("recommend items for a user from the saved models (run `musicrec train` first)")
    .requiredOption("--user <name>", "user name as in the store")
    .option("--model <name>", "model to use: a trained one or an imported one's name (default: hybrid when trained, as in the web app)")
    .option("-k, --k <n>", "number of recommendations", "10")
    .option("--per-artist <n>", "at most N items per artist");
  addTasteOptions(command)
    .option("--library-only", "only tracks you own (files found by `musicrec library scan`)")
    .option("--json", "print JSON")
    .action(async (flags: RecommendFlags, command: Command) => {
      const k = positiveInt(flags.k, "-k");
      const perArtist = flags.perArtist === undefined ? 0 : positiveInt(flags.perArtist, "--per-artist");
      const taste = tasteQuery(flags);
      const dbPath = dbPathOf(command);
      const service = await openService(dbPath);
      if (flags.libraryOnly) await attachLibrary(service, dbPath);
      await attachOpinions(service, dbPath);
      const model = flags.model ?? service.defaultModel;
      service.model(model);
      let history;
      try {
        history = service.historyOf(flags.user);
      } catch (error) {
        if (error instanceof UserError) error.message += K_CORE_HINT;
        throw error;
      }
      const heardRecently = taste.notHeardWithinMs === undefined ? undefined : await readRecentPlays(dbPath, flags.user, taste.notHeardWithinMs);
      const recommendations = service.forUser(flags.user, { model, k, perArtist, ...taste, libraryOnly: Boolean(flags.libraryOnly) }, { heardRecently });
      const rows = recommendations.map((r, rank) => ({
        rank: rank + 1,
        item: r.item.label,
        artist: r.item.artist,
        track: r.item.track,
        score: r.score,
        because: r.because.map((reason) => reason.label),
      }));
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ user: flags.user, model, trainedAt: service.bundle.trainedAt, recommendations: rows }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${model} recommendations for ${flags.user}${flags.libraryOnly ? " from your library" : ""} (${history.items.length} items in history):\n`);
      if (rows.length === 0) {
        const known = service.bundle.training.catalog.keys.length;
        const why =
          history.items.length >= known
            ? `every one of the ${known} items the models know is already in this history: import other listeners' histories so there is something new to suggest`
            : "no item passes the filters";
        process.stdout.write(`  (nothing to recommend: ${why})\n`);
      }
      for (const row of rows) {
        process.stdout.write(`${String(row.rank).padStart(3)}. ${row.item}  (${row.score.toFixed(3)})\n`);
        if (row.because.length > 0) process.stdout.write(`     because you played ${row.because.join(", ")}\n`);
      }
    });
}

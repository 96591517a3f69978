import type { Command } from "commander";
import { MODEL_NAMES } from "../../models/recommender.js";
import type { HybridLearned } from "../../models/hybrid.js";
import { trainBundle } from "../../models/train-bundle.js";
import { currentTrainOptions } from "../../models/bundle.js";
import { bundleDirFor } from "../../util/config.js";
import { DEFAULT_PARAMS, resolveParams } from "../../models/registry.js";
import { dbPathOf, itemLevel, parseModelList, positiveInt, positiveNumber } from "../options.js";
import { progressFor } from "../../util/progress.js";

interface TrainFlags {
  models?: string;
  likeCurrent?: boolean;
  factors?: string;
  iterations?: string;
  regularization?: string;
  alpha?: string;
  item?: string;
  minUserItems?: string;
  minItemUsers?: string;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("fit the recommendation models on the store and save them as a bundle next to it")
    .option("--models <list>", `comma-separated models to train (${MODEL_NAMES.join(", ")}; default all)`)
    .option("--factors <n>", `latent factors of svd and als (default ${DEFAULT_PARAMS.als.factors})`)
    .option("--iterations <n>", `ALS sweeps (default ${DEFAULT_PARAMS.als.iterations})`)
    .option("--regularization <x>", `ALS L2 regularisation λ (default ${DEFAULT_PARAMS.als.regularization})`)
    .option("--alpha <x>", `ALS confidence scale: c = 1 + α·w (default ${DEFAULT_PARAMS.als.alpha})`)
    .option("--item <level>", "item granularity: track or artist (default: track when at least half of the listeners played tracks by name)")
    .option("--min-user-items <n>", "k-core: drop users with fewer distinct items (1 = off; default: chosen from the number of listeners, 5 from 50 on)")
    .option("--min-item-users <n>", "k-core: drop items with fewer distinct users (1 = off; default: chosen from the number of listeners, 5 from 50 on)")
    .option("--like-current", "train with the models, item level, k-core and parameters of the saved bundle (what serve --refresh runs); other flags override them")
    .option("--json", "print the training summary as JSON")
    .action(async (flags: TrainFlags, command: Command) => {
      const dbPath = dbPathOf(command);
      const base = flags.likeCurrent ? await currentTrainOptions(bundleDirFor(dbPath)) : null;
      const names = flags.models === undefined ? (base?.models ?? [...MODEL_NAMES]) : parseModelList(flags.models);
      const level = flags.item === undefined ? base?.options.level : itemLevel(flags.item);
      const factors = flags.factors === undefined ? undefined : positiveInt(flags.factors, "--factors");
      const params = resolveParams({
        ...base?.params,
        als: {
          ...base?.params.als,
          ...(factors !== undefined && { factors }),
          ...(flags.iterations !== undefined && { iterations: positiveInt(flags.iterations, "--iterations") }),
          ...(flags.regularization !== undefined && { regularization: positiveNumber(flags.regularization, "--regularization") }),
          ...(flags.alpha !== undefined && { alpha: positiveNumber(flags.alpha, "--alpha") }),
        },
        svd: { ...base?.params.svd, ...(factors !== undefined && { factors }) },
      });
      const progress = progressFor({ json: flags.json });
      const summary = await trainBundle(
        dbPath,
        {
          models: names,
          params,
          level,
          minUserItems: flags.minUserItems === undefined ? base?.options.minUserItems : positiveInt(flags.minUserItems, "--min-user-items"),
          minItemUsers: flags.minItemUsers === undefined ? base?.options.minItemUsers : positiveInt(flags.minItemUsers, "--min-item-users"),
        },
        progress,
      );
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `trained ${Object.keys(summary.seconds).join(", ")} on ${summary.users.toLocaleString("en")} users × ${summary.items.toLocaleString("en")} ${summary.level}s ` +
          `(${summary.interactions.toLocaleString("en")} user–item pairs)\n`,
      );
      process.stdout.write(`${summary.kCore.description}\n`);
      for (const [name, s] of Object.entries(summary.seconds)) process.stdout.write(`  ${name.padEnd(10)} ${s.toFixed(1)} s\n`);
      const hybrid = summary.learned.hybrid as HybridLearned | undefined;
      if (hybrid) {
        const weights = Object.entries(hybrid.weights).map(([part, w]) => `${part} ${w.toFixed(1)}`);
        process.stdout.write(`hybrid fusion weights (learned): ${weights.join(", ")}, shrinkage ${hybrid.shrinkage}\n`);
      }
      for (const { name, coveredItems } of summary.imported) {
        process.stdout.write(`kept the imported model ${name} (factors for ${coveredItems.toLocaleString("en")} of the ${summary.level}s)\n`);
      }
      process.stdout.write(`saved to ${summary.bundle}\n`);
    });
}

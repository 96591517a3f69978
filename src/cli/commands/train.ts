import type { Command } from "commander";
import { bundleDirFor } from "../../config.js";
import { buildTrainingSet, DEFAULT_MIN_ITEM_USERS, DEFAULT_MIN_USER_ITEMS } from "../../data/training-set.js";
import type { ItemLevel } from "../../data/interactions.js";
import { UserError } from "../../errors.js";
import type { BaseRecommender } from "../../models/base-recommender.js";
import { BUNDLE_VERSION, saveBundle } from "../../models/bundle.js";
import { MODEL_NAMES, type ModelName, type Recommender } from "../../models/recommender.js";
import { createModel, DEFAULT_PARAMS, resolveParams } from "../../models/registry.js";
import { defaultLevel, loadInteractions } from "../../store/load-interactions.js";
import { Store } from "../../store/store.js";
import { dbPathOf } from "../options.js";
import { progressFor } from "../progress.js";
import { parseModelList, positiveInt, positiveNumber } from "./model-flags.js";

interface TrainFlags {
  models: string;
  factors?: string;
  iterations?: string;
  regularization?: string;
  alpha?: string;
  item?: string;
  minUserItems: string;
  minItemUsers: string;
  json?: boolean;
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("fit the recommendation models on the store and save them as a bundle next to it")
    .option("--models <list>", `comma-separated models to train (${MODEL_NAMES.join(", ")})`, MODEL_NAMES.join(","))
    .option("--factors <n>", `latent factors of svd and als (default ${DEFAULT_PARAMS.als.factors})`)
    .option("--iterations <n>", `ALS sweeps (default ${DEFAULT_PARAMS.als.iterations})`)
    .option("--regularization <x>", `ALS L2 regularisation λ (default ${DEFAULT_PARAMS.als.regularization})`)
    .option("--alpha <x>", `ALS confidence scale: c = 1 + α·w (default ${DEFAULT_PARAMS.als.alpha})`)
    .option("--item <level>", "item granularity: track or artist (default: track when the store has tracks)")
    .option("--min-user-items <n>", "k-core: drop users with fewer distinct items (1 = off)", String(DEFAULT_MIN_USER_ITEMS))
    .option("--min-item-users <n>", "k-core: drop items with fewer distinct users (1 = off)", String(DEFAULT_MIN_ITEM_USERS))
    .option("--json", "print the training summary as JSON")
    .action(async (flags: TrainFlags, command: Command) => {
      const names = parseModelList(flags.models);
      const level = parseLevel(flags.item);
      const factors = flags.factors === undefined ? undefined : positiveInt(flags.factors, "--factors");
      const params = resolveParams({
        als: {
          ...(factors !== undefined && { factors }),
          ...(flags.iterations !== undefined && { iterations: positiveInt(flags.iterations, "--iterations") }),
          ...(flags.regularization !== undefined && { regularization: positiveNumber(flags.regularization, "--regularization") }),
          ...(flags.alpha !== undefined && { alpha: positiveNumber(flags.alpha, "--alpha") }),
        },
        svd: { ...(factors !== undefined && { factors }) },
      });
      const minUserItems = positiveInt(flags.minUserItems, "--min-user-items");
      const minItemUsers = positiveInt(flags.minItemUsers, "--min-item-users");
      const progress = progressFor({ json: flags.json });
      const dbPath = dbPathOf(command);

      const store = await Store.open(dbPath, { readOnly: true });
      let data;
      let synthetic;
      try {
        if (await store.isEmpty()) throw new UserError(`the store ${dbPath} is empty: import data first (musicrec import FILE)`);
        const itemLevel = level ?? (await defaultLevel(store));
        progress.start(`loading ${itemLevel}-level interactions`);
        data = await loadInteractions(store, { level: itemLevel });
        synthetic = await store.isSynthetic();
        progress.done(`${data.userNames.length.toLocaleString("en")} users, ${data.catalog.keys.length.toLocaleString("en")} items`);
      } finally {
        store.close();
      }
      const training = buildTrainingSet(data, { minUserItems, minItemUsers });
      if (training.plays.nnz === 0) {
        throw new UserError(`no interactions left after k-core filtering (--min-user-items ${minUserItems} --min-item-users ${minItemUsers}); lower them`);
      }

      const fitted = new Map<string, BaseRecommender>();
      const seconds: Partial<Record<ModelName, number>> = {};
      // Parts before the hybrid, so it reuses them instead of fitting them again.
      for (const name of MODEL_NAMES.filter((n) => names.includes(n))) {
        const model = createModel(name, params, fitted);
        const started = performance.now();
        await model.fit(training, progress);
        seconds[name] = (performance.now() - started) / 1000;
        fitted.set(name, model);
      }
      const dir = bundleDirFor(dbPath);
      progress.start(`saving bundle to ${dir}`);
      await saveBundle(dir, {
        version: BUNDLE_VERSION,
        trainedAt: new Date().toISOString(),
        training,
        models: new Map<ModelName, Recommender>([...fitted].map(([name, model]) => [name as ModelName, model])),
        params,
        synthetic,
      });
      progress.done();

      const summary = {
        bundle: dir,
        level: training.catalog.level,
        users: training.plays.rows,
        items: training.plays.cols,
        interactions: training.plays.nnz,
        kCore: { minUserItems, minItemUsers },
        seconds,
        params,
      };
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      process.stdout.write(
        `trained ${Object.keys(seconds).join(", ")} on ${summary.users.toLocaleString("en")} users × ${summary.items.toLocaleString("en")} ${summary.level}s ` +
          `(${summary.interactions.toLocaleString("en")} user–item pairs)\n`,
      );
      for (const [name, s] of Object.entries(seconds)) process.stdout.write(`  ${name.padEnd(10)} ${s.toFixed(1)} s\n`);
      process.stdout.write(`saved to ${dir}\n`);
    });
}

function parseLevel(value: string | undefined): ItemLevel | undefined {
  if (value === undefined) return undefined;
  if (value !== "artist" && value !== "track") throw new UserError(`--item must be "artist" or "track", got "${value}"`);
  return value;
}

import type { Command } from "commander";
import { dbPathOf, fraction, itemLevel, nonNegativeInt, oneOf, positiveInt } from "../options.js";
import { bundleDirFor } from "../../util/config.js";
import { UserError } from "../../util/errors.js";
import { importedModelsFor } from "../../evaluation/imported-models.js";
import { importedModelNames } from "../../models/bundle.js";
import { progressFor } from "../../util/progress.js";
import { Store } from "../../store/store.js";
import { defaultLevel } from "../../store/load-interactions.js";
import { MODEL_NAMES, type ModelName } from "../../models/recommender.js";
import type { ItemLevel } from "../../data/interactions.js";
import { DEFAULT_CURVE_KS, evaluateModels, PROTOCOLS, type EvaluationResult, type Protocol } from "../../evaluation/evaluate.js";
import { splitSource } from "../../evaluation/protocols.js";
import { evaluationModel } from "../../evaluation/models.js";
import { terminalTable } from "../../evaluation/result-table.js";
import { evaluationJson } from "../../evaluation/result-json.js";
import { writeReport } from "../../evaluation/report.js";

interface EvaluateFlags {
  protocol?: string;
  testFraction: string;
  lastN: string;
  seed: string;
  seeds?: string;
  k: string;
  curveK: string;
  models?: string;
  minUserItems?: string;
  minItemUsers?: string;
  item?: string;
  includePlayed?: boolean;
  json?: boolean;
  report?: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command("evaluate")
    .description("compare the models on held-out listening data with ranking metrics (precision, recall, NDCG, MAP, hit rate, MRR, coverage, novelty)")
    .option("--protocol <name>", "time | random | last (default: time when at least half of the listeners have dated plays, else random)")
    .option("--test-fraction <f>", "share held out: of each user's items (random) or of all events (time)", "0.2")
    .option("--last-n <n>", "items held out per user by the last protocol", "1")
    .option("--seed <n>", "seed of the split and the models", "0")
    .option("--seeds <list>", "several seeds, e.g. 0,1,2: report mean ± std (overrides --seed)")
    .option("-k, --k <n>", "length of the recommendation list the metrics look at", "10")
    .option("--curve-k <list>", "K values of the report's NDCG/recall curves", DEFAULT_CURVE_KS.join(","))
    .option("--models <list>", `models to compare (default: all of ${MODEL_NAMES.join(",")}, and the bundle's imported models)`)
    .option("--min-user-items <n>", "k-core before splitting: drop users with fewer items (default: chosen from the number of listeners, 5 from 50 on)")
    .option("--min-item-users <n>", "k-core before splitting: drop items with fewer users (default: chosen from the number of listeners, 5 from 50 on)")
    .option("--item <level>", "artist | track (default: track when at least half of the listeners played tracks by name)")
    .option("--include-played", "also rank items the user already played, and (time protocol) count re-listened items as relevant")
    .option("--json", "print the results as JSON")
    .option("--report <file>", "write a Markdown report (and SVG charts next to it)")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  musicrec evaluate --protocol random --seed 0 -k 10 --min-user-items 1 --min-item-users 1\n" +
        "  musicrec evaluate --seeds 0,1,2 --report reports/eval.md\n" +
        "  musicrec evaluate --protocol last --last-n 5 --models popularity,als --json",
    )
    .action(async (flags: EvaluateFlags, command: Command) => {
      const bundleDir = bundleDirFor(dbPathOf(command));
      const parsed = parseFlags(flags, await importedModelNames(bundleDir));
      const progress = progressFor({ json: flags.json });
      const store = await Store.open(dbPathOf(command), { readOnly: true });
      try {
        const level = parsed.level ?? (await defaultLevel(store));
        progress.start(`loading ${level}-level interactions`);
        const source = await splitSource(store, { ...parsed, level });
        progress.done(`${source.userNames.length.toLocaleString("en")} users × ${source.catalog.keys.length.toLocaleString("en")} ${level}s; ${source.kCore?.description}`);
        const imported = await importedModelsFor(bundleDir, { source, level, testFraction: parsed.testFraction, names: parsed.importedModels });
        const result = await evaluateModels(source, {
          models: parsed.models,
          prebuilt: imported.prebuilt,
          k: parsed.k,
          curveKs: parsed.curveKs,
          seeds: parsed.seeds,
          createModel: evaluationModel,
          includePlayed: parsed.includePlayed,
          progress,
        });
        if (flags.report) {
          const kCore = source.kCore ?? { minUserItems: 1, minItemUsers: 1 };
          const written = await writeReport(flags.report, result, { store: store.path, level, minUserItems: kCore.minUserItems, minItemUsers: kCore.minItemUsers });
          if (!flags.json) process.stderr.write(`report: ${written.join(", ")}\n`);
        }
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...evaluationJson(result), skipped: imported.skipped })}\n`);
        } else {
          process.stdout.write(`${result.protocol} protocol: ${result.description}\n`);
          if (source.kCore) process.stdout.write(`${source.kCore.description}\n`);
          process.stdout.write(`${result.users.toLocaleString("en")} users × ${result.items.toLocaleString("en")} ${level}s, seeds ${result.seeds.join(",")}, ${result.seconds.toFixed(1)} s\n`);
          process.stdout.write(`${testUsersLine(result)}\n\n`);
          process.stdout.write(`${terminalTable(result)}\n`);
          for (const { model, reason } of imported.skipped) process.stdout.write(`not scored: ${model}, imported: ${reason}\n`);
        }
      } finally {
        store.close();
      }
    });
}

interface ParsedFlags {
  protocol?: Protocol;
  level?: ItemLevel;
  testFraction: number;
  lastN: number;
  seeds: number[];
  k: number;
  curveKs: number[];
  models: ModelName[];
  /** Imported models named in --models (all of them when --models is absent). */
  importedModels?: string[];
  minUserItems?: number;
  minItemUsers?: number;
  includePlayed: boolean;
}

/** Validates every flag up front, so a typo fails before any data is loaded. `imported`: the bundle's imported models. */
export function parseFlags(flags: EvaluateFlags, imported: readonly string[] = []): ParsedFlags {
  const protocol = flags.protocol === undefined ? undefined : oneOf(flags.protocol, "--protocol", PROTOCOLS);
  const level = flags.item === undefined ? undefined : itemLevel(flags.item);
  const testFraction = fraction(flags.testFraction, "--test-fraction");
  const listed = flags.models === undefined ? undefined : [...new Set(flags.models.split(",").map((name) => name.trim()).filter(Boolean))];
  if (listed?.length === 0) throw new UserError("--models needs at least one model");
  const isTrained = (name: string): name is ModelName => (MODEL_NAMES as readonly string[]).includes(name);
  const unknown = listed?.find((name) => !isTrained(name) && !imported.includes(name));
  if (unknown) {
    throw new UserError(`--models: unknown model "${unknown}" (one of ${[...MODEL_NAMES, ...imported].join(", ")})`);
  }
  const seeds = flags.seeds === undefined ? [nonNegativeInt(flags.seed, "--seed")] : flags.seeds.split(",").map((part) => nonNegativeInt(part.trim(), "--seeds"));
  return {
    protocol,
    level,
    testFraction,
    lastN: positiveInt(flags.lastN, "--last-n"),
    seeds: [...new Set(seeds)],
    k: positiveInt(flags.k, "-k"),
    curveKs: flags.curveK.split(",").map((part) => positiveInt(part.trim(), "--curve-k")),
    models: listed === undefined ? [...MODEL_NAMES] : listed.filter(isTrained),
    ...(listed && { importedModels: listed.filter((name) => !isTrained(name)) }),
    minUserItems: flags.minUserItems === undefined ? undefined : positiveInt(flags.minUserItems, "--min-user-items"),
    minItemUsers: flags.minItemUsers === undefined ? undefined : positiveInt(flags.minItemUsers, "--min-item-users"),
    includePlayed: Boolean(flags.includePlayed),
  };
}

/** Below this many scored users, differences between models are mostly noise. */
const FEW_TEST_USERS = 30;

/** "scored 9 test users (of 10 …)": how many users the metrics average over, plainly. */
export function testUsersLine(result: EvaluationResult): string {
  const counts = [...new Set(result.splits.map((split) => split.testUsers))].sort((a, b) => a - b);
  const scored = counts.length === 1 ? counts[0].toLocaleString("en") : `${counts[0].toLocaleString("en")}–${counts.at(-1)!.toLocaleString("en")}`;
  const plural = counts.at(-1) === 1 ? "" : "s";
  const note =
    result.users === 1
      ? "; with one listener the catalogue is their own history, so every unplayed item is a held-out one and every model scores perfectly: evaluation needs several listeners"
      : counts[0] < FEW_TEST_USERS
        ? "; with so few, differences between models are mostly noise (import more listeners for a reliable comparison)"
        : "";
  return `scored ${scored} test user${plural} (of ${result.users.toLocaleString("en")} users; a user is scored when the split gives them a test item)${note}`;
}


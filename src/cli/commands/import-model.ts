import type { Command } from "commander";
import { WEIGHTING_SCHEMES } from "../../data/weighting.js";
import { loadBundle, saveBundle } from "../../models/bundle.js";
import { DEFAULT_IMPORTED_ALS_PARAMS } from "../../models/imported-als.js";
import { importSparkModel, type SparkImportReport } from "../../models/import-spark-model.js";
import { MODEL_NAMES } from "../../models/recommender.js";
import { bundleDirFor } from "../../util/config.js";
import { UserError } from "../../util/errors.js";
import { progressFor } from "../../util/progress.js";
import { dbPathOf, oneOf, positiveNumber } from "../options.js";

interface ImportSparkFlags {
  items: string;
  name: string;
  regularization: string;
  alpha: string;
  weighting: string;
  constantRegularization?: boolean;
  json?: boolean;
}

/** Below this median cosine the fold-in clearly solves another problem than Spark did. */
const FOLD_IN_AGREEMENT = 0.99;

export function registerImportModel(program: Command): void {
  const importModel = program.command("import-model").description("add a model trained elsewhere to the bundle");
  importModel
    .command("spark <modelDir>")
    .description("a saved Spark ALSModel (model.write().save(DIR)), served like any trained model")
    .requiredOption("--items <dir>", "what the model's item ids are: a `musicrec export parquet` folder, or a saved Spark StringIndexerModel")
    .option("--name <name>", "name of the model in the bundle (--model NAME elsewhere)", "spark-als")
    .option("--regularization <x>", "λ the model was trained with (Spark's regParam; Spark does not save it)", String(DEFAULT_IMPORTED_ALS_PARAMS.regularization))
    .option("--alpha <x>", "α the model was trained with (Spark does not save it)", String(DEFAULT_IMPORTED_ALS_PARAMS.alpha))
    .option("--weighting <scheme>", `how plays became ratings: ${WEIGHTING_SCHEMES.join(", ")} (Spark on an export: none)`, DEFAULT_IMPORTED_ALS_PARAMS.weighting)
    .option("--constant-regularization", "λ not scaled by the listener's number of items (factors trained like musicrec's als or implicit, not Spark)")
    .option("--json", "print the import report as JSON")
    .addHelpText(
      "after",
      "\nThe model joins the bundle of `musicrec train` (run it first; `--models popularity` is enough) and uses its catalogue.\n" +
        "Details: docs/spark.md\n\nExample:\n  musicrec import-model spark /data/spark-als --items /data/musicrec-export --regularization 0.1 --alpha 3",
    )
    .action(async (modelDir: string, flags: ImportSparkFlags, command: Command) => {
      const name = bundleModelName(flags.name);
      const options = {
        modelDir,
        itemsDir: flags.items,
        name,
        regularization: positiveNumber(flags.regularization, "--regularization"),
        alpha: positiveNumber(flags.alpha, "--alpha"),
        weighting: oneOf(flags.weighting, "--weighting", WEIGHTING_SCHEMES),
        regularizationScaling: flags.constantRegularization ? ("constant" as const) : ("per-rating" as const),
      };
      const dir = bundleDirFor(dbPathOf(command));
      const bundle = await loadBundle(dir).catch((error: unknown) => {
        if (error instanceof UserError && error.status === 409 && error.message.startsWith("no trained models")) {
          error.message += ": the imported model joins that bundle and its catalogue (`musicrec train --models popularity` is enough)";
        }
        throw error;
      });
      const progress = progressFor({ json: flags.json });
      const { model, report } = await importSparkModel(bundle.training, options, progress);
      const replaced = bundle.models.has(name);
      progress.start(`saving the bundle with ${name}`);
      await saveBundle(dir, { ...bundle, models: new Map([...bundle.models, [name, model]]) });
      progress.done();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ bundle: dir, replaced, ...report }, null, 2)}\n`);
        return;
      }
      process.stdout.write(describe(report, replaced, bundle.training.catalog.level));
    });
}

/** A name the bundle can hold next to the trained models (it also names its array files). */
function bundleModelName(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(value)) {
    throw new UserError(`--name must be letters, digits, "-" and "_" (at most 64), got "${value}"`);
  }
  if ((MODEL_NAMES as readonly string[]).includes(value)) {
    throw new UserError(`--name ${value} is the name of a trained model; choose another (default spark-als)`);
  }
  return value;
}

function describe(report: SparkImportReport, replaced: boolean, level: string): string {
  const n = (value: number) => value.toLocaleString("en");
  const { items } = report;
  const lines = [
    `${replaced ? "replaced" : "imported"} ${report.name}: Spark ${report.sparkVersion} ALS, rank ${report.rank}, ${n(report.users)} users × ${n(items.model)} items`,
    `  ${n(items.matched)} items matched the bundle's ${n(items.catalogue)} ${level}s through ${items.source === "export" ? "the export's keys" : "the StringIndexer's labels"}` +
      (items.outside > 0 ? `; ${n(items.outside)} are not in the catalogue (kept for the fold-in only)` : "") +
      (items.matched < items.catalogue ? `; ${n(items.catalogue - items.matched)} catalogue items have no factors and are never recommended` : ""),
  ];
  const check = report.foldInCheck;
  if (check) {
    lines.push(`  fold-in check: median cosine ${check.medianCosine.toFixed(4)} with Spark's own factors of ${check.users} users`);
    if (check.medianCosine < FOLD_IN_AGREEMENT) {
      lines.push("  warning: the fold-in disagrees with Spark's user factors: --regularization / --alpha (or --weighting) probably differ from the Spark run");
    }
  }
  lines.push(`  try: musicrec recommend --user NAME --model ${report.name}`);
  return `${lines.join("\n")}\n`;
}

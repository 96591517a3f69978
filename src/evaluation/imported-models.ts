/**
 * Which of the bundle's imported models an evaluation can score honestly. An imported model
 * cannot be refitted on the train part, and a model trained on all the data has seen the test
 * part. So only a model trained on exactly this run's train part is scored: one whose `--items`
 * export was made with `--holdout f` (the train period of `--protocol time --test-fraction f`) at
 * the run's item level and k-core (as chosen or given), with the cutoff this run computes (the store is unchanged). It
 * is re-read from its Spark folder against the run's train part, like any fit. Every other imported
 * model is reported as skipped, with the reason and what to run instead.
 */
import { promises as fs } from "node:fs";
import type { ItemLevel } from "../data/interactions.js";
import { loadBundle } from "../models/bundle.js";
import { ImportedAlsRecommender } from "../models/imported-als.js";
import { importSparkModel } from "../models/import-spark-model.js";
import { readExportManifest, type ExportManifest } from "../spark/export-manifest.js";
import type { PrebuiltModel, SplitSource } from "./evaluate.js";

export interface EvaluationRun {
  source: SplitSource;
  testFraction: number;
  level: ItemLevel;
  /** Only these names (from --models); all imported models when absent. */
  names?: readonly string[];
}

export interface SkippedModel {
  model: string;
  reason: string;
}

export async function importedModelsFor(bundleDir: string, run: EvaluationRun): Promise<{ prebuilt: PrebuiltModel[]; skipped: SkippedModel[] }> {
  const bundle = await loadBundle(bundleDir, { importedOnly: true }).catch(() => null);
  const prebuilt: PrebuiltModel[] = [];
  const skipped: SkippedModel[] = [];
  for (const [name, model] of bundle?.models ?? []) {
    if (!(model instanceof ImportedAlsRecommender) || (run.names && !run.names.includes(name))) continue;
    const { source, ...formulation } = model.params;
    const manifest = await readExportManifest(source.itemsDir).catch(() => null);
    const reason = await whyNot(manifest, source.itemsDir, source.modelDir, run);
    if (reason) {
      skipped.push({ model: name, reason });
      continue;
    }
    const options = { ...formulation, modelDir: source.modelDir, itemsDir: source.itemsDir, name };
    prebuilt.push({ name, build: async (training) => (await importSparkModel(training, options)).model });
  }
  return { prebuilt, skipped };
}

async function whyNot(manifest: ExportManifest | null, itemsDir: string, modelDir: string, run: EvaluationRun): Promise<string | null> {
  if (!manifest) return `its --items folder ${itemsDir} is not (or no longer) a musicrec export`;
  const holdout = manifest.holdout;
  if (!holdout) {
    return "it was trained on all the data, this evaluation's test part included; to score a Spark model, export with --holdout (docs/spark.md)";
  }
  const kCore = run.source.kCore ?? { minUserItems: 1, minItemUsers: 1 };
  const same =
    run.source.protocol === "time" &&
    holdout.testFraction === run.testFraction &&
    manifest.level === run.level &&
    manifest.kCore.minUserItems === kCore.minUserItems &&
    manifest.kCore.minItemUsers === kCore.minItemUsers;
  if (!same) {
    return (
      `it was trained on the train part of \`musicrec evaluate --protocol time --test-fraction ${holdout.testFraction} --item ${manifest.level} ` +
      `--min-user-items ${manifest.kCore.minUserItems} --min-item-users ${manifest.kCore.minItemUsers}\`: run that`
    );
  }
  if (run.source.cutoff?.toISOString() !== holdout.cutoff) {
    return `the store changed since the export (its cutoff ${holdout.cutoff}, now ${run.source.cutoff?.toISOString()}): export, train and import again`;
  }
  if (!(await fs.access(modelDir).then(() => true, () => false))) return `its Spark model folder ${modelDir} is gone`;
  return null;
}

/**
 * `musicrec import-model spark`: a saved Spark `ALSModel` becomes a model over the bundle's
 * catalogue. Its item ids are mapped to catalogue items through `--items`: the keys of a
 * `musicrec export parquet` folder, or the labels of a Spark `StringIndexerModel` (matched as an
 * item key or display name, src/data/item-key.ts keysNamedBy). Spark items outside the catalogue
 * keep their factors for YᵀY only (imported-als.ts); catalogue items Spark has no factors for are
 * never recommended.
 *
 * When the export folder holds exactly the bundle's training data (same users, items, pairs), the
 * import also checks its fold-in against Spark's own user factors: with the λ and α Spark was
 * trained with, folding in a training user's row reproduces that user's Spark factor (cosine ≈ 1);
 * a lower agreement means the --regularization / --alpha flags differ from the Spark run.
 */
import type { TrainingSet } from "../data/training-set.js";
import { keysNamedBy } from "../data/item-key.js";
import { UserError } from "../util/errors.js";
import type { Progress } from "../util/progress.js";
import { readSparkAlsModel, type SparkAlsModel } from "../spark/read-als-model.js";
import { readExportUserNames } from "../spark/read-export-users.js";
import { readItemLabels, type ItemLabels } from "../spark/read-item-labels.js";
import { ImportedAlsRecommender, type ImportedAlsParams } from "./imported-als.js";

export interface SparkImportOptions extends Omit<ImportedAlsParams, "source"> {
  modelDir: string;
  itemsDir: string;
  name: string;
}

export interface SparkImportReport {
  name: string;
  rank: number;
  sparkVersion: string;
  items: {
    source: ItemLabels["source"];
    /** Items with factors in the Spark model. */
    model: number;
    /** …of which are catalogue items, now recommendable. */
    matched: number;
    /** …of which are not in the catalogue (kept for the fold-in's YᵀY only). */
    outside: number;
    catalogue: number;
  };
  users: number;
  /** Agreement of the fold-in with Spark's user factors, when the export is the bundle's data. */
  foldInCheck: { users: number; medianCosine: number } | null;
}

/** "1 user", "1,859 users". */
const count = (n: number, noun: string) => `${n.toLocaleString("en")} ${noun}${n === 1 ? "" : "s"}`;

/** Users sampled by the fold-in check. */
const CHECK_USERS = 50;

export async function importSparkModel(
  training: TrainingSet,
  options: SparkImportOptions,
  progress?: Progress,
): Promise<{ model: ImportedAlsRecommender; report: SparkImportReport }> {
  progress?.start(`reading the Spark model ${options.modelDir}`);
  const spark = await readSparkAlsModel(options.modelDir);
  const labels = await readItemLabels(options.itemsDir, spark.itemCol);
  progress?.done(`rank ${spark.rank}, ${count(spark.users.ids.length, "user")} × ${count(spark.items.ids.length, "item")}`);
  const level = training.catalog.level;
  if (labels.source === "export" && labels.manifest.level !== level) {
    throw new UserError(
      `--items ${labels.dir} is a ${labels.manifest.level}-level export but the bundle recommends ${level}s: ` +
        `export with --item ${level}, or train the bundle with --item ${labels.manifest.level}`,
    );
  }

  const { factors, sourceIds, matched, outside } = mapItems(training, spark, labels, options.modelDir);
  if (matched === 0) {
    throw new UserError(
      `none of the ${spark.items.ids.length.toLocaleString("en")} items of ${options.modelDir} is in the bundle's ${level} catalogue ` +
        `(labels from ${labels.dir}, e.g. "${labels.labels[0]}"): was the model trained on an export of this store?`,
    );
  }
  const { modelDir, itemsDir, name, ...formulation } = options;
  const params: ImportedAlsParams = {
    ...formulation,
    source: { format: "spark-als", modelDir, sparkVersion: spark.sparkVersion, uid: spark.uid, itemsDir, importedAt: new Date().toISOString() },
  };
  const model = ImportedAlsRecommender.fromFactors(name, params, training, { factors, rank: spark.rank, sourceIds });
  return {
    model,
    report: {
      name,
      rank: spark.rank,
      sparkVersion: spark.sparkVersion,
      items: { source: labels.source, model: spark.items.ids.length, matched, outside, catalogue: training.plays.cols },
      users: spark.users.ids.length,
      foldInCheck: await foldInCheck(model, training, spark, labels),
    },
  };
}

/** Catalogue rows then outside rows of Spark's item factors, and each catalogue item's Spark id. */
function mapItems(training: TrainingSet, spark: SparkAlsModel, labels: ItemLabels, modelDir: string) {
  const { rank } = spark;
  const catalogue = training.plays.cols;
  const itemOfKey = new Map<string, number>();
  training.catalog.keys.forEach((key, item) => itemOfKey.set(key, item));
  const lookup =
    labels.source === "export"
      ? (label: string) => itemOfKey.get(label)
      : (label: string) => keysNamedBy(label).map((key) => itemOfKey.get(key)).find((item) => item !== undefined);

  const sourceIds = new Int32Array(catalogue).fill(-1);
  const target = new Int32Array(spark.items.ids.length);
  let outside = 0;
  spark.items.ids.forEach((id, row) => {
    const label = labels.labels[id];
    if (label === undefined) {
      const what = labels.source === "export" ? `${labels.dir}/items.parquet` : `the StringIndexerModel ${labels.dir}`;
      throw new UserError(`${modelDir}/itemFactors: item id ${id} has no label (${what} has ids 0 … ${labels.labels.length - 1})`);
    }
    const item = lookup(label);
    // Two Spark ids naming one catalogue item (labels differing only in case): the first keeps it.
    if (item === undefined || sourceIds[item] >= 0) target[row] = catalogue + outside++;
    else {
      sourceIds[item] = id;
      target[row] = item;
    }
  });
  const factors = new Float32Array((catalogue + outside) * rank);
  for (let row = 0; row < target.length; row++) factors.set(spark.items.features.subarray(row * rank, (row + 1) * rank), target[row] * rank);
  return { factors, sourceIds, matched: spark.items.ids.length - outside, outside };
}

async function foldInCheck(model: ImportedAlsRecommender, training: TrainingSet, spark: SparkAlsModel, labels: ItemLabels): Promise<SparkImportReport["foldInCheck"]> {
  if (labels.source !== "export") return null;
  const { manifest } = labels;
  const sameData = !manifest.holdout && manifest.users === training.plays.rows && manifest.items === training.plays.cols && manifest.interactions === training.plays.nnz;
  if (!sameData) return null;
  const names = await readExportUserNames(labels.dir);
  const userOfName = new Map(training.userNames.map((name, user) => [name, user]));
  const k = spark.rank;
  const cosines: number[] = [];
  const step = Math.max(1, Math.floor(spark.users.ids.length / CHECK_USERS));
  for (let row = 0; row < spark.users.ids.length && cosines.length < CHECK_USERS; row += step) {
    const user = userOfName.get(names[spark.users.ids[row]]);
    if (user === undefined) continue;
    const x = model.userVector({ items: training.plays.rowIndices(user), plays: training.plays.rowData(user) });
    const y = spark.users.features.subarray(row * k, (row + 1) * k);
    let dot = 0;
    let xx = 0;
    let yy = 0;
    for (let f = 0; f < k; f++) (dot += x[f] * y[f]), (xx += x[f] * x[f]), (yy += y[f] * y[f]);
    cosines.push(xx > 0 && yy > 0 ? dot / Math.sqrt(xx * yy) : 0);
  }
  if (cosines.length === 0) return null;
  cosines.sort((a, b) => a - b);
  return { users: cosines.length, medianCosine: cosines[Math.floor(cosines.length / 2)] };
}

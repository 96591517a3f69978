/**
 * The seam end to end: export a store → fit musicrec's own ALS on the same training set → write
 * its factors in Spark's ALSModel layout (item ids taken from the export's items.parquet, rows
 * shuffled over several part files) → import → the imported model recommends exactly what `als` does.
 * On HetRec 2011 when the shared data is present, and always on a generated scrobble store.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildTrainingSet } from "../../src/data/training-set.js";
import { generateDataset } from "../../src/ingest/generate/generate.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { AlsRecommender } from "../../src/models/als.js";
import { importSparkModel } from "../../src/models/import-spark-model.js";
import { exportParquet } from "../../src/spark/export-parquet.js";
import { withScratchDuckDb } from "../../src/store/scratch-duckdb.js";
import { loadInteractions } from "../../src/store/load-interactions.js";
import { sqlString } from "../../src/store/sql.js";
import { Store } from "../../src/store/store.js";
import { silentProgress } from "../../src/util/progress.js";
import { sharedData } from "../ingest/helpers.js";
import { alsMetadata, writeFactors, writeMetadata } from "./spark-fixtures.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-spark-round-trip-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const hetrec = process.env.MUSICREC_HETREC ?? path.join(sharedData, "hetrec2011-lastfm-2k");
if (!existsSync(hetrec)) console.warn(`Spark round trip on HetRec skipped: ${hetrec} is absent (the generated store still runs)`);

const DATASETS = [
  { name: "HetRec 2011", available: existsSync(hetrec), files: async () => [hetrec] },
  {
    name: "a generated scrobble store",
    available: true,
    files: async () => {
      const file = path.join(scratch, "generated.csv");
      await generateDataset({ output: file, format: "kaggle", users: 60, scrobbles: 12_000, seed: 11 });
      return [file];
    },
  },
];

/** Row r of a row-major matrix with rows in `order`. */
const permuted = (data: Float32Array, k: number, order: number[]) => order.map((row) => data.subarray(row * k, (row + 1) * k));

describe.each(DATASETS)("export → musicrec ALS → Spark layout → import on $name", ({ name, available, files }) => {
  it.skipIf(!available)("recommends and finds similar items exactly as the als model", async () => {
    const dir = path.join(scratch, name.replace(/\W+/g, "-"));
    const store = await Store.open(":memory:");
    let training;
    try {
      await importPaths(store, await files());
      await exportParquet(store, path.join(dir, "export"), { minUserItems: 5, minItemUsers: 5 }, silentProgress);
      training = buildTrainingSet(await loadInteractions(store), { minUserItems: 5, minItemUsers: 5 });
    } finally {
      store.close();
    }

    const als = new AlsRecommender({ factors: 12, iterations: 4 });
    await als.fit(training);
    const itemFactors = als.learned.itemFactors.data;
    const userFactors = als.learned.userFactors.data;
    const k = als.params.factors;
    // Spark ids from the export's files, not from the training set.
    const exported = await withScratchDuckDb(async (c) => {
      const items = (await c.runAndReadAll(`SELECT item_id, key FROM ${sqlString(path.join(dir, "export", "items.parquet"))}`)).getColumns();
      const users = (await c.runAndReadAll(`SELECT user_id, name FROM ${sqlString(path.join(dir, "export", "users.parquet"))}`)).getColumns();
      return {
        itemId: new Map(items[1].map((key, n) => [String(key), Number(items[0][n])])),
        userId: new Map(users[1].map((user, n) => [String(user), Number(users[0][n])])),
      };
    });
    const model = path.join(dir, "spark-model");
    writeMetadata(model, alsMetadata(k));
    const itemOrder = training.catalog.keys.map((_, i) => i).reverse();
    await writeFactors(path.join(model, "itemFactors"), {
      ids: itemOrder.map((i) => exported.itemId.get(training.catalog.keys[i])!),
      features: permuted(itemFactors, k, itemOrder),
    });
    const userOrder = training.userNames.map((_, u) => u).reverse();
    await writeFactors(path.join(model, "userFactors"), {
      ids: userOrder.map((u) => exported.userId.get(training.userNames[u])!),
      features: permuted(userFactors, k, userOrder),
    });

    const { model: imported, report } = await importSparkModel(training, {
      modelDir: model,
      itemsDir: path.join(dir, "export"),
      name: "spark-als",
      regularization: als.params.regularization,
      alpha: als.params.alpha,
      weighting: als.params.weighting,
      regularizationScaling: "constant",
    });
    expect(report.items).toMatchObject({ source: "export", matched: training.plays.cols, outside: 0 });
    expect(report.foldInCheck!.medianCosine).toBeGreaterThan(0.9999);
    for (let user = 0; user < training.plays.rows; user++) {
      const history = { items: training.plays.rowIndices(user), plays: training.plays.rowData(user) };
      expect(imported.recommend(history, { k: 10 })).toEqual(als.recommend(history, { k: 10 }));
    }
    for (const item of [0, 7, training.plays.cols - 1]) expect(imported.similarItems(item, 10)).toEqual(als.similarItems(item, 10));
  }, 180_000);
});

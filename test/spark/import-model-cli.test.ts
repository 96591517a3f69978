/**
 * `musicrec import-model spark` end to end through the CLI, the service and the web app: a model
 * in Spark's layout (here: the factors of the bundle's own als, so every answer has a reference)
 * is served like any other, failed imports leave the bundle as it was, retraining keeps it, and
 * `evaluate` scores it only when it was trained on the evaluation's train part.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerEvaluate } from "../../src/cli/commands/evaluate.js";
import { registerExport } from "../../src/cli/commands/export.js";
import { registerImportModel } from "../../src/cli/commands/import-model.js";
import { registerRecommend } from "../../src/cli/commands/recommend.js";
import { registerSimilar } from "../../src/cli/commands/similar.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import type { TrainingSet } from "../../src/data/training-set.js";
import { splitSource } from "../../src/evaluation/protocols.js";
import { evaluationModel } from "../../src/evaluation/models.js";
import { generateDataset } from "../../src/ingest/generate/generate.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { readHistoryFile } from "../../src/ingest/read-history.js";
import type { AlsRecommender } from "../../src/models/als.js";
import { loadBundle } from "../../src/models/bundle.js";
import { createAppContext } from "../../src/serving/app-context.js";
import { buildServer } from "../../src/serving/server.js";
import { StoreDataset } from "../../src/serving/store-dataset.js";
import { withScratchDuckDb } from "../../src/store/scratch-duckdb.js";
import { sqlString } from "../../src/store/sql.js";
import { Store } from "../../src/store/store.js";
import { openStoreAccess } from "../../src/store/store-access.js";
import { bundleDirFor } from "../../src/util/config.js";
import { runCommand } from "../run-command.js";
import { alsMetadata, writeAlsModel, writeFactors, writeMetadata, writeStringIndexer } from "./spark-fixtures.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-import-model-"));
const db = path.join(scratch, "store.duckdb");
const bundleDir = bundleDirFor(db);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const KCORE = ["--min-user-items", "2", "--min-item-users", "2"];
/** Flags that make the import fold in the way musicrec's own als does (its defaults: λ 1, α 0.01, bm25). */
const AS_ALS = ["--weighting", "bm25", "--constant-regularization", "--regularization", "1", "--alpha", "0.01"];

const COMMANDS = [registerTrain, registerRecommend, registerSimilar, registerExport, registerImportModel, registerEvaluate];
const run = (...args: string[]) => runCommand(db, COMMANDS, args);
const json = async (...args: string[]) => JSON.parse(await run(...args, "--json"));

/** Export ids of items (by key) and users (by name). */
async function exportIds(dir: string): Promise<{ item: Map<string, number>; user: Map<string, number> }> {
  return withScratchDuckDb(async (c) => {
    const items = (await c.runAndReadAll(`SELECT key, item_id FROM ${sqlString(path.join(dir, "items.parquet"))}`)).getColumns();
    const users = (await c.runAndReadAll(`SELECT name, user_id FROM ${sqlString(path.join(dir, "users.parquet"))}`)).getColumns();
    return {
      item: new Map(items[0].map((key, n) => [String(key), Number(items[1][n])])),
      user: new Map(users[0].map((name, n) => [String(name), Number(users[1][n])])),
    };
  });
}

/** Writes an ALS model's factors in Spark's layout, with the export's ids. */
async function writeAsSpark(model: AlsRecommender, training: TrainingSet, exportDir: string, modelDir: string, withUsers = true): Promise<void> {
  const ids = await exportIds(exportDir);
  const k = model.params.factors;
  const rows = (data: Float32Array, n: number) => Array.from({ length: n }, (_, r) => data.subarray(r * k, (r + 1) * k));
  writeMetadata(modelDir, alsMetadata(k));
  await writeFactors(path.join(modelDir, "itemFactors"), {
    ids: training.catalog.keys.map((key) => ids.item.get(key)!),
    features: rows(model.learned.itemFactors.data, training.plays.cols),
  });
  const users = withUsers ? training.userNames.map((name) => ids.user.get(name)!) : [];
  await writeFactors(path.join(modelDir, "userFactors"), { ids: users, features: withUsers ? rows(model.learned.userFactors.data, users.length) : [] });
}

const current = () => readFileSync(path.join(bundleDir, "CURRENT"), "utf8");

let users: string[];
beforeAll(async () => {
  const file = path.join(scratch, "listens.csv");
  await generateDataset({ output: file, format: "kaggle", users: 40, scrobbles: 8000, seed: 4 });
  const store = await Store.open(db);
  try {
    await importPaths(store, [file]);
  } finally {
    store.close();
  }
  await json("train", "--models", "popularity,als", "--factors", "8", "--iterations", "3", ...KCORE);
  await json("export", "parquet", path.join(scratch, "export"), ...KCORE);
  const bundle = await loadBundle(bundleDir);
  users = bundle.training.userNames;
  await writeAsSpark(bundle.models.get("als") as AlsRecommender, bundle.training, path.join(scratch, "export"), path.join(scratch, "spark-als"));
}, 120_000);

/**
 * The same items, reasons and order; scores equal to float32 precision: `als` scores a known
 * listener from the user factors it learned, the imported model folds the same history in.
 */
function expectSameRanking(actual: { score: number }[], expected: { score: number }[]): void {
  const withoutScore = (rows: { score: number }[]) => rows.map(({ score: _, ...rest }) => rest);
  expect(withoutScore(actual)).toEqual(withoutScore(expected));
  actual.forEach((row, i) => expect(row.score).toBeCloseTo(expected[i].score, 5));
}

describe("musicrec import-model spark", () => {
  it("imports the model and serves it like any other: CLI, service, API and pages", async () => {
    const report = await json("import-model", "spark", path.join(scratch, "spark-als"), "--items", path.join(scratch, "export"), ...AS_ALS);
    const bundle = await loadBundle(bundleDir);
    expect(report).toMatchObject({ name: "spark-als", rank: 8, replaced: false, items: { source: "export", matched: bundle.training.plays.cols, outside: 0 } });
    expect(report.foldInCheck.medianCosine).toBeGreaterThan(0.9999);
    expect([...bundle.models.keys()].sort()).toEqual(["als", "popularity", "spark-als"]);

    for (const user of [users[0], users[17], users[users.length - 1]]) {
      const spark = await json("recommend", "--user", user, "--model", "spark-als", "-k", "8");
      const als = await json("recommend", "--user", user, "--model", "als", "-k", "8");
      expect(spark.model).toBe("spark-als");
      expectSameRanking(spark.recommendations, als.recommendations);
    }
    const item = `${bundle.training.catalog.artists[3]} - ${bundle.training.catalog.tracks[3]}`;
    expect((await json("similar", "--item", item, "--model", "spark-als")).similar).toEqual((await json("similar", "--item", item, "--model", "als")).similar);
    await expect(run("recommend", "--user", users[0], "--model", "spark-nope")).rejects.toThrow(/"spark-nope" is not in the saved bundle \(trained: als, popularity; imported: spark-als\)/);

    const store = await Store.open(db, { readOnly: true });
    const app = await buildServer(createAppContext(bundle, new StoreDataset(openStoreAccess(store)), readHistoryFile));
    try {
      const health = (await app.inject({ url: "/api/health" })).json();
      expect(health.models).toEqual(["als", "popularity", "spark-als"]);
      const api = await app.inject({ url: `/api/users/${encodeURIComponent(users[0])}/recommendations?model=spark-als&k=5` });
      const reference = await app.inject({ url: `/api/users/${encodeURIComponent(users[0])}/recommendations?model=als&k=5` });
      expect(api.statusCode).toBe(200);
      expectSameRanking(api.json().items, reference.json().items);
      const page = await app.inject({ url: `/recommendations?user=${encodeURIComponent(users[0])}` });
      expect(page.body).toContain('data-model="spark-als"');
      expect(page.body).toContain("Implicit ALS trained by Apache Spark 3.5.1 (rank 8)");
    } finally {
      await app.close();
      store.close();
    }
  }, 120_000);

  it("maps ids through a StringIndexerModel of display names", async () => {
    const bundle = await loadBundle(bundleDir);
    const { catalog } = bundle.training;
    const ids = await exportIds(path.join(scratch, "export"));
    const labels: string[] = [];
    for (const [key, id] of ids.item) {
      const i = catalog.keys.indexOf(key);
      labels[id] = `${catalog.artists[i]} - ${catalog.tracks[i]}`;
    }
    await writeStringIndexer(path.join(scratch, "indexer"), [labels], ["item_id"]);
    const report = await json("import-model", "spark", path.join(scratch, "spark-als"), "--items", path.join(scratch, "indexer"), "--name", "spark-indexed", ...AS_ALS);
    expect(report.items).toMatchObject({ source: "string-indexer", matched: catalog.keys.length, outside: 0 });
    expect(report.foldInCheck).toBeNull();
    const a = await json("recommend", "--user", users[5], "--model", "spark-indexed");
    const b = await json("recommend", "--user", users[5], "--model", "als");
    expectSameRanking(a.recommendations, b.recommendations);
  }, 60_000);

  it("leaves the bundle as it was when an import fails", async () => {
    const before = current();
    const versions = readdirSync(bundleDir).sort();
    const items = path.join(scratch, "export");
    const model = path.join(scratch, "spark-als");
    const failing: [string[], RegExp][] = [
      [["import-model", "spark", model, "--items", items, "--name", "als"], /--name als is the name of a trained model/],
      [["import-model", "spark", model, "--items", items, "--name", "../x"], /--name must be letters, digits/],
      [["import-model", "spark", path.join(scratch, "nowhere"), "--items", items], /nowhere is missing \(expected a saved Spark model\)/],
      [["import-model", "spark", path.join(scratch, "indexer"), "--items", items], /holds a org.apache.spark.ml.feature.StringIndexerModel, not an org.apache.spark.ml.recommendation.ALSModel/],
      [["import-model", "spark", model, "--items", path.join(scratch, "spark-als")], /holds a org.apache.spark.ml.recommendation.ALSModel, not a org.apache.spark.ml.feature.StringIndexerModel/],
      [["import-model", "spark", model, "--items", items, "--alpha", "0"], /--alpha must be a positive number/],
    ];
    const unlabelled = path.join(scratch, "unlabelled");
    await writeAlsModel(unlabelled, { rank: 2, users: { ids: [0], features: [[1, 1]] }, items: { ids: [0, 1, 99_999], features: [[1, 0], [0, 1], [1, 1]] } });
    failing.push([["import-model", "spark", unlabelled, "--items", items], /itemFactors: item id 99999 has no label \(.*items.parquet has ids 0 … \d+\)/]);
    const artists = path.join(scratch, "export-artists");
    await run("export", "parquet", artists, "--item", "artist", ...KCORE);
    failing.push([["import-model", "spark", model, "--items", artists], /is a artist-level export but the bundle recommends tracks: export with --item track/]);
    const strangers = path.join(scratch, "strangers");
    await writeStringIndexer(strangers, [["Nobody - Nothing", "Nowhere - Never"]], ["item_id"]);
    await writeAlsModel(path.join(scratch, "two-items"), { rank: 2, users: { ids: [0], features: [[1, 1]] }, items: { ids: [0, 1], features: [[1, 0], [0, 1]] } });
    failing.push([["import-model", "spark", path.join(scratch, "two-items"), "--items", strangers], /none of the 2 items of .* is in the bundle's track catalogue/]);

    for (const [args, message] of failing) await expect(run(...args), args.join(" ")).rejects.toThrow(message);
    expect(current()).toBe(before);
    expect(readdirSync(bundleDir).sort()).toEqual(versions);

    rmSync(bundleDir, { recursive: true });
    await expect(run("import-model", "spark", model, "--items", items)).rejects.toThrow(/no trained models in .*: the imported model joins that bundle and its catalogue/);
    expect(existsSync(bundleDir)).toBe(false);
  }, 120_000);

  it("keeps imported models when the bundle is trained again", async () => {
    await json("train", "--models", "popularity,als", "--factors", "8", "--iterations", "3", ...KCORE);
    await json("import-model", "spark", path.join(scratch, "spark-als"), "--items", path.join(scratch, "export"), ...AS_ALS);
    const summary = await json("train", "--models", "popularity", ...KCORE);
    const bundle = await loadBundle(bundleDir);
    expect(summary.imported).toEqual([{ name: "spark-als", coveredItems: bundle.training.plays.cols }]);
    expect([...bundle.models.keys()].sort()).toEqual(["popularity", "spark-als"]);
    expect((await json("recommend", "--user", users[2], "--model", "spark-als")).recommendations).toHaveLength(10);
  }, 120_000);

  it("evaluate scores an imported model only when it was trained on the evaluation's train part", async () => {
    const evaluate = ["evaluate", "--protocol", "time", "--test-fraction", "0.2", "--seed", "0", ...KCORE];
    const skipped = await json(...evaluate, "--models", "popularity,spark-als");
    expect(skipped.results.map((r: { model: string }) => r.model)).toEqual(["popularity"]);
    expect(skipped.skipped).toEqual([{ model: "spark-als", reason: expect.stringMatching(/trained on all the data, this evaluation's test part included/) }]);

    // "Spark" trains on the --holdout export: here the evaluation's own als, fitted on that train part.
    const exportDir = path.join(scratch, "export-holdout");
    const manifest = await json("export", "parquet", exportDir, "--holdout", "0.2", ...KCORE);
    expect(manifest.holdout).toMatchObject({ protocol: "time", testFraction: 0.2 });
    const store = await Store.open(db, { readOnly: true });
    let training: TrainingSet;
    try {
      const source = await splitSource(store, { protocol: "time", testFraction: 0.2, lastN: 1, minUserItems: 2, minItemUsers: 2 });
      training = { plays: (await source.split(0)).train, catalog: source.catalog, userNames: source.userNames };
    } finally {
      store.close();
    }
    const als = evaluationModel("als", 0, new Map()) as AlsRecommender;
    await als.fit(training);
    await writeAsSpark(als, training, exportDir, path.join(scratch, "spark-eval"));
    await json("import-model", "spark", path.join(scratch, "spark-eval"), "--items", exportDir, "--name", "spark-eval", ...AS_ALS);

    const scored = await json(...evaluate, "--models", "als,spark-eval,spark-als");
    type Row = { model: string; ndcg: number; recall: number };
    const byModel = new Map<string, Row>(scored.results.map((r: Row) => [r.model, r]));
    expect([...byModel.keys()]).toEqual(["als", "spark-eval"]);
    expect(byModel.get("spark-eval")).toMatchObject({ ndcg: byModel.get("als")!.ndcg, recall: byModel.get("als")!.recall });
    expect(scored.skipped.map((s: { model: string }) => s.model)).toEqual(["spark-als"]);
    const other = await json("evaluate", "--protocol", "time", "--test-fraction", "0.3", "--seed", "0", ...KCORE, "--models", "popularity,spark-eval");
    expect(other.skipped[0].reason).toMatch(/train part of `musicrec evaluate --protocol time --test-fraction 0.2 --item track --min-user-items 2 --min-item-users 2`: run that/);
    await expect(run(...evaluate, "--models", "als,spark-typo")).rejects.toThrow(/--models: unknown model "spark-typo" \(one of .*spark-als, spark-eval/);
  }, 240_000);
});

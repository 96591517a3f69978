import { mkdirSync, mkdtempSync, rmSync, unlinkSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSparkAlsModel } from "../../src/spark/read-als-model.js";
import { readItemLabels } from "../../src/spark/read-item-labels.js";
import { alsMetadata, factorRows, writeAlsModel, writeFactors, writeMetadata, writeParts, writeStringIndexer } from "./spark-fixtures.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-spark-read-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;
const fresh = (name: string) => path.join(scratch, `${name}-${serial++}`);

const RANK = 4;
/** 7 items with ids in shuffled order, feature f of id i = i + f / 10. */
const ITEM_IDS = [5, 0, 3, 6, 1, 4, 2];
const itemRows = () => ({ ids: ITEM_IDS, features: ITEM_IDS.map((id) => Array.from({ length: RANK }, (_, f) => id + f / 10)) });
const userRows = () => factorRows(Float32Array.from({ length: 3 * RANK }, (_, i) => -i), RANK);

async function model(name: string, change: Partial<Parameters<typeof writeAlsModel>[1]> = {}): Promise<string> {
  const dir = fresh(name);
  await writeAlsModel(dir, { rank: RANK, users: userRows(), items: itemRows(), ...change });
  return dir;
}

describe("reading a saved Spark ALSModel", () => {
  it("reads rank, columns and both factor sides from several part files, in id order", async () => {
    const dir = await model("ok");
    expect(readdirSync(path.join(dir, "itemFactors")).filter((f) => f.endsWith(".parquet"))).toHaveLength(3);
    const read = await readSparkAlsModel(dir);
    expect(read).toMatchObject({ rank: RANK, userCol: "user_id", itemCol: "item_id", sparkVersion: "3.5.1", uid: "ALS_4f2c9a1b7e3d" });
    expect(Array.from(read.items.ids)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(read.items.features.length).toBe(7 * RANK);
    for (let id = 0; id < 7; id++) for (let f = 0; f < RANK; f++) expect(read.items.features[id * RANK + f]).toBeCloseTo(id + f / 10, 6);
    expect(Array.from(read.users.features.subarray(RANK, 2 * RANK))).toEqual([-4, -5, -6, -7]);
  });

  it("accepts the rank inside paramMap", async () => {
    const { rank: _rank, ...metadata } = alsMetadata(RANK);
    const dir = await model("param-rank", { metadata: { ...metadata, paramMap: { rank: RANK } } });
    expect((await readSparkAlsModel(dir)).rank).toBe(RANK);
  });

  it("explains every broken layout", async () => {
    await expect(readSparkAlsModel(fresh("nothing-here"))).rejects.toThrow(/nothing-here-\d+ is missing \(expected a saved Spark model\)/);

    const noMetadata = await model("no-metadata");
    rmSync(path.join(noMetadata, "metadata"), { recursive: true });
    await expect(readSparkAlsModel(noMetadata)).rejects.toThrow(/metadata\/part-00000 is missing: .* is not a folder saved by Spark's model.write\(\).save\(\)/);

    const indexer = fresh("indexer");
    await writeStringIndexer(indexer, [["a", "b"]], ["item_id"]);
    await expect(readSparkAlsModel(indexer)).rejects.toThrow(/holds a org.apache.spark.ml.feature.StringIndexerModel, not an org.apache.spark.ml.recommendation.ALSModel/);

    const noRank = await model("no-rank", { metadata: { ...alsMetadata(RANK), rank: "ten" } });
    await expect(readSparkAlsModel(noRank)).rejects.toThrow(/"rank" must be a positive integer, got "ten"/);

    const noItems = await model("no-item-factors");
    rmSync(path.join(noItems, "itemFactors"), { recursive: true });
    await expect(readSparkAlsModel(noItems)).rejects.toThrow(/itemFactors is missing \(expected a Parquet folder\)/);

    const onlyMarkers = await model("only-markers");
    for (const file of readdirSync(path.join(onlyMarkers, "userFactors"))) {
      if (file.endsWith(".parquet")) unlinkSync(path.join(onlyMarkers, "userFactors", file));
    }
    await expect(readSparkAlsModel(onlyMarkers)).rejects.toThrow(/userFactors has no Parquet part files \(only .*_SUCCESS/);

    const empty = await model("empty");
    rmSync(path.join(empty, "itemFactors"), { recursive: true });
    await writeFactors(path.join(empty, "itemFactors"), { ids: [], features: [] }, 2);
    await expect(readSparkAlsModel(empty)).rejects.toThrow(/itemFactors is empty: its 2 part file\(s\) hold no item factors/);

    const wrongRank = await model("wrong-rank", { metadata: alsMetadata(5), rank: 5 });
    await expect(readSparkAlsModel(wrongRank)).rejects.toThrow(/userFactors: user 0 has 4 features, but the model's rank is 5/);

    const short = itemRows();
    short.features[2] = [1, 2];
    const shortRow = await model("short-row", { items: short });
    await expect(readSparkAlsModel(shortRow)).rejects.toThrow(/itemFactors: item 3 has 2 features, but the model's rank is 4/);

    const nulls = itemRows();
    nulls.features[0] = null as unknown as number[];
    await expect(readSparkAlsModel(await model("null-row", { items: nulls }))).rejects.toThrow(/item 5 has no features/);

    const holes = itemRows();
    holes.features[5] = [1, null, 3, 4] as number[];
    await expect(readSparkAlsModel(await model("null-element", { items: holes }))).rejects.toThrow(/item 4 has missing \(NULL\) features/);
    const infinite = itemRows();
    infinite.features[3] = [1, "NaN", 3, 4] as unknown as number[];
    await expect(readSparkAlsModel(await model("nan", { items: infinite }))).rejects.toThrow(/item 6 has non-finite features/);

    const twice = await model("duplicate", { items: { ids: [0, 1, 1], features: [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]] } });
    await expect(readSparkAlsModel(twice)).rejects.toThrow(/item id 1 appears more than once/);

    const notParquet = await model("not-parquet");
    await writeParts(path.join(notParquet, "userFactors"), "{id: 'VARCHAR', features: 'FLOAT[]'}", [{ id: "x", features: [1, 2, 3, 4] }], 1);
    await expect(readSparkAlsModel(notParquet)).rejects.toThrow(/userFactors: expected columns id INT and features array<float>, found id VARCHAR/);
  });
});

describe("reading item labels", () => {
  it("takes the labels of a one-column StringIndexer folder: id i is label i", async () => {
    const dir = fresh("labels");
    await writeStringIndexer(dir, [["Radiohead - Karma Police", "Björk - Jóga"]], ["item_id"]);
    expect(await readItemLabels(dir, "item_id")).toMatchObject({ source: "string-indexer", labels: ["Radiohead - Karma Police", "Björk - Jóga"] });
  });

  it("picks the item column of a multi-column indexer and refuses when none matches", async () => {
    const dir = fresh("multi");
    await writeStringIndexer(dir, [["u1", "u2"], ["Air", "Moby", "Muse"]], ["user_idx", "item_idx"]);
    expect((await readItemLabels(dir, "item_idx")).labels).toEqual(["Air", "Moby", "Muse"]);
    await expect(readItemLabels(dir, "item")).rejects.toThrow(/indexes 2 columns \(user_idx, item_idx\); none is the ALS model's item column "item"/);
  });

  it("reads Spark 2 indexers (labels) and refuses folders that are neither", async () => {
    const dir = fresh("spark2");
    writeMetadata(dir, { class: "org.apache.spark.ml.feature.StringIndexerModel", sparkVersion: "2.2.0", uid: "s", paramMap: { outputCol: "item" } });
    await writeParts(path.join(dir, "data"), "{labels: 'VARCHAR[]'}", [{ labels: ["Air", "Moby"] }], 1);
    expect((await readItemLabels(dir, "item")).labels).toEqual(["Air", "Moby"]);

    const plain = fresh("plain");
    mkdirSync(plain);
    await expect(readItemLabels(plain, "item")).rejects.toThrow(/neither a musicrec export folder .* nor a saved Spark StringIndexerModel/);
    const als = await model("als-as-items");
    await expect(readItemLabels(als, "item")).rejects.toThrow(/holds a org.apache.spark.ml.recommendation.ALSModel, not a org.apache.spark.ml.feature.StringIndexerModel/);
  });
});

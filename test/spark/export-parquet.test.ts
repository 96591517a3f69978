import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTrainingSet } from "../../src/data/training-set.js";
import { trainingSetFor } from "../../src/data/k-core-choice.js";
import { generateDataset } from "../../src/ingest/generate/generate.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { exportParquet } from "../../src/spark/export-parquet.js";
import { readExportManifest } from "../../src/spark/export-manifest.js";
import { loadInteractions } from "../../src/store/load-interactions.js";
import { sqlString } from "../../src/store/sql.js";
import { Store } from "../../src/store/store.js";
import { silentProgress } from "../../src/util/progress.js";
import { splitSource } from "../../src/evaluation/protocols.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-export-"));
let store: Store;
let duck: DuckDBConnection;
let instance: DuckDBInstance;

beforeAll(async () => {
  const file = path.join(scratch, "listens.csv");
  await generateDataset({ output: file, format: "kaggle", users: 40, scrobbles: 8000, seed: 5 });
  store = await Store.open(path.join(scratch, "store.duckdb"));
  await importPaths(store, [file]);
  instance = await DuckDBInstance.create(":memory:");
  duck = await instance.connect();
}, 60_000);

afterAll(() => {
  store.close();
  duck.closeSync();
  instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await duck.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

describe("export parquet", () => {
  it("writes the k-core of `musicrec train` with the training set's own indices as ids", async () => {
    const dir = path.join(scratch, "track-3-4");
    const manifest = await exportParquet(store, dir, { minUserItems: 3, minItemUsers: 4 }, silentProgress);
    const training = buildTrainingSet(await loadInteractions(store, { level: "track" }), { minUserItems: 3, minItemUsers: 4 });
    expect(manifest).toMatchObject({ level: "track", users: training.plays.rows, items: training.plays.cols, interactions: training.plays.nnz });
    expect(training.plays.cols).toBeLessThan((await loadInteractions(store)).catalog.keys.length);

    const users = await rows(`SELECT user_id, name FROM ${sqlString(path.join(dir, "users.parquet"))} ORDER BY user_id`);
    expect(users.map((u) => u.name)).toEqual(training.userNames);
    expect(users.map((u) => u.user_id)).toEqual(training.userNames.map((_, i) => i));
    const items = await rows(`SELECT item_id, key, artist, track FROM ${sqlString(path.join(dir, "items.parquet"))} ORDER BY item_id`);
    expect(items.map((i) => i.key)).toEqual(training.catalog.keys);
    expect(items.map((i) => i.track)).toEqual(training.catalog.tracks);

    const parts = readdirSync(path.join(dir, "interactions"));
    expect(parts.every((name) => name.endsWith(".parquet"))).toBe(true);
    const schema = await rows(`DESCRIBE SELECT * FROM read_parquet(${sqlString(path.join(dir, "interactions", "*.parquet"))})`);
    expect(schema.map((c) => `${c.column_name} ${c.column_type}`)).toEqual([
      "user_id INTEGER",
      "item_id INTEGER",
      "plays FLOAT",
      "last_played TIMESTAMP",
    ]);
    const pairs = await rows(
      `SELECT user_id, item_id, plays, epoch_ms(last_played) AS t FROM read_parquet(${sqlString(path.join(dir, "interactions", "*.parquet"))}) ORDER BY user_id, item_id`,
    );
    const expected: string[] = [];
    for (let u = 0; u < training.plays.rows; u++) {
      for (let p = training.plays.indptr[u]; p < training.plays.indptr[u + 1]; p++) {
        expected.push(`${u} ${training.plays.indices[p]} ${training.plays.data[p]} ${training.lastPlayed![p]}`);
      }
    }
    expect(pairs.map((p) => `${p.user_id} ${p.item_id} ${p.plays} ${Number(p.t)}`)).toEqual(expected);
    expect(await readExportManifest(dir)).toEqual(manifest);
  }, 60_000);

  it("without thresholds chooses the k-core from the listeners exactly as train does", async () => {
    const manifest = await exportParquet(store, path.join(scratch, "chosen"), {}, silentProgress);
    const { training, kCore } = trainingSetFor(await loadInteractions(store));
    expect(kCore.auto).toBe(true);
    expect(manifest.kCore).toEqual({ minUserItems: kCore.minUserItems, minItemUsers: kCore.minItemUsers });
    expect(manifest).toMatchObject({ users: training.plays.rows, items: training.plays.cols, interactions: training.plays.nnz });
    const items = await rows(`SELECT key FROM ${sqlString(path.join(scratch, "chosen", "items.parquet"))} ORDER BY item_id`);
    expect(items.map((i) => i.key)).toEqual(training.catalog.keys);
  }, 60_000);

  it("exports every user and item with the k-core off, at artist level", async () => {
    const dir = path.join(scratch, "artist-1-1");
    const manifest = await exportParquet(store, dir, { level: "artist", minUserItems: 1, minItemUsers: 1 }, silentProgress);
    const data = await loadInteractions(store, { level: "artist" });
    expect(manifest).toMatchObject({ level: "artist", users: data.userNames.length, items: data.catalog.keys.length, interactions: data.userIdx.length });
    const items = await rows(`SELECT key, track FROM ${sqlString(path.join(dir, "items.parquet"))} ORDER BY item_id`);
    expect(items.map((i) => i.key)).toEqual(data.catalog.keys);
    expect(items.every((i) => i.track === null)).toBe(true);
  }, 60_000);

  it("--holdout exports the train period of the time protocol, in the ids of its catalogue", async () => {
    const dir = path.join(scratch, "holdout");
    const manifest = await exportParquet(store, dir, { minUserItems: 3, minItemUsers: 3, holdout: 0.25 }, silentProgress);
    const source = await splitSource(store, { protocol: "time", testFraction: 0.25, lastN: 1, minUserItems: 3, minItemUsers: 3 });
    const { train } = await source.split(0);
    expect(manifest.holdout?.cutoff).toBe(source.description.match(/at or after (\S+)\)/)?.[1]);
    expect(manifest).toMatchObject({ users: source.userNames.length, items: source.catalog.keys.length, interactions: train.nnz });
    const items = await rows(`SELECT key FROM ${sqlString(path.join(dir, "items.parquet"))} ORDER BY item_id`);
    expect(items.map((i) => i.key)).toEqual(source.catalog.keys);
    const pairs = await rows(`SELECT user_id, item_id, plays FROM read_parquet(${sqlString(path.join(dir, "interactions", "*.parquet"))}) ORDER BY ALL`);
    const expected: string[] = [];
    for (let u = 0; u < train.rows; u++) for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) expected.push(`${u} ${train.indices[p]} ${train.data[p]}`);
    expect(pairs.map((p) => `${p.user_id} ${p.item_id} ${p.plays}`)).toEqual(expected);
  }, 60_000);

  it("replaces an earlier export but never another folder, and leaves nothing behind on failure", async () => {
    const dir = path.join(scratch, "again");
    await exportParquet(store, dir, { minUserItems: 2, minItemUsers: 2 }, silentProgress);
    const second = await exportParquet(store, dir, { minUserItems: 3, minItemUsers: 3 }, silentProgress);
    expect((await readExportManifest(dir))?.kCore).toEqual(second.kCore);

    const other = path.join(scratch, "photos");
    mkdirSync(other);
    writeFileSync(path.join(other, "holiday.jpg"), "x");
    await expect(exportParquet(store, other, {}, silentProgress)).rejects.toThrow(/is not empty and is not a musicrec export/);
    expect(readdirSync(other)).toEqual(["holiday.jpg"]);

    const never = path.join(scratch, "too-strict");
    await expect(exportParquet(store, never, { minUserItems: 10_000 }, silentProgress)).rejects.toThrow(/no interactions left after k-core/);
    expect(existsSync(never)).toBe(false);
    await expect(exportParquet(store, dir, { minItemUsers: 0 }, silentProgress)).rejects.toThrow(/--min-item-users must be a positive integer/);
    expect(readdirSync(scratch).filter((name) => name.includes(".partial-") || name.includes(".old-"))).toEqual([]);
  }, 60_000);
});

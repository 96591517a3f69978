import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerRecommend } from "../../src/cli/commands/recommend.js";
import { registerSimilar } from "../../src/cli/commands/similar.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { UserError } from "../../src/util/errors.js";
import { generateDataset } from "../../src/ingest/generate/generate.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { Store } from "../../src/store/store.js";
import { runCommand } from "../run-command.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-models-cli-"));
const db = path.join(scratch, "store.duckdb");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs one CLI command and returns what it printed on stdout. */
const run = (...args: string[]) => runCommand(db, [registerTrain, registerRecommend, registerSimilar], args);

beforeAll(async () => {
  const file = path.join(scratch, "listens.csv");
  await generateDataset({ output: file, format: "kaggle", users: 30, scrobbles: 6000, seed: 3 });
  const store = await Store.open(db);
  try {
    await importPaths(store, [file]);
  } finally {
    store.close();
  }
}, 60_000);

describe("train / recommend / similar commands", () => {
  it("trains every model and saves the bundle next to the store", async () => {
    const summary = JSON.parse(await run("train", "--json", "--factors", "8", "--iterations", "3", "--min-user-items", "2", "--min-item-users", "2"));
    expect(summary.bundle).toBe(path.join(scratch, "store.models"));
    expect(Object.keys(summary.seconds)).toEqual(["popularity", "content", "svd", "als", "hybrid"]);
    expect(summary.params.als.factors).toBe(8);
    expect(summary.level).toBe("track");
    // The hybrid's tuned fusion weights are learned state, apart from its parameters.
    const weights = summary.learned.hybrid.weights;
    expect(Object.keys(weights)).toEqual(["als", "svd", "content"]);
    expect(Object.values(weights as Record<string, number>).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 9);
    expect(summary.params.hybrid).not.toHaveProperty("weights");
    expect(summary.learned.als.itemFactors.data).toEqual({ type: "float32", length: summary.items * 8 });
  }, 60_000);

  it("recommends from the saved bundle with reasons and per-artist caps", async () => {
    const trained = JSON.parse(await run("train", "--json", "--models", "popularity,als", "--factors", "4", "--iterations", "2", "--min-user-items", "1", "--min-item-users", "1"));
    expect(trained.users).toBe(30);
    const store = await Store.open(db, { readOnly: true });
    const user = String((await store.connection.runAndReadAll("SELECT name FROM users ORDER BY name LIMIT 1")).getColumns()[0][0]);
    store.close();
    const out = JSON.parse(await run("recommend", "--user", user, "--model", "als", "-k", "5", "--per-artist", "1", "--json"));
    expect(out.recommendations).toHaveLength(5);
    expect(new Set(out.recommendations.map((r: { artist: string }) => r.artist)).size).toBe(5);
    for (const r of out.recommendations) expect(r.because.length).toBeGreaterThan(0);
    await expect(run("recommend", "--user", `${user}-nope`, "--model", "als")).rejects.toThrow(UserError);
    await expect(run("recommend", "--user", user, "--model", "svd")).rejects.toThrow(/not in the saved bundle/);
  }, 60_000);

  it("finds similar items by 'Artist - Track' and suggests close names for unknown ones", async () => {
    await run("train", "--models", "content", "--min-user-items", "1", "--min-item-users", "1", "--json");
    const store = await Store.open(db, { readOnly: true });
    const rows = (await store.connection.runAndReadAll("SELECT a.name, i.track FROM items i JOIN artists a USING (artist_id) WHERE i.track IS NOT NULL LIMIT 1")).getRows();
    store.close();
    const [artist, track] = rows[0].map(String);
    const out = JSON.parse(await run("similar", "--item", `${artist} - ${track}`, "--model", "content", "-k", "3", "--json"));
    expect(out.similar).toHaveLength(3);
    await expect(run("similar", "--item", `${artist} - ${track}x`, "--model", "content")).rejects.toThrow(/did you mean/);
  }, 60_000);
});

import { mkdtempSync, readdirSync, readFileSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadBundle, saveBundle, type ModelBundle } from "../../src/models/bundle.js";
import { fitModels } from "../../src/models/fit-models.js";
import type { BaseRecommender } from "../../src/models/base-recommender.js";
import type { HybridRecommender } from "../../src/models/hybrid.js";
import { MODEL_NAMES } from "../../src/models/recommender.js";
import { resolveParams } from "../../src/models/registry.js";
import { UserError } from "../../src/util/errors.js";
import { rowHistory, syntheticTraining, history } from "./fixtures.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const input = { als: { factors: 6, iterations: 3 }, svd: { factors: 6 }, hybrid: { validationUsers: 100 } };

async function trainAll(): Promise<ModelBundle> {
  const training = syntheticTraining(80, 10, 3);
  const { models } = await fitModels(MODEL_NAMES, training, { params: input });
  return {
    version: 1,
    trainedAt: "2026-01-01T00:00:00.000Z",
    training,
    models,
    params: resolveParams(input),
    synthetic: true,
  };
}

describe("model bundle", () => {
  it("round-trips every model: same scores, recommendations, reasons and similar items", async () => {
    const dir = path.join(scratch, "roundtrip.models");
    const saved = await trainAll();
    await saveBundle(dir, saved);
    const loaded = await loadBundle(dir);
    expect(loaded.trainedAt).toBe(saved.trainedAt);
    expect(loaded.synthetic).toBe(true);
    expect(loaded.training.userNames).toEqual(saved.training.userNames);
    expect(loaded.training.catalog).toEqual(saved.training.catalog);
    expect(Array.from(loaded.training.plays.data)).toEqual(Array.from(saved.training.plays.data));
    expect([...loaded.models.keys()].sort()).toEqual([...MODEL_NAMES].sort());
    const probes = [rowHistory(saved.training, 5), history([1, 12], [3, 7])];
    for (const name of MODEL_NAMES) {
      const before = saved.models.get(name)!;
      const after = loaded.models.get(name)!;
      for (const h of probes) {
        expect(Array.from(after.scores(h))).toEqual(Array.from(before.scores(h)));
        expect(after.recommend(h, { k: 5, maxPerArtist: 1 })).toEqual(before.recommend(h, { k: 5, maxPerArtist: 1 }));
      }
      expect(after.similarItems(4, 3)).toEqual(before.similarItems(4, 3));
    }
    // The hybrid stores its parts by reference to the top-level models, not a second copy.
    const version = readFileSync(path.join(dir, "CURRENT"), "utf8").trim();
    const files = readdirSync(path.join(dir, version));
    expect(files.filter((f) => f.startsWith("hybrid."))).toEqual([]);
  });

  it("leaves the previous bundle live when a save dies half-way, and cleans up on the next save", async () => {
    const dir = path.join(scratch, "atomic.models");
    const first = await trainAll();
    await saveBundle(dir, first);
    const live = readFileSync(path.join(dir, "CURRENT"), "utf8").trim();
    // Simulate a crash: a half-written version directory and a stray pointer temp file.
    mkdirSync(path.join(dir, "v20990101T000000000Z-1"));
    writeFileSync(path.join(dir, "v20990101T000000000Z-1", "manifest.json"), "{ trunc");
    const loaded = await loadBundle(dir);
    expect(loaded.trainedAt).toBe(first.trainedAt);
    await saveBundle(dir, { ...first, trainedAt: "2026-02-02T00:00:00.000Z" });
    const entries = readdirSync(dir).filter((e) => e.startsWith("v"));
    expect(entries).toHaveLength(1);
    expect(entries[0]).not.toBe(live);
    expect((await loadBundle(dir)).trainedAt).toBe("2026-02-02T00:00:00.000Z");
  });

  it("saves every model as parameters plus learned state; the manifest shows the hybrid's learned weights", async () => {
    const dir = path.join(scratch, "manifest.models");
    const saved = await trainAll();
    await saveBundle(dir, saved);
    const version = readFileSync(path.join(dir, "CURRENT"), "utf8").trim();
    const manifest = JSON.parse(readFileSync(path.join(dir, version, "manifest.json"), "utf8"));
    for (const name of MODEL_NAMES) {
      expect(Object.keys(manifest.models[name]).filter((key) => key !== "components").sort()).toEqual(["learned", "params"]);
      expect(manifest.models[name].params).toEqual((saved.models.get(name) as BaseRecommender).params);
    }
    expect(manifest.models.als.params).toMatchObject({ factors: 6, iterations: 3 });
    expect(manifest.models.als.learned.itemFactors.data.$array).toMatchObject({ type: "float32", length: 10 * 3 * 6 });
    const hybrid = manifest.models.hybrid;
    expect(hybrid.params).not.toHaveProperty("weights");
    expect(Object.keys(hybrid.learned.weights)).toEqual(["als", "svd", "content"]);
    expect(hybrid.learned.weights).toEqual((saved.models.get("hybrid") as HybridRecommender).learned.weights);
  });

  it("refuses a bundle of another format version with a clear retrain message", async () => {
    const dir = path.join(scratch, "old.models");
    await saveBundle(dir, await trainAll());
    const version = readFileSync(path.join(dir, "CURRENT"), "utf8").trim();
    const file = path.join(dir, version, "manifest.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), version: 1 }));
    await expect(loadBundle(dir)).rejects.toThrow(UserError);
    await expect(loadBundle(dir)).rejects.toThrow(/format version 1, this musicrec reads 2 — run `musicrec train` again/);
  });

  it("says to train first when there is no bundle", async () => {
    await expect(loadBundle(path.join(scratch, "missing.models"))).rejects.toThrow(UserError);
    await expect(loadBundle(path.join(scratch, "missing.models"))).rejects.toThrow(/musicrec train/);
  });
});

/**
 * The contract every registered model keeps (as `implicit` and scikit-learn check every estimator
 * with one shared suite). It iterates the registry, so a model added there is covered here
 * without further work.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BaseRecommender } from "../../src/models/base-recommender.js";
import { BUNDLE_VERSION, loadBundle, saveBundle } from "../../src/models/bundle.js";
import { fitModels } from "../../src/models/fit-models.js";
import type { ModelName } from "../../src/models/recommender.js";
import { createModel, MODEL_REGISTRY, resolveParams } from "../../src/models/registry.js";
import { history, rowHistory, syntheticTraining } from "./fixtures.js";

const PARAMS = { als: { factors: 6, iterations: 4 }, svd: { factors: 6 }, hybrid: { validationUsers: 80 } };
const MODELS = Object.keys(MODEL_REGISTRY) as ModelName[];
const training = syntheticTraining(80, 10, 3);
const items = training.plays.cols;
const probes = [rowHistory(training, 4), history([1, 12, 25], [3, 7, 1]), history([28], [2])];

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-contract-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("covers every model of the registry", () => {
  expect(MODELS).toEqual(["popularity", "content", "svd", "als", "hybrid"]);
});

describe.each(MODELS)("the %s model", (name) => {
  let model: BaseRecommender;

  beforeAll(async () => {
    model = (await fitModels([name], training, { params: PARAMS })).models.get(name)!;
  });

  it("keeps its constructor parameters unchanged by fit", async () => {
    const fresh = createModel(name, PARAMS);
    const before = structuredClone(fresh.params);
    await fresh.fit(training);
    expect(fresh.params).toEqual(before);
    expect(fresh.params).toEqual(model.params);
  });

  it("scores every catalogue item, finitely", () => {
    for (const h of [...probes, history([], [])]) {
      const scores = model.scores(h);
      expect(scores).toHaveLength(items);
      expect(scores.every(Number.isFinite)).toBe(true);
    }
  });

  it("never recommends an item the history already has", () => {
    for (const h of probes) {
      const recommended = model.recommend(h, { k: items }).map((r) => r.item);
      expect(recommended).toHaveLength(items - h.items.length);
      for (const item of h.items) expect(recommended).not.toContain(item);
    }
  });

  it("scores a training user's row, folded in, as it scores that user from training", () => {
    for (const user of [0, 17, 41, 79]) {
      const folded = model.scores(rowHistory(training, user));
      const trained = model.trainingScores(user);
      const scale = Math.max(1e-6, ...Array.from(trained, Math.abs));
      for (let item = 0; item < items; item++) expect(Math.abs(folded[item] - trained[item])).toBeLessThan(1e-3 * scale);
    }
  });

  it("leaves out excluded items and artists (a listener's bans), with or without the dial", () => {
    for (const h of probes) {
      const open = model.recommend(h, { k: 6 }).map((r) => r.item);
      const excludedItems = Int32Array.from([open[0]]);
      const excludedArtists = Int32Array.from([training.catalog.artistIndex[open[1]]]).sort();
      const blocked = (item: number) => item === open[0] || training.catalog.artistIndex[item] === excludedArtists[0];
      for (const discovery of [undefined, 0.5, 1]) {
        const ranked = model.recommend(h, { k: items, excludedItems, excludedArtists, discovery }).map((r) => r.item);
        expect(ranked.length).toBeGreaterThan(0);
        expect(ranked.filter(blocked)).toEqual([]);
      }
      const all = model.recommend(h, { k: items, excludedItems, excludedArtists }).map((r) => r.item);
      expect(all).toHaveLength(items - h.items.length - open.filter((item, i) => i < 2 && !h.items.includes(item)).length);
    }
  });

  it("explains every recommendation by items of the history", () => {
    for (const h of probes) {
      for (const r of model.recommend(h, { k: 5 })) {
        expect(r.because.length).toBeGreaterThan(0);
        for (const reason of r.because) expect(Array.from(h.items)).toContain(reason.item);
      }
    }
  });

  it("lists similar items without the item itself", () => {
    const similar = model.similarItems(3, 5);
    expect(similar).toHaveLength(5);
    expect(similar.map((s) => s.item)).not.toContain(3);
  });

  it("gives identical answers after a save/load round trip", async () => {
    const dir = path.join(scratch, `${name}.models`);
    await saveBundle(dir, {
      version: BUNDLE_VERSION,
      trainedAt: "2026-01-01T00:00:00.000Z",
      training,
      models: new Map([[name, model]]),
      params: resolveParams(PARAMS),
      synthetic: true,
    });
    const loaded = (await loadBundle(dir)).models.get(name)! as BaseRecommender;
    expect(loaded.params).toEqual(model.params);
    for (const h of probes) {
      expect(Array.from(loaded.scores(h))).toEqual(Array.from(model.scores(h)));
      expect(loaded.recommend(h, { k: 5, maxPerArtist: 1 })).toEqual(model.recommend(h, { k: 5, maxPerArtist: 1 }));
    }
    expect(Array.from(loaded.trainingScores(9))).toEqual(Array.from(model.trainingScores(9)));
    expect(loaded.similarItems(3, 5)).toEqual(model.similarItems(3, 5));
  });
});

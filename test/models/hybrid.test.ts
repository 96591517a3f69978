import { describe, expect, it, vi } from "vitest";
import { ContentRecommender } from "../../src/models/content.js";
import { createModel } from "../../src/models/registry.js";
import { HybridRecommender } from "../../src/models/hybrid.js";
import { partWeight } from "../../src/models/hybrid-tuning.js";
import { fitModels } from "../../src/models/fit-models.js";
import type { Recommender } from "../../src/models/recommender.js";
import { ndcgAtK } from "../../src/util/ranking-metrics.js";
import { history, rowHistory, syntheticTraining, twoSignalSplit } from "./fixtures.js";

const params = { als: { factors: 8, iterations: 5 }, svd: { factors: 8 }, hybrid: { validationUsers: 200 } };

describe("HybridRecommender", () => {
  it("learns fusion weights (summing to 1) that beat every part alone where each part sees only one signal", async () => {
    // CF sees the listener community, content the genre; the held-out items are the user's cell.
    const { train, test } = twoSignalSplit();
    const fitParams = { als: { factors: 4, iterations: 10 }, svd: { factors: 4 }, hybrid: { validationUsers: 400 } };
    const { models } = await fitModels(["als", "svd", "content", "hybrid"], train, { params: fitParams });
    const hybrid = models.get("hybrid") as HybridRecommender;
    const weights = Object.values(hybrid.learned.weights);
    expect(weights).toHaveLength(3);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // The tuning chose a real mixture, not one part alone.
    expect(Math.max(...weights)).toBeLessThan(1);
    expect(hybrid.learned.validationNdcg).toBeGreaterThan(Math.max(...Object.values(hybrid.learned.partNdcg)));

    const ndcg = (model: Recommender) => {
      let sum = 0;
      for (let u = 0; u < train.plays.rows; u++) {
        const ranked = Int32Array.from(model.recommend(rowHistory(train, u), { k: 10 }), (r) => r.item);
        sum += ndcgAtK(ranked, new Set(test.rowIndices(u)), 10);
      }
      return sum / train.plays.rows;
    };
    const parts = (["als", "svd", "content"] as const).map((name) => ndcg(models.get(name)!));
    expect(ndcg(hybrid)).toBeGreaterThan(Math.max(...parts) + 0.05);
  });

  it("validates on every listener when only some plays are dated (undated counts plus one imported export)", async () => {
    const { train } = twoSignalSplit();
    // One listener's plays carry dates, as after importing a scrobble export into HetRec's undated counts.
    const lastPlayed = new Float64Array(train.plays.nnz).fill(Number.NaN);
    for (let p = train.plays.indptr[0]; p < train.plays.indptr[1]; p++) lastPlayed[p] = 1_600_000_000_000 + p;
    const mixed = { ...train, lastPlayed };
    const fitParams = { als: { factors: 4, iterations: 10 }, svd: { factors: 4 }, hybrid: { validationUsers: 400 } };
    const { models } = await fitModels(["als", "svd", "content", "hybrid"], mixed, { params: fitParams });
    const hybrid = models.get("hybrid") as HybridRecommender;
    // Validated on that one listener alone, every part scored 0 and content took all the weight.
    expect(Math.min(...Object.values(hybrid.learned.partNdcg))).toBeGreaterThan(0.05);
    expect(Math.max(...Object.values(hybrid.learned.weights))).toBeLessThan(1);
  });

  it("recommends unplayed items with reasons from the history, for known and new users", async () => {
    const training = syntheticTraining();
    const model = createModel("hybrid", params);
    await model.fit(training);
    const known = rowHistory(training, 3);
    const recs = model.recommend(known, { k: 5 });
    expect(recs).toHaveLength(5);
    for (const r of recs) {
      expect(Array.from(known.items)).not.toContain(r.item);
      expect(r.because.length).toBeGreaterThan(0);
      for (const reason of r.because) expect(Array.from(known.items)).toContain(reason.item);
    }
    // A brand-new listener of cluster 0's two most popular items gets cluster-0 items.
    const fresh = model.recommend(history([0, 1], [10, 5]), { k: 3 });
    for (const r of fresh) expect(Math.floor(r.item / 15)).toBe(0);
  });

  it("gives an empty history the most-listened items", async () => {
    const training = syntheticTraining();
    const model = createModel("hybrid", params);
    await model.fit(training);
    const popularity = createModel("popularity");
    await popularity.fit(training);
    const empty = history([], []);
    expect(model.recommend(empty, { k: 5 }).map((r) => r.item)).toEqual(popularity.recommend(empty, { k: 5 }).map((r) => r.item));
  });

  it("reuses parts already fitted on the same training set", async () => {
    const training = syntheticTraining();
    const als = createModel("als", params);
    await als.fit(training);
    const hybrid = createModel("hybrid", params, new Map([["als", als]])) as HybridRecommender;
    await hybrid.fit(training);
    expect(hybrid.exportState().components!.als).toBe(als);
  });

  it("fits content (which learns from the catalogue, not the plays) once, not again for validation", async () => {
    const training = syntheticTraining();
    const fits = vi.spyOn(ContentRecommender.prototype, "fit");
    try {
      const { models } = await fitModels(["als", "svd", "content", "hybrid"], training, { params });
      expect(fits).toHaveBeenCalledTimes(1);
      expect((models.get("hybrid") as HybridRecommender).exportState().components!.content).toBe(models.get("content"));
      // Fitted alone, the hybrid fits its content part once and uses it for tuning and serving.
      fits.mockClear();
      await createModel("hybrid", params).fit(training);
      expect(fits).toHaveBeenCalledTimes(1);
    } finally {
      fits.mockRestore();
    }
  });

  it("lets CF weights fade for short histories, never content's", () => {
    expect(partWeight(0.6, true, 5, 5)).toBeCloseTo(0.3, 12);
    expect(partWeight(0.6, true, 0, 1)).toBe(0.6);
    expect(partWeight(0.4, false, 5, 1)).toBe(0.4);
  });
});

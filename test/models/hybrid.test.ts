import { describe, expect, it } from "vitest";
import { createModel } from "../../src/models/registry.js";
import { HybridRecommender } from "../../src/models/hybrid.js";
import { partWeight } from "../../src/models/hybrid-tuning.js";
import { history, rowHistory, syntheticTraining } from "./fixtures.js";

const params = { als: { factors: 8, iterations: 5 }, svd: { factors: 8 }, hybrid: { validationUsers: 200 } };

describe("HybridRecommender", () => {
  it("tunes weights on a validation split that beat or tie every part there", async () => {
    const training = syntheticTraining();
    const model = createModel("hybrid", params) as HybridRecommender;
    await model.fit(training);
    const weights = Object.values(model.learned.weights);
    expect(weights).toHaveLength(3);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(model.learned.validationNdcg).toBeGreaterThanOrEqual(Math.max(...Object.values(model.learned.partNdcg)));
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

  it("lets CF weights fade for short histories, never content's", () => {
    expect(partWeight(0.6, true, 5, 5)).toBeCloseTo(0.3, 12);
    expect(partWeight(0.6, true, 0, 1)).toBe(0.6);
    expect(partWeight(0.4, false, 5, 1)).toBe(0.4);
  });
});

import { describe, expect, it } from "vitest";
import { PopularityRecommender } from "../../src/models/popularity.js";
import { clusterTraining, history, POP } from "./fixtures.js";

describe("PopularityRecommender", () => {
  it("ranks by number of distinct listeners and explains by co-listening", async () => {
    const model = new PopularityRecommender();
    await model.fit(clusterTraining());
    // Listeners: item 6 → 5 users, items 0,2,3,5 → 3, items 1,4 → 2.
    const recs = model.recommend(history([0], [5]), { k: 4 });
    expect(recs.map((r) => r.item)).toEqual([POP, 2, 3, 5]);
    expect(recs[0].score).toBe(5);
    // Item 2 shares 3 listeners with item 0, item 1 shares 2: reasons rank item 0 first for item 2.
    const reasons = model.explain(history([1, 0], [1, 1]), 2);
    expect(reasons.map((r) => r.item)).toEqual([0, 1]);
    expect(reasons.map((r) => r.weight)).toEqual([3, 2]);
  });

  it("gives the same list to everybody, minus what they played", async () => {
    const model = new PopularityRecommender();
    await model.fit(clusterTraining());
    expect(model.recommend(history([POP], [1]), { k: 1 })[0].item).toBe(0);
    expect(model.recommend(history([], []), { k: 1 })[0]).toEqual({ item: POP, score: 5, because: [] });
  });

  it("similar items are the most co-listened", async () => {
    const model = new PopularityRecommender();
    await model.fit(clusterTraining());
    const similar = model.similarItems(3, 2);
    expect(similar.map((s) => s.item)).toEqual([5, 4]);
    expect(similar[0].score).toBe(3);
  });
});

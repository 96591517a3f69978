import { describe, expect, it } from "vitest";
import { ContentRecommender } from "../../src/models/content.js";
import { clusterTraining, history, JAZZ, POP } from "./fixtures.js";

describe("ContentRecommender", () => {
  it("scores items by mean cosine similarity to the history", async () => {
    const model = new ContentRecommender({ playWeighted: false });
    const training = clusterTraining();
    await model.fit(training);
    const h = history([0, 3], [1, 1]);
    const scores = model.scores(h);
    for (let item = 0; item < 7; item++) {
      const sims = model.itemSimilarities(item);
      expect(scores[item]).toBeCloseTo((sims[0] + sims[3]) / 2, 6);
    }
    expect(model.itemSimilarities(2)[2]).toBeCloseTo(1, 6);
  });

  it("recommends same-genre items first and explains them by the history item of that genre", async () => {
    const model = new ContentRecommender();
    await model.fit(clusterTraining());
    const recs = model.recommend(history([3, 0], [50, 1]), { k: 6 });
    // Jazz weighs more (more plays): jazz items first, then rock, the pop hit shares no term.
    expect(recs.slice(0, 2).map((r) => r.item)).toEqual([4, 5]);
    expect(recs.map((r) => r.item)).toHaveLength(5);
    expect(recs[4].item).toBe(POP);
    expect(recs[0].because[0].item).toBe(3);
    expect(recs.find((r) => r.item === 2)!.because[0].item).toBe(0);
  });

  it("similar items share tags and artist", async () => {
    const model = new ContentRecommender();
    await model.fit(clusterTraining());
    const similar = model.similarItems(3, 2).map((s) => s.item);
    // Same artist (Gamma) and tags beats only the tags.
    expect(similar).toEqual([4, 5]);
    expect(JAZZ).toContain(similar[1]);
  });
});

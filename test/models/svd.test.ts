import { describe, expect, it } from "vitest";
import { SvdRecommender } from "../../src/models/svd.js";
import { clusterTraining, history, rowHistory } from "./fixtures.js";
import { Weighting } from "../../src/data/weighting.js";

describe("SvdRecommender", () => {
  it("recommends the missing item of the user's cluster, explained by the cluster's items", async () => {
    const model = new SvdRecommender({ factors: 2 });
    await model.fit(clusterTraining());
    const recs = model.recommend(history([0, 1], [5, 5]), { k: 2 });
    expect(recs[0].item).toBe(2);
    expect(recs[0].because.map((r) => r.item).sort()).toEqual([0, 1]);
    const jazz = model.recommend(history([3], [5]), { k: 2 }).map((r) => r.item);
    expect(jazz.sort()).toEqual([4, 5]);
  });

  it("fold-in is a projection: at full rank a training user's scores are their own weighted row", async () => {
    const training = clusterTraining();
    const params = { factors: 6, popularityExponent: 0, weighting: "log1p" as const };
    const model = new SvdRecommender(params);
    await model.fit(training);
    const weighting = Weighting.fit(training.plays, "log1p");
    for (let user = 0; user < training.plays.rows; user++) {
      const h = rowHistory(training, user);
      const scores = model.scores(h);
      const expected = new Float32Array(7);
      weighting.weightRow(h.items, h.plays).forEach((w, n) => (expected[h.items[n]] = w));
      for (let item = 0; item < 7; item++) expect(scores[item]).toBeCloseTo(expected[item], 4);
    }
  });
});

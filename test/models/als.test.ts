import { describe, expect, it } from "vitest";
import { AlsRecommender } from "../../src/models/als.js";
import { clusterTraining, history, rowHistory, syntheticTraining } from "./fixtures.js";

describe("AlsRecommender", () => {
  it("recommends the missing item of the user's cluster", async () => {
    const model = new AlsRecommender({ factors: 4, iterations: 10, regularization: 0.1, alpha: 1, weighting: "log1p" });
    await model.fit(clusterTraining());
    const recs = model.recommend(history([0, 1], [5, 5]), { k: 1 });
    expect(recs[0].item).toBe(2);
    expect(recs[0].because.length).toBeGreaterThan(0);
    expect([0, 1]).toContain(recs[0].because[0].item);
    expect(model.recommend(history([3, 5, 6], [5, 5, 1]), { k: 1 })[0].item).toBe(4);
  });

  it("folding in a known user's history reproduces their trained factors", async () => {
    const training = syntheticTraining(60, 10, 3);
    const model = new AlsRecommender({ factors: 8, iterations: 5 });
    await model.fit(training);
    const k = model.learned.userFactors.cols;
    for (const user of [0, 7, 31, 59]) {
      const folded = model.userVector(rowHistory(training, user));
      const trained = model.learned.userFactors.data.subarray(user * k, (user + 1) * k);
      const scale = Math.max(...Array.from(trained, Math.abs));
      for (let f = 0; f < k; f++) expect(Math.abs(folded[f] - trained[f])).toBeLessThan(1e-4 * scale);
    }
  });

  it("a history unknown to training still gets sensible scores (fold-in)", async () => {
    const model = new AlsRecommender({ factors: 4, iterations: 10, regularization: 0.1, alpha: 1, weighting: "log1p" });
    await model.fit(clusterTraining());
    const scores = model.scores(history([4, 5], [3, 3]));
    expect(scores[3]).toBeGreaterThan(scores[0]);
    expect(scores[3]).toBeGreaterThan(scores[2]);
  });
});

describe("AlsRecommender threads", () => {
  it("fits the same factors on one thread and on several", async () => {
    const training = syntheticTraining(200, 20, 4);
    const fit = async (threads: number) => {
      const model = new AlsRecommender({ factors: 16, iterations: 3 }, { threads });
      await model.fit(training);
      return model.learned;
    };
    const one = await fit(1);
    const three = await fit(3);
    expect(three.userFactors.data).toEqual(one.userFactors.data);
    expect(three.itemFactors.data).toEqual(one.itemFactors.data);
  });
});

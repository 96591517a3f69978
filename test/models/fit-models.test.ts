import { afterEach, describe, expect, it, vi } from "vitest";
import { AlsRecommender } from "../../src/models/als.js";
import { fitModels, fitOrder } from "../../src/models/fit-models.js";
import { syntheticTraining } from "./fixtures.js";

const params = { als: { factors: 4, iterations: 2 }, svd: { factors: 4 }, hybrid: { validationUsers: 50 } };

afterEach(() => vi.restoreAllMocks());

describe("fitModels", () => {
  it("orders requested parts before the models built from them, each once", () => {
    expect(fitOrder(["hybrid", "als"])).toEqual(["als", "hybrid"]);
    expect(fitOrder(["hybrid", "popularity", "content", "svd", "content"])).toEqual(["svd", "content", "hybrid", "popularity"]);
    expect(fitOrder(["popularity", "content", "svd", "als", "hybrid"])).toEqual(["popularity", "content", "svd", "als", "hybrid"]);
  });

  it("fits ALS once on the training set for hybrid,als and gives the hybrid that very model", async () => {
    const training = syntheticTraining(60, 8, 3);
    const fit = vi.spyOn(AlsRecommender.prototype, "fit");
    const fitted: string[] = [];
    const { models, seconds } = await fitModels(["hybrid", "als"], training, { params, onFitted: (name) => void fitted.push(name) });
    expect(fitted).toEqual(["als", "hybrid"]);
    expect([...models.keys()]).toEqual(["als", "hybrid"]);
    expect(Object.keys(seconds)).toEqual(["als", "hybrid"]);
    // The hybrid's validation fit runs on a sub-split; on the full training set ALS is fitted once.
    expect(fit.mock.calls.filter(([train]) => train === training)).toHaveLength(1);
    expect(models.get("hybrid")!.exportState().components!.als).toBe(models.get("als"));
  });
});

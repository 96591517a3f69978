import { describe, expect, it } from "vitest";
import { createModel } from "../../src/models/registry.js";
import { tuneFusion, type TuningProblem } from "../../src/models/hybrid-tuning.js";
import type { BaseRecommender } from "../../src/models/base-recommender.js";
import { twoSignalSplit } from "./fixtures.js";

/** ALS, SVD and content fitted on the training side of a split, the held-out items as validation. */
async function problem(): Promise<{ problem: TuningProblem; training: ReturnType<typeof twoSignalSplit>["train"] }> {
  const { train, test } = twoSignalSplit();
  const params = { als: { factors: 4, iterations: 5 }, svd: { factors: 4 } };
  const parts: BaseRecommender[] = [];
  for (const name of ["als", "svd", "content"] as const) {
    const part = createModel(name, params);
    await part.fit(train);
    parts.push(part);
  }
  return { problem: { parts, isCollaborative: [true, true, false], train: train.plays, validation: test }, training: train };
}

describe("tuneFusion", () => {
  it("finds the same weights and validation NDCG on worker threads as inline", async () => {
    const { problem: p, training } = await problem();
    const options = { maxUsers: 400, seed: 3, training };
    const inline = await tuneFusion(p, { ...options, threads: 1 });
    const threaded = await tuneFusion(p, { ...options, threads: 3 });
    expect(threaded).toEqual(inline);
    expect(inline.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(inline.validationNdcg).toBeGreaterThan(0);
  });

  it("rejects — does not hang — when a worker fails", async () => {
    const { problem: p, training } = await problem();
    // A part the workers cannot restore: they throw, and the tuning fails with their error.
    Object.defineProperty(p.parts[2], "name", { value: "no-such-model" });
    await expect(tuneFusion(p, { maxUsers: 400, seed: 3, training, threads: 2 })).rejects.toThrow(/no model named "no-such-model"/);
  });
});

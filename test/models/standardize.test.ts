import { describe, expect, it } from "vitest";
import { standardize } from "../../src/models/standardize.js";

describe("standardize", () => {
  it("gives z-scores, and zeros for a constant vector", () => {
    expect(Array.from(standardize(Float32Array.of(1, 2, 3)))).toEqual([-Math.sqrt(1.5), 0, Math.sqrt(1.5)].map(Math.fround));
    expect(Array.from(standardize(Float32Array.of(4, 4, 4)))).toEqual([0, 0, 0]);
  });

  it("leaves NaN scores (items a model knows nothing of) out of the mean and deviation", () => {
    const z = standardize(Float32Array.of(1, Number.NaN, 2, 3, Number.NaN));
    expect(Array.from(z)).toEqual([-Math.sqrt(1.5), Number.NaN, 0, Math.sqrt(1.5), Number.NaN].map(Math.fround));
  });
});

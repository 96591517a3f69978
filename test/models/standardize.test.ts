import { describe, expect, it } from "vitest";
import { addStandardized, standardize } from "../../src/models/standardize.js";
import { Random } from "../../src/util/random.js";

describe("standardize", () => {
  it("gives z-scores, and zeros for a constant vector", () => {
    expect(Array.from(standardize(Float32Array.of(1, 2, 3)))).toEqual([-Math.sqrt(1.5), 0, Math.sqrt(1.5)].map(Math.fround));
    expect(Array.from(standardize(Float32Array.of(4, 4, 4)))).toEqual([0, 0, 0]);
  });

  it("leaves NaN scores (items a model knows nothing of) out of the mean and deviation", () => {
    const z = standardize(Float32Array.of(1, Number.NaN, 2, 3, Number.NaN));
    expect(Array.from(z)).toEqual([-Math.sqrt(1.5), Number.NaN, 0, Math.sqrt(1.5), Number.NaN].map(Math.fround));
  });

  it("addStandardized adds weight · standardize(scores) as a float32 sum of float32 z-scores, bit for bit", () => {
    const random = new Random(5);
    for (const withNaN of [false, true]) {
      const scores = Float32Array.from({ length: 200 }, (_, i) => (withNaN && i % 17 === 0 ? Number.NaN : random.normal() * 3 + 1));
      const start = Float32Array.from({ length: 200 }, () => random.normal());
      const expected = start.slice();
      const z = standardize(scores);
      for (let i = 0; i < z.length; i++) expected[i] += 0.37 * z[i];
      const out = start.slice();
      addStandardized(scores, 0.37, out);
      expect(out).toEqual(expected);
    }
  });
});

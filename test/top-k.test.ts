import { describe, expect, it } from "vitest";
import { topK } from "../src/util/top-k.js";
import { Random } from "../src/util/random.js";

describe("topK", () => {
  it("returns the k best, best first, ties to the lower index", () => {
    expect(Array.from(topK([0.1, 0.9, 0.5, 0.9, 0.3], 3))).toEqual([1, 3, 2]);
  });

  it("skips rejected and NaN indices and handles k > n", () => {
    expect(Array.from(topK([5, NaN, 3, 4], 10, (i) => i !== 0))).toEqual([3, 2]);
  });

  it("agrees with a full sort on random data", () => {
    const rng = new Random(7);
    const scores = Float32Array.from({ length: 1000 }, () => Math.round(rng.next() * 50));
    const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, 25);
    expect(Array.from(topK(scores, 25))).toEqual(expected);
  });

  it("agrees with a full sort of the accepted indices when many scores tie", () => {
    const rng = new Random(11);
    const scores = Float32Array.from({ length: 2000 }, () => Math.round(rng.next() * 8));
    const accept = (i: number) => i % 3 !== 0;
    for (const k of [1, 10, 100]) {
      const expected = Array.from(scores.keys()).filter(accept).sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
      expect(Array.from(topK(scores, k, accept))).toEqual(expected);
    }
  });
});

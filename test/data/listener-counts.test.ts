import { describe, expect, it } from "vitest";
import { CsrMatrix } from "../../src/data/csr.js";
import { listenerCounts } from "../../src/data/listener-counts.js";

describe("listenerCounts", () => {
  it("counts distinct users per column", () => {
    const m = CsrMatrix.fromCoo(3, 4, [0, 0, 1, 2, 2], [0, 1, 1, 1, 3], [5, 1, 2, 3, 4]);
    expect(Array.from(listenerCounts(m))).toEqual([1, 3, 0, 1]);
  });

  it("does not count a stored zero as a listener", () => {
    const m = new CsrMatrix(2, 2, Int32Array.from([0, 2, 3]), Int32Array.from([0, 1, 1]), Float32Array.from([0, 2, 1]));
    expect(Array.from(listenerCounts(m))).toEqual([0, 2]);
  });
});

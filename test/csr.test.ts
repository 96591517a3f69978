import { describe, expect, it } from "vitest";
import { CsrMatrix } from "../src/data/csr.js";

describe("CsrMatrix", () => {
  it("builds from COO, sorting columns and summing duplicates", () => {
    const m = CsrMatrix.fromCoo(2, 3, [1, 0, 0, 1], [2, 1, 1, 0], [5, 1, 2, 7]);
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.data)).toEqual([3, 7, 5]);
  });

  it("transposes", () => {
    const m = CsrMatrix.fromCoo(2, 3, [0, 0, 1], [0, 2, 2], [1, 2, 3]).transpose();
    expect(m.rows).toBe(3);
    expect(Array.from(m.indptr)).toEqual([0, 1, 1, 3]);
    expect(Array.from(m.indices)).toEqual([0, 0, 1]);
    expect(Array.from(m.data)).toEqual([1, 2, 3]);
  });
});

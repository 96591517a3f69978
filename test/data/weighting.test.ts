import { describe, expect, it } from "vitest";
import { CsrMatrix } from "../../src/data/csr.js";
import { Weighting } from "../../src/data/weighting.js";

// 3 users × 3 items; item 0 played by everyone, item 2 by one user.
const plays = CsrMatrix.fromCoo(3, 3, [0, 0, 1, 1, 2], [0, 2, 0, 1, 0], [10, 1, 4, 4, 6]);

describe("Weighting", () => {
  it("binary and log1p", () => {
    expect(Array.from(Weighting.fit(plays, "binary").weightRow([0, 2], [10, 1]))).toEqual([1, 1]);
    const log = Weighting.fit(plays, "log1p").weightRow([0, 2], [10, 1]);
    expect(log[0]).toBeCloseTo(Math.log(11), 6);
    expect(log[1]).toBeCloseTo(Math.log(2), 6);
  });

  it("bm25 as in implicit: saturating tf × idf, row-length normalised", () => {
    const w = Weighting.fit(plays, "bm25", 100, 0.8);
    // Row sums 11, 8, 6 → mean 25/3. User 0: length norm 0.2 + 0.8·11/(25/3).
    const norm = 0.2 + (0.8 * 11) / (25 / 3);
    const idf0 = Math.log(3) - Math.log1p(3);
    const idf2 = Math.log(3) - Math.log1p(1);
    const row = w.weightRow([0, 2], [10, 1]);
    expect(row[0]).toBeCloseTo(((10 * 101) / (100 * norm + 10)) * idf0, 5);
    expect(row[1]).toBeCloseTo(((1 * 101) / (100 * norm + 1)) * idf2, 5);
  });

  it("weights a matrix exactly as its rows one by one (fold-in consistency)", () => {
    const w = Weighting.fit(plays, "bm25");
    const m = w.weightMatrix(plays);
    for (let u = 0; u < 3; u++) expect(Array.from(m.rowData(u))).toEqual(Array.from(w.weightRow(plays.rowIndices(u), plays.rowData(u))));
  });
});

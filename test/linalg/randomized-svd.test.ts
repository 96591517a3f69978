import { describe, expect, it } from "vitest";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { CsrMatrix } from "../../src/data/csr.js";
import { randomizedSvd } from "../../src/linalg/randomized-svd.js";
import { Random } from "../../src/util/random.js";

function randomSparse(rows: number, cols: number, density: number, seed: number): CsrMatrix {
  const random = new Random(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) if (random.next() < density) (r.push(i), c.push(j), v.push(1 + random.int(9)));
  }
  return CsrMatrix.fromCoo(rows, cols, r, c, v);
}

function dense(m: CsrMatrix): Matrix {
  const out = Matrix.zeros(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) for (let p = m.indptr[i]; p < m.indptr[i + 1]; p++) out.set(i, m.indices[p], m.data[p]);
  return out;
}

describe("randomizedSvd", () => {
  it.each([
    ["wide", 30, 80, "sparse"],
    ["tall", 80, 30, "sparse"],
    ["wide", 30, 80, "dense-gram"],
    ["tall", 80, 30, "dense-gram"],
  ] as const)("finds the leading singular triplets of a %s matrix (%s plan)", (_, rows, cols, plan) => {
    const a = randomSparse(rows, cols, 0.15, 7);
    const k = 5;
    const svd = randomizedSvd(a, k, { powerIterations: 10, seed: 1, plan });
    const exact = new SingularValueDecomposition(dense(a));
    for (let c = 0; c < k; c++) expect(svd.s[c]).toBeCloseTo(exact.diagonal[c], 3);
    // A vᵢ = σᵢ uᵢ for every computed triplet.
    for (let c = 0; c < k; c++) {
      const v = Array.from({ length: cols }, (_, j) => svd.v.data[j * k + c]);
      const av = dense(a).mmul(Matrix.columnVector(v)).getColumn(0);
      for (let i = 0; i < rows; i++) expect(Math.abs(av[i] - svd.s[c] * svd.u.data[i * k + c])).toBeLessThan(1e-3 * svd.s[c]);
    }
  });

  it("returns orthonormal singular vectors", () => {
    const a = randomSparse(25, 60, 0.2, 3);
    const k = 4;
    const { v } = randomizedSvd(a, k, { seed: 2 });
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        let dot = 0;
        for (let j = 0; j < 60; j++) dot += v.data[j * k + p] * v.data[j * k + q];
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 5);
      }
    }
  });

  it("recovers a low-rank matrix exactly", () => {
    // Rank 2: rows are combinations of two patterns.
    const r: number[] = [];
    const c: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < 10; i++) for (let j = 0; j < 12; j++) {
      const value = (i % 2 === 0 ? 1 : 0) * (j < 6 ? 2 : 0) + (i % 3 === 0 ? 1 : 0) * (j % 2 === 0 ? 1 : 0);
      if (value) (r.push(i), c.push(j), vals.push(value));
    }
    const a = CsrMatrix.fromCoo(10, 12, r, c, vals);
    const svd = randomizedSvd(a, 2, { seed: 5 });
    const reconstructed = Matrix.zeros(10, 12);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 12; j++) {
      let sum = 0;
      for (let f = 0; f < 2; f++) sum += svd.u.data[i * 2 + f] * svd.s[f] * svd.v.data[j * 2 + f];
      reconstructed.set(i, j, sum);
    }
    const original = dense(a);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 12; j++) expect(reconstructed.get(i, j)).toBeCloseTo(original.get(i, j), 4);
  });
});

import { describe, expect, it } from "vitest";
import { Matrix, solve } from "ml-matrix";
import { ImplicitRowSolver } from "../../src/linalg/implicit-row-solver.js";
import { choleskyFactor, choleskySolve } from "../../src/linalg/cholesky.js";
import { Random } from "../../src/util/random.js";
import type { DenseMatrix } from "../../src/linalg/dense.js";

function randomFactors(rows: number, k: number, seed: number): DenseMatrix<Float32Array> {
  const random = new Random(seed);
  return { rows, cols: k, data: Float32Array.from({ length: rows * k }, () => random.normal()) };
}

/** The normal equations solved densely: (YᵀY + λI + Σ (c−1) y yᵀ) x = Σ c y. */
function directSolve(y: DenseMatrix, lambda: number, items: number[], confidence: number[]): number[] {
  const k = y.cols;
  const row = (i: number) => Array.from(y.data.subarray(i * k, (i + 1) * k));
  const yMatrix = new Matrix(Array.from({ length: y.rows }, (_, i) => row(i)));
  const a = yMatrix.transpose().mmul(yMatrix).add(Matrix.eye(k).mul(lambda));
  const b = Matrix.zeros(k, 1);
  items.forEach((item, n) => {
    const v = Matrix.columnVector(row(item));
    a.add(v.mmul(v.transpose()).mul(confidence[n] - 1));
    b.add(v.mul(confidence[n]));
  });
  return solve(a, b).getColumn(0);
}

describe("ImplicitRowSolver", () => {
  const y = randomFactors(40, 6, 3);
  const lambda = 0.5;

  it("solves short rows exactly (Woodbury path)", () => {
    const items = [2, 9, 17];
    const confidence = [3, 1.5, 8];
    const x = new Float64Array(6);
    new ImplicitRowSolver(y, lambda, 4).solve(items, confidence, x);
    const expected = directSolve(y, lambda, items, confidence);
    expected.forEach((v, f) => expect(x[f]).toBeCloseTo(v, 8));
  });

  it("solves long rows by preconditioned conjugate gradient to the same solution", () => {
    const items = [0, 1, 3, 5, 8, 13, 21, 34];
    const confidence = [2, 4, 1, 9, 3, 2, 6, 1.2];
    const x = new Float64Array(6);
    new ImplicitRowSolver(y, lambda, 4).solve(items, confidence, x);
    const expected = directSolve(y, lambda, items, confidence);
    expected.forEach((v, f) => expect(x[f]).toBeCloseTo(v, 6));
  });

  it("CG with few warm-started steps moves towards the solution", () => {
    const items = [0, 1, 3, 5, 8, 13, 21, 34];
    const confidence = [2, 4, 1, 9, 3, 2, 6, 1.2];
    const expected = directSolve(y, lambda, items, confidence);
    const error = (x: Float64Array) => Math.hypot(...expected.map((v, f) => v - x[f]));
    const x = new Float64Array(6);
    const solver = new ImplicitRowSolver(y, lambda, 0);
    const start = error(x);
    solver.improve(items, confidence, x, 2);
    const afterTwo = error(x);
    solver.improve(items, confidence, x, 2);
    expect(afterTwo).toBeLessThan(start);
    expect(error(x)).toBeLessThan(afterTwo);
  });
});

describe("cholesky", () => {
  it("solves an SPD system and rejects an indefinite one", () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    expect(choleskyFactor(a, 2)).toBe(true);
    const b = Float64Array.from([2, 1]);
    choleskySolve(a, 2, b);
    // [[4,2],[2,3]] x = [2,1] → x = [0.5, 0]
    expect(b[0]).toBeCloseTo(0.5, 12);
    expect(b[1]).toBeCloseTo(0, 12);
    expect(choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).toBe(false);
  });
});

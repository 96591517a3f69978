import { describe, expect, it } from "vitest";
import { CsrMatrix } from "../../src/data/csr.js";
import { DenseGram } from "../../src/linalg/dense-gram.js";
import { Random } from "../../src/util/random.js";

/** A random sparse matrix with unit rows (as TF-IDF rows are), some rows empty. */
function unitRows(rows: number, cols: number, random: Random): CsrMatrix {
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let row = 0; row < rows; row++) {
    if (row % 11 === 5) continue;
    const terms = new Set<number>();
    while (terms.size < 1 + Math.floor(random.next() * 6)) terms.add(Math.floor(random.next() * cols));
    const values = [...terms].map(() => random.next() + 0.1);
    const norm = Math.hypot(...values);
    [...terms].forEach((term, n) => {
      r.push(row);
      c.push(term);
      v.push(values[n] / norm);
    });
  }
  return CsrMatrix.fromCoo(rows, cols, r, c, v);
}

/** X·Xᵀ the plain way, float64. */
function exactGram(x: CsrMatrix): Float64Array[] {
  return Array.from({ length: x.rows }, (_, i) => {
    const row = new Float64Array(x.rows);
    for (let j = 0; j < x.rows; j++) {
      for (let p = x.indptr[i]; p < x.indptr[i + 1]; p++) {
        for (let q = x.indptr[j]; q < x.indptr[j + 1]; q++) if (x.indices[p] === x.indices[q]) row[j] += x.data[p] * x.data[q];
      }
    }
    return row;
  });
}

describe("DenseGram", () => {
  // 203 rows: not a multiple of 4, so rows are padded.
  const random = new Random(21);
  const x = unitRows(203, 40, random);
  const exact = exactGram(x);

  it("holds X·Xᵀ (cosines of unit rows: 1 on the diagonal, 0 for an empty row)", () => {
    const gram = DenseGram.of(x);
    expect(gram.stride).toBe(204);
    for (const i of [0, 5, 17, 202]) {
      const row = gram.row(i);
      expect(row).toHaveLength(203);
      row.forEach((value, j) => expect(value).toBeCloseTo(exact[i][j], 6));
    }
    expect(gram.row(0)[0]).toBeCloseTo(1, 6);
    expect(gram.row(5).every((value) => value === 0)).toBe(true);
  });

  it("combines weighted rows like the plain sum, by the SIMD kernel and by the scalar loop, for histories longer than one kernel call", async () => {
    const simd = DenseGram.of(x);
    const scalar = DenseGram.of(x, false);
    const built = await DenseGram.build(x, () => new Promise((resolve) => setImmediate(resolve)));
    for (const length of [0, 1, 2, 7, 2500]) {
      const items = Int32Array.from({ length }, () => Math.floor(random.next() * 203));
      const weights = Float32Array.from({ length }, () => random.next());
      const expected = new Float64Array(203);
      items.forEach((item, j) => exact[item].forEach((value, col) => (expected[col] += weights[j] * value)));
      const fromSimd = simd.combineRows(items, weights, new Float32Array(203).fill(Number.NaN));
      const fromScalar = scalar.combineRows(items, weights, new Float32Array(203));
      for (let col = 0; col < 203; col++) {
        const tolerance = 1e-6 * Math.max(1, Math.abs(expected[col]));
        expect(Math.abs(fromSimd[col] - expected[col])).toBeLessThan(tolerance * 10);
        expect(Math.abs(fromScalar[col] - expected[col])).toBeLessThan(tolerance * 10);
      }
      expect(built.combineRows(items, weights, new Float32Array(203))).toEqual(fromSimd);
      // The buffers are reused: asking again gives the same answer.
      expect(simd.combineRows(items, weights, new Float32Array(203))).toEqual(fromSimd);
    }
  });

  it("builds in slices, pausing between them", async () => {
    let pauses = 0;
    const big = unitRows(1000, 60, new Random(4));
    const gram = await DenseGram.build(big, async () => void pauses++);
    expect(pauses).toBeGreaterThan(3);
    expect(gram.row(999)).toEqual(DenseGram.of(big).row(999));
  });
});

import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addGramUpper, axpy32x64, dot32x64, gatherMatVec, matVec } from "../../src/linalg/dense.js";
import { BATCH, FactorScorer } from "../../src/linalg/factor-scorer.js";
import { instantiateKernels } from "../../src/linalg/wasm/implicit-kernels.js";
import { Random } from "../../src/util/random.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("WebAssembly ALS kernels", () => {
  const k = 12;
  const rows = 50;
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const kernels = instantiateKernels(memory);
  let used = 0;
  const alloc = <T>(Ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T => {
    const array = new Ctor(memory.buffer, used, n);
    used += Math.ceil((n * Ctor.BYTES_PER_ELEMENT) / 16) * 16;
    return array;
  };
  const random = new Random(11);
  const y = alloc(Float32Array, rows * k);
  y.forEach((_, i) => (y[i] = random.normal()));
  const indices = alloc(Int32Array, 7);
  indices.set([0, 3, 4, 17, 30, 31, 49]);
  const confidence = alloc(Float32Array, 7);
  confidence.set([1, 2.5, 1.25, 7, 3, 1.5, 40]);
  const v = alloc(Float32Array, k);
  v.forEach((_, i) => (v[i] = random.normal()));
  const v64 = Float64Array.from(v);

  // Ranges of 5 and 7 non-zeros: one group of four and a remainder of 1 or 3.
  for (const [s0, s1, what, start, end] of [[1, -1, "b − (A − B)x", 1, 6], [0, 1, "(A − B)p", 0, 7]] as const) {
    for (const sums32 of [0, 1]) {
      it(`implicitPass accumulates ${what} like the TypeScript loop (groups of four summed in float${sums32 ? 32 : 64})`, () => {
        const out = alloc(Float64Array, k).fill(0.5);
        kernels.implicitPass(y.byteOffset, k, indices.byteOffset, confidence.byteOffset, start, end, v.byteOffset, out.byteOffset, s0, s1, sums32);
        const expected = new Float64Array(k).fill(0.5);
        for (let n = start; n < end; n++) {
          const c = confidence[n];
          const o = indices[n] * k;
          axpy32x64(s0 * c + s1 * (c - 1) * dot32x64(y, o, v64, 0, k), y, o, expected, 0, k);
        }
        for (let f = 0; f < k; f++) expect(out[f]).toBeCloseTo(expected[f], 4);
      });
    }
  }

  it("matVec64 multiplies a k × k float64 matrix", () => {
    const a = alloc(Float64Array, k * k);
    a.forEach((_, i) => (a[i] = random.normal()));
    const x = alloc(Float64Array, k);
    x.forEach((_, i) => (x[i] = random.normal()));
    const out = alloc(Float64Array, k);
    kernels.matVec64(a.byteOffset, x.byteOffset, out.byteOffset, k);
    for (let i = 0; i < k; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += a[i * k + j] * x[j];
      expect(out[i]).toBeCloseTo(sum, 12);
    }
  });

  it("matVec32to64 multiplies a k × k float32 matrix by a float32 vector into float64, four rows a pass", () => {
    const a = alloc(Float32Array, k * k);
    a.forEach((_, i) => (a[i] = random.normal()));
    const x = alloc(Float32Array, k);
    x.forEach((_, i) => (x[i] = random.normal()));
    const out = alloc(Float64Array, k).fill(Number.NaN);
    kernels.matVec32to64(a.byteOffset, x.byteOffset, out.byteOffset, k);
    for (let i = 0; i < k; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += a[i * k + j] * x[j];
      expect(out[i]).toBeCloseTo(sum, 5);
    }
  });

  it("rowsAxpy64 adds coefficient-weighted float32 rows to a float64 vector, as the scalar loop does (bit for bit)", () => {
    const idx = alloc(Int32Array, 5);
    idx.set([49, 0, 17, 17, 3]);
    const coef = alloc(Float64Array, 5);
    coef.set([0.5, -1.25, 3, 1e-3, 7]);
    const out = alloc(Float64Array, k).fill(0.25);
    kernels.rowsAxpy64(y.byteOffset, k, idx.byteOffset, coef.byteOffset, 5, out.byteOffset);
    const expected = new Float64Array(k).fill(0.25);
    for (let j = 0; j < 5; j++) for (let f = 0; f < k; f++) expected[f] += coef[j] * y[idx[j] * k + f];
    expect(out).toEqual(expected);
  });

  it("matMat32 scores every row for several vectors in one pass", () => {
    const x = alloc(Float32Array, 3 * k);
    x.forEach((_, i) => (x[i] = random.normal()));
    const out = alloc(Float32Array, 3 * rows);
    kernels.matMat32(y.byteOffset, rows, k, x.byteOffset, 3, out.byteOffset);
    for (let b = 0; b < 3; b++) {
      const expected = matVec({ rows, cols: k, data: y }, x.subarray(b * k, (b + 1) * k));
      for (let r = 0; r < rows; r++) expect(out[b * rows + r]).toBeCloseTo(expected[r], 5);
    }
  });

  it("gramQuads adds the upper triangle of YᵀY as addGramUpper does", () => {
    const out = alloc(Float64Array, k * k);
    kernels.gramQuads(y.byteOffset, k, 4, 44, out.byteOffset);
    const expected = new Float64Array(k * k);
    addGramUpper(y, k, 4, 44, expected);
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) expect(out[i * k + j]).toBeCloseTo(expected[i * k + j], 10);
  });

  it("the committed module is the one the .wat assembles to", () => {
    const check = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], { cwd: ROOT, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});

describe("FactorScorer", () => {
  it("gives Y·x for many users (more than one batch), or null where the kernels do not apply", () => {
    const random = new Random(5);
    const y = { rows: 1001, cols: 16, data: Float32Array.from({ length: 1001 * 16 }, () => random.normal()) };
    const scorer = FactorScorer.for(y)!;
    const xs = Array.from({ length: BATCH + 3 }, () => Float64Array.from({ length: 16 }, () => random.normal()));
    const scores = scorer.scores(xs);
    expect(scores).toHaveLength(xs.length);
    for (const user of [0, 1, BATCH - 1, BATCH, BATCH + 2]) {
      const expected = matVec(y, xs[user]);
      for (let r = 0; r < y.rows; r++) expect(scores[user][r]).toBeCloseTo(expected[r], 4);
    }
    expect(FactorScorer.for({ rows: 3, cols: 6, data: new Float32Array(18) })).toBeNull();
  });

  it("scores one user into a given array (serving), the same as in a batch, whatever the row count", () => {
    const random = new Random(9);
    for (const rows of [2, 4, 203]) {
      const y = { rows, cols: 12, data: Float32Array.from({ length: rows * 12 }, () => random.normal()) };
      const scorer = FactorScorer.for(y)!;
      for (let trial = 0; trial < 3; trial++) {
        const x = Float64Array.from({ length: 12 }, () => random.normal());
        const out = new Float32Array(rows).fill(Number.NaN);
        expect(scorer.scoresInto(x, out)).toBe(out);
        // Four rows a pass, summed in another order than the batch kernel: equal to float32 rounding.
        scorer.scores([x])[0].forEach((score, r) => expect(out[r]).toBeCloseTo(score, 5));
        const expected = matVec(y, x);
        for (let r = 0; r < y.rows; r++) expect(out[r]).toBeCloseTo(expected[r], 4);
      }
    }
  });

  it("gives the dot products of one row with a list of rows (longer than a kernel call takes), as gatherMatVec does", () => {
    const random = new Random(13);
    const y = { rows: 300, cols: 20, data: Float32Array.from({ length: 300 * 20 }, () => random.normal()) };
    const scorer = FactorScorer.for(y)!;
    const rows = Int32Array.from({ length: 2500 }, () => Math.floor(random.next() * 300));
    for (const item of [0, 7, 299]) {
      const out = scorer.dots(rows, item, new Float32Array(rows.length));
      const expected = gatherMatVec(y, rows, y.data, item * 20, new Float64Array(rows.length));
      for (let j = 0; j < rows.length; j++) expect(out[j]).toBeCloseTo(expected[j], 4);
    }
    expect(scorer.dots(new Int32Array(0), 3, new Float32Array(0))).toHaveLength(0);
  });
});

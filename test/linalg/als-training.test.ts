import { describe, expect, it } from "vitest";
import { CsrMatrix } from "../../src/data/csr.js";
import { KERNEL_SPEEDUP, planHalfStep, trainAls, type AlsTrainingInput } from "../../src/linalg/als-training.js";
import { GRAM_BLOCK } from "../../src/linalg/als-tasks.js";
import { ImplicitRowSolver } from "../../src/linalg/implicit-row-solver.js";
import { Random } from "../../src/util/random.js";

/**
 * Confidences shaped like listening data: every tenth user heavy with hundreds of items, the
 * others with 3 to 2 + `shortMax`; item popularity skewed, most items with one to a few listeners.
 */
function listening(users: number, items: number, shortMax: number, seed: number): CsrMatrix {
  const random = new Random(seed);
  const r: number[] = [];
  const c: number[] = [];
  const v: number[] = [];
  for (let u = 0; u < users; u++) {
    const n = u % 10 === 0 ? 300 + random.int(300) : 3 + random.int(shortMax);
    const seen = new Set<number>();
    while (seen.size < n) seen.add(Math.floor(items * random.next() ** 3));
    for (const item of seen) {
      r.push(u);
      c.push(item);
      v.push(1 + 5 * random.next());
    }
  }
  return CsrMatrix.fromCoo(users, items, r, c, v);
}

function input(userItems: CsrMatrix, k: number, threads: number, iterations = 4): AlsTrainingInput {
  const random = new Random(3);
  const init = (n: number) => Float32Array.from({ length: n * k }, () => random.normal() * 0.01);
  return {
    userItems,
    itemUsers: userItems.transpose(),
    users: init(userItems.rows),
    items: init(userItems.cols),
    k,
    regularization: 0.5,
    iterations,
    cgSteps: 3,
    threads,
  };
}

describe("trainAls on worker threads", () => {
  // More items than one YᵀY block; item rows solved by Woodbury from the metric M = Y B⁻¹ Yᵀ.
  const wide = listening(150, GRAM_BLOCK + 900, 30, 7);
  // Too many items for a metric: item rows by Woodbury from G = Y B⁻¹ alone.
  const many = listening(1000, 8000, 4, 8);

  // With the kernels (k = 64) and without (k = 62: CG as fast as the rest).
  for (const [k, speedup] of [[64, KERNEL_SPEEDUP], [62, 1]]) {
    it(`these data sets take every kind of row solve: CG, Woodbury from G, Woodbury from the metric (k = ${k})`, () => {
      expect(planHalfStep(wide.indptr, wide.cols, k, true, speedup)).toMatchObject({ projected: false, woodburyMax: 0 });
      const wideItems = planHalfStep(wide.transpose().indptr, wide.rows, k, true, speedup);
      expect(wideItems).toMatchObject({ projected: true, metric: true });
      expect(wideItems.woodburyMax).toBeGreaterThan(0);
      const manyItems = planHalfStep(many.transpose().indptr, many.rows, k, true, speedup);
      expect(manyItems).toMatchObject({ projected: true, metric: false });
      expect(manyItems.woodburyMax).toBeGreaterThan(0);
    });
  }

  // k = 64 runs the WebAssembly kernels, k = 62 (not whole float32x4 lanes) the TypeScript loops.
  for (const [name, data] of [["wide", wide], ["many", many]] as const) {
    for (const k of [64, 62]) {
      it(`gives bit-identical factors on 2 and 3 threads as on one (${name}, k = ${k})`, async () => {
        const single = await trainAls(input(data, k, 1, 1));
        for (const threads of name === "wide" ? [2, 3] : [2]) {
          const parallel = await trainAls(input(data, k, threads, 1));
          expect(parallel.users).toEqual(single.users);
          expect(parallel.items).toEqual(single.items);
          expect(parallel.itemGram).toEqual(single.itemGram);
        }
      });
    }
  }

  it("solves every user's normal equations in the final pass, as a fold-in does (kernels against TypeScript)", async () => {
    const k = 64;
    const trained = await trainAls(input(wide, k, 2, 2));
    const solver = new ImplicitRowSolver({ rows: wide.cols, cols: k, data: trained.items }, 0.5);
    const x = new Float64Array(k);
    for (const user of [0, 1, 10, 77, 149]) {
      solver.solve(wide.rowIndices(user), wide.rowData(user), x);
      const mine = trained.users.subarray(user * k, (user + 1) * k);
      const scale = Math.max(...Array.from(mine, Math.abs));
      for (let f = 0; f < k; f++) expect(Math.abs(x[f] - mine[f])).toBeLessThan(1e-4 * scale);
    }
  });

  it("returns YᵀY of the final item factors", async () => {
    const k = 64;
    const trained = await trainAls(input(wide, k, 2, 1));
    for (const [i, j] of [[0, 0], [2, 5], [63, 63], [40, 7]]) {
      let sum = 0;
      for (let r = 0; r < wide.cols; r++) sum += trained.items[r * k + i] * trained.items[r * k + j];
      expect(trained.itemGram[i * k + j]).toBeCloseTo(sum, 9);
    }
  });
});

import { describe, expect, it } from "vitest";
import { AlsRecommender } from "../../src/models/als.js";
import { ImportedAlsRecommender, type ImportedAlsParams } from "../../src/models/imported-als.js";
import { Random } from "../../src/util/random.js";
import { history, rowHistory, syntheticTraining } from "./fixtures.js";

const SOURCE: ImportedAlsParams["source"] = {
  format: "spark-als",
  modelDir: "/models/als",
  sparkVersion: "3.5.1",
  uid: "ALS_1",
  itemsDir: "/export",
  importedAt: "2026-01-01T00:00:00.000Z",
};
const SPARK: ImportedAlsParams = { regularization: 0.3, alpha: 2, weighting: "none", regularizationScaling: "per-rating", source: SOURCE };

/** x solving A x = b for a dense SPD A (Gaussian elimination with partial pivoting, float64). */
function denseSolve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  const m = a.slice();
  const x = b.slice();
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]) > Math.abs(m[p * k + c])) p = r;
    for (let j = 0; j < k; j++) [m[c * k + j], m[p * k + j]] = [m[p * k + j], m[c * k + j]];
    [x[c], x[p]] = [x[p], x[c]];
    for (let r = c + 1; r < k; r++) {
      const f = m[r * k + c] / m[c * k + c];
      for (let j = c; j < k; j++) m[r * k + j] -= f * m[c * k + j];
      x[r] -= f * x[c];
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    let s = x[r];
    for (let j = r + 1; j < k; j++) s -= m[r * k + j] * x[j];
    x[r] = s / m[r * k + r];
  }
  return x;
}

/**
 * Spark's user update (ALS.scala computeFactors, implicitPrefs): YᵀY over every item factor,
 * plus α·r·yyᵀ per rated item, λ·(number of positive ratings) on the diagonal, b = Σ (1 + α r) y.
 */
function sparkUserFactor(all: Float32Array, k: number, items: number[], ratings: number[], lambda: number, alpha: number): Float64Array {
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let r = 0; r < all.length / k; r++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] += all[r * k + i] * all[r * k + j];
  items.forEach((item, n) => {
    const c1 = alpha * ratings[n];
    for (let i = 0; i < k; i++) {
      b[i] += (1 + c1) * all[item * k + i];
      for (let j = 0; j < k; j++) a[i * k + j] += c1 * all[item * k + i] * all[item * k + j];
    }
  });
  for (let i = 0; i < k; i++) a[i * k + i] += lambda * items.length;
  return denseSolve(a, b, k);
}

describe("ImportedAlsRecommender", () => {
  const training = syntheticTraining(40, 10, 3);
  const items = training.plays.cols;
  const k = 6;
  const outside = 5;
  const random = new Random(7);
  const factors = Float32Array.from({ length: (items + outside) * k }, () => random.normal() * 0.3);
  const sourceIds = Int32Array.from({ length: items }, (_, i) => i);

  it("folds a history in exactly as Spark computes a user factor, for short (Woodbury) and long (CG) histories", () => {
    const model = ImportedAlsRecommender.fromFactors("spark-als", SPARK, training, { factors, rank: k, sourceIds });
    for (const length of [3, 20, 28]) {
      const rated = Array.from({ length }, (_, n) => n);
      const plays = rated.map((n) => 1 + ((n * 7) % 13));
      const x = model.userVector(history(rated, plays));
      const reference = sparkUserFactor(factors, k, rated, plays, SPARK.regularization, SPARK.alpha);
      for (let f = 0; f < k; f++) expect(x[f]).toBeCloseTo(reference[f], 6);
    }
  });

  it("never recommends items without factors and leaves them out of a history", () => {
    const ids = sourceIds.slice();
    ids[2] = -1;
    const partial = factors.slice();
    partial.fill(0, 2 * k, 3 * k);
    const model = ImportedAlsRecommender.fromFactors("spark-als", SPARK, training, { factors: partial, rank: k, sourceIds: ids });
    expect(model.coveredItems).toBe(items - 1);
    const scores = model.scores(history([0, 1], [4, 2]));
    expect(scores[2]).toBeNaN();
    expect(model.recommend(history([0, 1], [4, 2]), { k: items }).map((r) => r.item)).not.toContain(2);
    expect(Array.from(model.userVector(history([0, 1, 2], [4, 2, 9])))).toEqual(Array.from(model.userVector(history([0, 1], [4, 2]))));
    expect(model.similarItems(0, items).map((s) => s.item)).not.toContain(2);
    expect(model.itemSimilarities(2).every(Number.isNaN)).toBe(true);
  });

  it("with musicrec's formulation (bm25, constant λ) it scores exactly as the als model whose factors it holds", async () => {
    const als = new AlsRecommender({ factors: k, iterations: 4 });
    await als.fit(training);
    const imported = ImportedAlsRecommender.fromFactors(
      "als-copy",
      { ...SPARK, weighting: "bm25", regularizationScaling: "constant", regularization: als.params.regularization, alpha: als.params.alpha },
      training,
      { factors: als.learned.itemFactors.data.slice(), rank: k, sourceIds },
    );
    for (const user of [0, 13, 39]) {
      expect(imported.scores(rowHistory(training, user))).toEqual(als.scores(rowHistory(training, user)));
      expect(imported.recommend(rowHistory(training, user), { k: 10 })).toEqual(als.recommend(rowHistory(training, user), { k: 10 }));
    }
  });

  it("persists its state and refuses to be fitted", async () => {
    const model = ImportedAlsRecommender.fromFactors("spark-als", SPARK, training, { factors, rank: k, sourceIds });
    const restored = new ImportedAlsRecommender("spark-als", SPARK).restore(model.exportState(), training);
    expect(restored.scores(rowHistory(training, 5))).toEqual(model.scores(rowHistory(training, 5)));
    expect(restored.params).toEqual(SPARK);
    await expect(restored.fit(training)).rejects.toThrow(/was imported from \/models\/als and cannot be fitted here/);
    expect(() => new ImportedAlsRecommender("x", { ...SPARK, alpha: 0 })).toThrow(/--alpha must be a positive number/);
  });
});

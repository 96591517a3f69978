/**
 * The request path's fast kernels give exactly what the plain arithmetic gives: recommendations
 * must not change when scoring gets faster. Each kernel is checked against a direct
 * implementation of its definition, bit for bit where the summation order is the same.
 */
import { describe, expect, it } from "vitest";
import { matVec } from "../../src/linalg/dense.js";
import { fitModels } from "../../src/models/fit-models.js";
import { ContentRecommender } from "../../src/models/content.js";
import type { HybridRecommender } from "../../src/models/hybrid.js";
import type { BaseRecommender } from "../../src/models/base-recommender.js";
import { partWeight } from "../../src/models/hybrid-tuning.js";
import { strongestReasons } from "../../src/models/reasons.js";
import type { Reason, UserHistory } from "../../src/models/recommender.js";
import { Random } from "../../src/util/random.js";
import { rowHistory, syntheticTraining } from "./fixtures.js";

/** The definition: sort every history item by contribution (ties: lower item), positives only when there are any. */
function sortedReasons(items: ArrayLike<number>, contributions: ArrayLike<number>, n: number): Reason[] {
  const order = Array.from({ length: items.length }, (_, i) => i).filter((i) => !Number.isNaN(contributions[i]));
  order.sort((a, b) => contributions[b] - contributions[a] || items[a] - items[b]);
  const positive = order.filter((i) => contributions[i] > 0);
  return (positive.length > 0 ? positive : order).slice(0, n).map((i) => ({ item: items[i], weight: contributions[i] }));
}

describe("request-path kernels", () => {
  it("matVec equals the one-row-at-a-time sum exactly, for any row count", () => {
    const random = new Random(3);
    for (const rows of [0, 1, 3, 4, 7, 130]) {
      const m = { rows, cols: 9, data: Float32Array.from({ length: rows * 9 }, () => random.normal()) };
      const v = Float32Array.from({ length: 9 }, () => random.normal());
      const expected = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let f = 0; f < 9; f++) sum += m.data[r * 9 + f] * v[f];
        expected[r] = sum;
      }
      expect(matVec(m, v)).toEqual(expected);
    }
  });

  it("strongestReasons picks what a full sort picks: positives first, ties to the lower item, NaN never", () => {
    const random = new Random(7);
    for (let trial = 0; trial < 300; trial++) {
      const length = Math.floor(random.next() * 12);
      const items = Int32Array.from({ length }, (_, i) => (i * 7) % 13);
      // Few distinct values, so ties are common; some all-negative cases; a few NaN.
      const contributions = Float32Array.from({ length }, () => {
        const u = random.next();
        return u < 0.1 ? Number.NaN : Math.round((random.next() - (trial % 3 === 0 ? 1 : 0.5)) * 4) / 4;
      });
      for (const n of [0, 1, 3, length]) expect(strongestReasons(items, contributions, n)).toEqual(sortedReasons(items, contributions, n));
    }
  });

  describe("on fitted models", async () => {
    const training = syntheticTraining(60, 8, 3);
    const { models } = await fitModels(["content", "svd", "als", "hybrid"], training, {
      params: { als: { factors: 6, iterations: 3 }, svd: { factors: 6 }, hybrid: { validationUsers: 60 } },
    });
    const histories: UserHistory[] = [0, 5, 17, 40].map((u) => rowHistory(training, u));
    const dense = models.get("content") as ContentRecommender;
    // The same learned TF-IDF without the cosine matrix: the sparse passes a large catalogue takes.
    const sparse = new ContentRecommender({ maxDenseItems: 0 }).restore({ params: { maxDenseItems: 0 }, learned: dense.learned }, training);

    it("content scores equal a row-by-row pass over X · (Xᵀu), bit for bit", () => {
      const content = sparse;
      const x = content.matrix;
      for (const h of histories) {
        const weights = Float32Array.from(h.plays, (p) => Math.log1p(p));
        const total = weights.reduce((a, b) => a + b, 0);
        const profile = new Float64Array(x.cols);
        h.items.forEach((item, n) => {
          for (let p = x.indptr[item]; p < x.indptr[item + 1]; p++) profile[x.indices[p]] += (weights[n] / total) * x.data[p];
        });
        const expected = new Float32Array(x.rows);
        for (let r = 0; r < x.rows; r++) {
          let sum = 0;
          for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) sum += x.data[p] * profile[x.indices[p]];
          expected[r] = sum;
        }
        expect(content.scores(h)).toEqual(expected);
        // The reused buffers are clean for the next request: the same answer twice.
        expect(content.scores(h)).toEqual(expected);
      }
    });

    it("content item similarities equal a row-by-row pass over X · x_item, bit for bit", () => {
      const content = sparse;
      const x = content.matrix;
      const before = content.scores(histories[0]);
      for (const item of [0, 3, 11, 20]) {
        const query = new Float64Array(x.cols);
        for (let p = x.indptr[item]; p < x.indptr[item + 1]; p++) query[x.indices[p]] = x.data[p];
        const expected = new Float32Array(x.rows);
        for (let r = 0; r < x.rows; r++) {
          let sum = 0;
          for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) sum += x.data[p] * query[x.indices[p]];
          expected[r] = sum;
        }
        expect(content.itemSimilarities(item)).toEqual(expected);
        // Scores after a similarity query are unaffected by it (the scratch is clean).
        expect(content.scores(histories[0])).toEqual(before);
      }
    });

    it("a small catalogue's content model scores from the cosine matrix: the sparse passes' scores, similarities and reasons to float32 rounding", () => {
      for (const h of histories) {
        const expected = sparse.scores(h);
        const got = dense.scores(h);
        for (let item = 0; item < expected.length; item++) expect(Math.abs(got[item] - expected[item])).toBeLessThan(2e-7);
        for (const item of [0, 3, 11, 20]) {
          const cosines = sparse.itemSimilarities(item);
          dense.itemSimilarities(item).forEach((c, other) => expect(Math.abs(c - cosines[other])).toBeLessThan(1e-7));
          const reasons = sparse.contributions(h, item);
          dense.contributions(h, item).forEach((c, i) => expect(Math.abs(c - reasons[i])).toBeLessThan(1e-6));
        }
      }
      const k = { k: 10 };
      for (const h of histories) expect(dense.recommend(h, k).map((r) => r.item)).toEqual(sparse.recommend(h, k).map((r) => r.item));
    });

    it("contributionsTo (once per request) equals contributions item by item, bit for bit, for every model", () => {
      for (const model of [...models.values(), sparse]) {
        const base = model as BaseRecommender;
        for (const h of histories) {
          const contributionsTo = base.contributionsTo(h);
          for (const item of [0, 3, 11, 20, 33]) expect(contributionsTo(item), base.name).toEqual(base.contributions(h, item));
        }
        // One kept past the model's next request still answers right (content falls back to the direct sum).
        const first = base.contributionsTo(histories[0]);
        base.contributionsTo(histories[1]);
        expect(first(7), base.name).toEqual(base.contributions(histories[0], 7));
      }
    });

    it("ALS scores a training user's own row (trainingUser) from the learned factors, any other history by fold-in", () => {
      const als = models.get("als")!;
      const plays = training.plays;
      for (const user of [0, 5, 17, 40]) {
        const own: UserHistory = { items: plays.rowIndices(user), plays: plays.rowData(user), trainingUser: user };
        expect(als.scores(own)).toEqual(als.trainingScores(user));
        // A copy of the row, or another row, claiming to be the user's is not trusted: it is folded in.
        const copy: UserHistory = { items: own.items.slice(), plays: Float32Array.from(own.plays, (p) => p * 3), trainingUser: user };
        expect(als.scores(copy)).toEqual(als.scores({ items: copy.items, plays: copy.plays }));
        expect(als.scores(copy)).not.toEqual(als.trainingScores(user));
        const other = rowHistory(training, (user + 1) % plays.rows);
        expect(als.scores({ ...other, trainingUser: user })).toEqual(als.scores(other));
      }
    });

    it("recommend reuses its score buffer without leaking one request into the next", () => {
      for (const model of models.values()) {
        const fresh = histories.map((h) => model.recommend(h, { k: 5 }));
        const again = histories.map((h) => model.recommend(h, { k: 5 }));
        expect(again).toEqual(fresh);
        histories.forEach((h, i) => expect(fresh[i].map((r) => r.score)).toEqual(Array.from(fresh[i], (r) => model.scores(h)[r.item])));
      }
    });

    it("the hybrid's reasons are its parts' reasons, each scaled to its strongest and by its weight, merged", () => {
      const hybrid = models.get("hybrid") as HybridRecommender;
      const parts = hybrid.learned.parts.map((name) => models.get(name) as BaseRecommender);
      for (const h of histories) {
        for (const item of [0, 3, 11, 20]) {
          const merged = new Map<number, number>();
          parts.forEach((part, p) => {
            const name = hybrid.learned.parts[p];
            const n = h.items.length;
            const w = partWeight(hybrid.learned.weights[name], name === "als" || name === "svd", hybrid.learned.shrinkage, n);
            if (w <= 0) return;
            const reasons = part.explain(h, item, n);
            const top = Math.max(...reasons.map((r) => Math.abs(r.weight)), 1e-12);
            for (const r of reasons) merged.set(r.item, (merged.get(r.item) ?? 0) + (w * r.weight) / top);
          });
          const expected = sortedReasons(Int32Array.from(merged.keys()), Float32Array.from(merged.values()), 3);
          expect(hybrid.explain(h, item, 3)).toEqual(expected);
        }
      }
    });
  });
});

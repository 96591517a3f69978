import { describe, expect, it } from "vitest";
import {
  averagePrecisionAtK,
  catalogueCoverage,
  hitAtK,
  hitsAtK,
  ndcgAtK,
  novelty,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
} from "../../src/util/ranking-metrics.js";
import { topK } from "../../src/util/top-k.js";

const list = (...items: number[]) => Int32Array.from(items);
const set = (...items: number[]) => new Set(items);

describe("ranking metrics, hand-computed", () => {
  // Ranked [5, 1, 7, 2, 9], relevant {1, 2, 3}: hits at ranks 2 and 4.
  const ranked = list(5, 1, 7, 2, 9);
  const relevant = set(1, 2, 3);

  it("precision and recall", () => {
    expect(hitsAtK(ranked, relevant, 5)).toBe(2);
    expect(precisionAtK(ranked, relevant, 5)).toBeCloseTo(2 / 5, 12);
    expect(precisionAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2, 12);
    expect(recallAtK(ranked, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(ranked, relevant, 1)).toBe(0);
  });

  it("NDCG with binary gains", () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(ranked, relevant, 5)).toBeCloseTo(dcg / ideal, 12);
    // At k = 2 the ideal has only two hits.
    expect(ndcgAtK(ranked, relevant, 2)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)), 12);
  });

  it("average precision, hit and reciprocal rank", () => {
    expect(averagePrecisionAtK(ranked, relevant, 5)).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12);
    expect(averagePrecisionAtK(ranked, relevant, 2)).toBeCloseTo(1 / 2 / 2, 12);
    expect(hitAtK(ranked, relevant, 5)).toBe(1);
    expect(hitAtK(ranked, relevant, 1)).toBe(0);
    expect(reciprocalRankAtK(ranked, relevant, 5)).toBeCloseTo(1 / 2, 12);
    expect(reciprocalRankAtK(ranked, relevant, 1)).toBe(0);
  });

  it("a perfect ranking scores 1 everywhere it can", () => {
    const perfect = list(3, 1, 2, 8);
    expect(ndcgAtK(perfect, relevant, 4)).toBeCloseTo(1, 12);
    expect(averagePrecisionAtK(perfect, relevant, 4)).toBeCloseTo(1, 12);
    expect(recallAtK(perfect, relevant, 3)).toBe(1);
    expect(precisionAtK(perfect, relevant, 3)).toBe(1);
    expect(reciprocalRankAtK(perfect, relevant, 4)).toBe(1);
  });
});

describe("users with fewer than K test items", () => {
  // One relevant item at rank 1, k = 10: NDCG and AP are 1, precision is still hits / k.
  const ranked = list(4, 0, 1, 2, 3, 5, 6, 7, 8, 9);
  const relevant = set(4);

  it("normalises NDCG and AP by min(|relevant|, k) but precision by k", () => {
    expect(ndcgAtK(ranked, relevant, 10)).toBeCloseTo(1, 12);
    expect(averagePrecisionAtK(ranked, relevant, 10)).toBeCloseTo(1, 12);
    expect(precisionAtK(ranked, relevant, 10)).toBeCloseTo(0.1, 12);
    expect(recallAtK(ranked, relevant, 10)).toBe(1);
  });

  it("a hit at rank 3 of two relevant items", () => {
    const r = set(1, 42);
    expect(ndcgAtK(ranked, r, 10)).toBeCloseTo(1 / Math.log2(4) / (1 + 1 / Math.log2(3)), 12);
    expect(averagePrecisionAtK(ranked, r, 10)).toBeCloseTo(1 / 3 / 2, 12);
    expect(reciprocalRankAtK(ranked, r, 10)).toBeCloseTo(1 / 3, 12);
  });
});

describe("empty and short recommendation lists", () => {
  it("an empty list scores 0 on every metric", () => {
    const empty = list();
    const relevant = set(1, 2);
    for (const metric of [precisionAtK, recallAtK, ndcgAtK, averagePrecisionAtK, hitAtK, reciprocalRankAtK]) {
      expect(metric(empty, relevant, 10)).toBe(0);
    }
  });

  it("an empty relevant set scores 0, never NaN", () => {
    for (const metric of [precisionAtK, recallAtK, ndcgAtK, averagePrecisionAtK, hitAtK, reciprocalRankAtK]) {
      expect(metric(list(1, 2, 3), set(), 10)).toBe(0);
    }
  });

  it("a list shorter than k counts the missing positions as misses", () => {
    expect(precisionAtK(list(1), set(1), 10)).toBeCloseTo(0.1, 12);
    expect(ndcgAtK(list(1), set(1, 2), 10)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)), 12);
  });

  it("k larger than the list and k = 0", () => {
    expect(hitAtK(list(1, 2), set(2), 100)).toBe(1);
    expect(precisionAtK(list(1, 2), set(2), 0)).toBe(0);
    expect(ndcgAtK(list(1, 2), set(2), 0)).toBe(0);
  });
});

describe("ties in the scores", () => {
  it("are broken by topK towards the lower index, so the metric depends on it deterministically", () => {
    // Items 2 and 4 tie on the top score; only 4 is relevant: it ranks second.
    const ranked = topK(Float32Array.from([0.1, 0.2, 0.9, 0.3, 0.9]), 3);
    expect(Array.from(ranked)).toEqual([2, 4, 3]);
    expect(reciprocalRankAtK(ranked, set(4), 3)).toBeCloseTo(1 / 2, 12);
    expect(ndcgAtK(ranked, set(4), 3)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(averagePrecisionAtK(ranked, set(4), 3)).toBeCloseTo(1 / 2, 12);
  });
});

describe("coverage and novelty", () => {
  it("coverage counts distinct recommended items over the catalogue", () => {
    expect(catalogueCoverage([list(0, 1), list(1, 2), list()], 10)).toBeCloseTo(0.3, 12);
    expect(catalogueCoverage([], 10)).toBe(0);
  });

  it("novelty is the mean self-information of recommended items", () => {
    // 4 users; item 0 played by 4 (0 bits), item 1 by 1 (2 bits), item 2 by nobody (treated as 1 → 2 bits).
    const itemUsers = Int32Array.from([4, 1, 0]);
    expect(novelty([list(0, 1), list(2)], itemUsers, 4)).toBeCloseTo((0 + 2 + 2) / 3, 12);
    expect(novelty([list()], itemUsers, 4)).toBe(0);
  });
});

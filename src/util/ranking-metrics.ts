/**
 * Ranking metrics for implicit-feedback evaluation: binary relevance (an item is relevant when it is
 * in the user's held-out test set), computed over the top `k` of a ranked list of item indices.
 *
 * Conventions (the same as the reference harness, e.g. the `implicit` / RecBole definitions):
 * - `ranked` is best first and may be shorter than k (the model had fewer candidates); missing
 *   positions count as misses. Ties are resolved before ranking (src/util/top-k.ts breaks them
 *   towards the lower item index), so the metrics never see a tie.
 * - precision@k divides by k even when the list is shorter or the user has fewer than k test items.
 * - recall@k divides by |relevant| (not min(|relevant|, k)), so a user with more than k test items
 *   cannot reach recall 1.
 * - NDCG@k and MAP@k normalise by the best achievable value, min(|relevant|, k) hits at the top.
 * - Every metric is 0 when `relevant` is empty (callers skip such users anyway).
 */

/** Number of positions of the top k to look at. */
const depth = (ranked: Int32Array, k: number) => Math.min(ranked.length, Math.max(0, Math.floor(k)));

export function hitsAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  let hits = 0;
  for (let i = 0, n = depth(ranked, k); i < n; i++) if (relevant.has(ranked[i])) hits++;
  return hits;
}

/** hits / k. */
export function precisionAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  if (k <= 0 || relevant.size === 0) return 0;
  return hitsAtK(ranked, relevant, k) / Math.floor(k);
}

/** hits / |relevant|. */
export function recallAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  if (relevant.size === 0) return 0;
  return hitsAtK(ranked, relevant, k) / relevant.size;
}

/** Discounted gain of position i (0-based): 1 / log2(i + 2). */
const discount = (i: number) => 1 / Math.log2(i + 2);

/** DCG with binary gains over the ideal DCG of min(|relevant|, k) hits at the top. */
export function ndcgAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  const idealHits = Math.min(relevant.size, Math.floor(k));
  if (idealHits <= 0) return 0;
  let dcg = 0;
  for (let i = 0, n = depth(ranked, k); i < n; i++) if (relevant.has(ranked[i])) dcg += discount(i);
  let ideal = 0;
  for (let i = 0; i < idealHits; i++) ideal += discount(i);
  return dcg / ideal;
}

/** AP@k: the sum of precision@(i+1) at every hit position i, over min(|relevant|, k). MAP@k is its mean over users. */
export function averagePrecisionAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  const denominator = Math.min(relevant.size, Math.floor(k));
  if (denominator <= 0) return 0;
  let hits = 0;
  let sum = 0;
  for (let i = 0, n = depth(ranked, k); i < n; i++) {
    if (relevant.has(ranked[i])) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / denominator;
}

/** 1 when at least one relevant item is in the top k, else 0. The mean over users is the hit rate. */
export function hitAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  for (let i = 0, n = depth(ranked, k); i < n; i++) if (relevant.has(ranked[i])) return 1;
  return 0;
}

/** 1 / (1-based rank of the first relevant item in the top k), 0 when none. The mean over users is MRR@k. */
export function reciprocalRankAtK(ranked: Int32Array, relevant: Set<number>, k: number): number {
  for (let i = 0, n = depth(ranked, k); i < n; i++) if (relevant.has(ranked[i])) return 1 / (i + 1);
  return 0;
}

/** Share of the catalogue (`itemCount` items) that appears in at least one of the recommendation lists. */
export function catalogueCoverage(lists: Iterable<Int32Array>, itemCount: number): number {
  if (itemCount <= 0) return 0;
  const seen = new Uint8Array(itemCount);
  let distinct = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      if (seen[list[i]] === 0) {
        seen[list[i]] = 1;
        distinct++;
      }
    }
  }
  return distinct / itemCount;
}

/**
 * Mean self-information −log2(p(i)) of the recommended items, where p(i) = (users who played i in
 * training) / `userCount`. Higher means less obvious recommendations. An item nobody played in
 * training counts as played by one user, so that cold items get the highest finite novelty rather
 * than infinity. 0 when the lists are empty.
 */
export function novelty(lists: Iterable<Int32Array>, itemUsers: ArrayLike<number>, userCount: number): number {
  if (userCount <= 0) return 0;
  let sum = 0;
  let count = 0;
  for (const list of lists) {
    for (let i = 0; i < list.length; i++) {
      sum -= Math.log2(Math.max(itemUsers[list[i]], 1) / userCount);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

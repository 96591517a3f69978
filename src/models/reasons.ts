/**
 * "Because you played X": picks the user's items with the largest contribution to one
 * recommended item. Never empty for a non-empty history (the strongest items are returned even
 * when no contribution is positive, e.g. an item unrelated to everything the user played), unless
 * every contribution is NaN (not counted). Ties go to the lower item index.
 */
import type { Reason, UserHistory } from "./recommender.js";

export const REASONS_PER_ITEM = 3;

export function strongestReasons(items: ArrayLike<number>, contributions: ArrayLike<number>, n = REASONS_PER_ITEM): Reason[] {
  let anyPositive = false;
  for (let i = 0; i < items.length && !anyPositive; i++) anyPositive = contributions[i] > 0;
  // The best n so far, best first: one pass and a few comparisons per item, not a sort of the history.
  const picked: number[] = [];
  const above = (a: number, b: number) => contributions[a] > contributions[b] || (contributions[a] === contributions[b] && items[a] < items[b]);
  for (let i = 0; i < items.length; i++) {
    const c = contributions[i];
    // NaN: not a reason at all (the hybrid's items no part counts).
    if (Number.isNaN(c) || (anyPositive && !(c > 0))) continue;
    let at = picked.length;
    while (at > 0 && above(i, picked[at - 1])) at--;
    if (at < n) {
      picked.splice(at, 0, i);
      if (picked.length > n) picked.pop();
    }
  }
  return picked.map((i) => ({ item: items[i], weight: contributions[i] }));
}

/** Reason weights of a history: damped play counts, so one obsession does not explain everything. */
export function historyWeights(history: UserHistory): Float32Array {
  const weights = new Float32Array(history.plays.length);
  for (let i = 0; i < weights.length; i++) weights[i] = Math.log1p(Math.max(history.plays[i], 0));
  return weights;
}

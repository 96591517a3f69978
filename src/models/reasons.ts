/**
 * "Because you played X": picks the user's items with the largest contribution to one
 * recommended item. Never empty for a non-empty history (the strongest items are returned even
 * when no contribution is positive, e.g. an item unrelated to everything the user played).
 */
import type { Reason, UserHistory } from "./recommender.js";

export const REASONS_PER_ITEM = 3;

export function strongestReasons(items: ArrayLike<number>, contributions: ArrayLike<number>, n = REASONS_PER_ITEM): Reason[] {
  const order = Array.from({ length: items.length }, (_, i) => i);
  order.sort((a, b) => contributions[b] - contributions[a] || items[a] - items[b]);
  const positive = order.filter((i) => contributions[i] > 0);
  const picked = (positive.length > 0 ? positive : order).slice(0, n);
  return picked.map((i) => ({ item: items[i], weight: contributions[i] }));
}

/** Reason weights of a history: damped play counts, so one obsession does not explain everything. */
export function historyWeights(history: UserHistory): Float32Array {
  return Float32Array.from(history.plays, (plays) => Math.log1p(Math.max(plays, 0)));
}

/**
 * Turns a score vector into a recommendation list honouring the options every model shares:
 * leave out played items, leave out every artist the user played, keep only allowed items (a
 * mask, e.g. the library), and cap items per artist.
 * Implemented once here so all models behave identically.
 */
import type { ItemCatalog } from "../data/interactions.js";
import { topK } from "../util/top-k.js";
import type { RecommendOptions, UserHistory } from "./recommender.js";

export function rankItems(scores: Float32Array, history: UserHistory, catalog: ItemCatalog, options: RecommendOptions): Int32Array {
  const k = Math.max(0, Math.floor(options.k));
  const excludePlayed = options.excludePlayed ?? true;
  const maxPerArtist = options.maxPerArtist ?? Infinity;
  const played = new Set<number>(excludePlayed ? history.items : []);
  const playedArtists = new Set<number>();
  if (options.newArtistsOnly) for (const item of history.items) playedArtists.add(catalog.artistIndex[item]);
  const allowed = options.allowedItems;
  if (allowed && allowed.length !== scores.length) {
    throw new Error(`allowedItems has ${allowed.length} entries for ${scores.length} items`);
  }
  const accept = (item: number) =>
    !played.has(item) &&
    (allowed === undefined || allowed[item] !== 0) &&
    (playedArtists.size === 0 || !playedArtists.has(catalog.artistIndex[item]));

  if (!Number.isFinite(maxPerArtist)) return topK(scores, k, accept);
  // Ask for more candidates until the artist cap still leaves k of them (or the catalogue runs out).
  for (let want = k * 4; ; want *= 4) {
    const candidates = topK(scores, want, accept);
    const perArtist = new Map<number, number>();
    const chosen: number[] = [];
    for (const item of candidates) {
      const artist = catalog.artistIndex[item];
      const count = perArtist.get(artist) ?? 0;
      if (count >= maxPerArtist) continue;
      perArtist.set(artist, count + 1);
      chosen.push(item);
      if (chosen.length === k) break;
    }
    if (chosen.length === k || candidates.length < want) return Int32Array.from(chosen);
  }
}

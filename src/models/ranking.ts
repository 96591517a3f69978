/**
 * Turns a score vector into a recommendation list honouring the options every model shares:
 * leave out played items, leave out excluded items and artists (a listener's bans, tracks heard
 * recently), keep only allowed items (a mask, e.g. the library), cap items per artist, and the
 * familiar ↔ new dial. Implemented once here so all models behave identically.
 *
 * The dial (`discovery` X in [0, 1]; `newArtistsOnly` is X = 1) splits the candidates into two
 * pools: familiar — items of artists the history played (not the played items themselves unless
 * excludePlayed is off) — and new — items of artists it never played. Of the k places,
 * round(X·k) go to the best-scored new items and the rest to the best-scored familiar ones; the
 * list is then ordered by score. X = 0 keeps only familiar items and X = 1 only new ones; in
 * between a pool that runs short leaves its places to the other, so the list stays k long and the
 * share of familiar items still never grows as X rises. At artist level an item is an artist, so
 * there is no unplayed item of a known artist: the familiar pool is the artists played (brought
 * back despite excludePlayed), and the new pool every other artist.
 */
import type { ItemCatalog } from "../data/interactions.js";
import { topK } from "../util/top-k.js";
import type { RecommendOptions, UserHistory } from "./recommender.js";

/** rankItems' per-item marks: in the history; not a candidate (not allowed, an excluded item or artist). */
const PLAYED = 1;
const BLOCKED = 2;

export function rankItems(scores: Float32Array, history: UserHistory, catalog: ItemCatalog, options: RecommendOptions): Int32Array {
  const k = Math.max(0, Math.floor(options.k));
  const excludePlayed = options.excludePlayed ?? true;
  const maxPerArtist = options.maxPerArtist ?? Infinity;
  const discovery = options.newArtistsOnly ? 1 : options.discovery;
  if (discovery !== undefined && !(discovery >= 0 && discovery <= 1)) throw new RangeError(`discovery must be within [0, 1], got ${discovery}`);
  const allowed = options.allowedItems;
  if (allowed && allowed.length !== scores.length) {
    throw new Error(`allowedItems has ${allowed.length} entries for ${scores.length} items`);
  }
  // One byte per item, filled once per request (no Set lookups or per-item closures over several lists).
  const mask = new Uint8Array(scores.length);
  for (const item of history.items) mask[item] |= PLAYED;
  if (allowed !== undefined) for (let item = 0; item < mask.length; item++) if (allowed[item] === 0) mask[item] |= BLOCKED;
  if (options.excludedItems !== undefined) for (const item of options.excludedItems) mask[item] |= BLOCKED;
  const excludedArtists = options.excludedArtists;
  if (excludedArtists !== undefined) {
    for (let item = 0; item < mask.length; item++) if (sortedHas(excludedArtists, catalog.artistIndex[item])) mask[item] |= BLOCKED;
  }
  const rejected = excludePlayed ? PLAYED | BLOCKED : BLOCKED;

  if (discovery === undefined) return pick(scores, k, (item) => (mask[item] & rejected) === 0, catalog, maxPerArtist);

  const artistLevel = catalog.level === "artist";
  const knownArtists = new Set<number>();
  for (const item of history.items) knownArtists.add(catalog.artistIndex[item]);
  const familiar = artistLevel
    ? (item: number) => (mask[item] & (PLAYED | BLOCKED)) === PLAYED
    : (item: number) => knownArtists.has(catalog.artistIndex[item]) && (mask[item] & rejected) === 0;
  const fresh = (item: number) => !knownArtists.has(catalog.artistIndex[item]) && (mask[item] & BLOCKED) === 0;
  if (discovery === 0) return pick(scores, k, familiar, catalog, maxPerArtist);
  if (discovery === 1) return pick(scores, k, fresh, catalog, maxPerArtist);

  const freshPlaces = Math.round(discovery * k);
  let known = pick(scores, k - freshPlaces, familiar, catalog, maxPerArtist);
  const news = pick(scores, k - known.length, fresh, catalog, maxPerArtist);
  if (known.length + news.length < k) known = pick(scores, k - news.length, familiar, catalog, maxPerArtist);
  const merged = Int32Array.from([...known, ...news]);
  return merged.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** The k best-scored accepted items, at most `maxPerArtist` of each artist. */
function pick(scores: Float32Array, k: number, accept: (item: number) => boolean, catalog: ItemCatalog, maxPerArtist: number): Int32Array {
  if (!Number.isFinite(maxPerArtist)) return topK(scores, k, accept);
  if (k <= 0) return new Int32Array(0);
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

/** Binary search in an ascending array (exclusion lists are short and sorted once per listener). */
export function sortedHas(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = sorted[mid];
    if (at === value) return true;
    if (at < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * Radio: an ordered mix that starts near its seeds and drifts, built from a model's item
 * similarities (and a listener's scores, when there is one). The mix is chosen one item at a time:
 *
 *   score_t(i) = (1 − β) · [a_t · A(i) + (1 − a_t) · R_t(i)] + β · T(i)
 *
 * With several seeds the mix takes them in turn, one strand per seed: at step t, seed s = t mod S,
 * A_t is the similarity to s's anchors (its item, or an artist's top tracks: their mean) and R_t the
 * mean similarity to the last RECENT picks of s's strand — so two distant seeds each get their share
 * and each strand drifts on its own, rather than the mix settling between them or on the seed with
 * the higher similarities. T is the listener's taste; all are z-scored over the catalogue
 * (models/standardize.ts) so cosines, fused z-scores and co-listen counts blend alike. The anchors'
 * share a_t starts at 1 and its excess over ANCHOR_FLOOR halves every DRIFT_HALF_LIFE picks (not
 * scaled by k, so a mix of 10 is the start of the mix of 30): the first items sit next to
 * the seeds, later ones follow where the strand went (the drift), and a long mix never loses its seeds
 * entirely. β = TASTE_WEIGHT with a listener, else 0.
 *
 * Rules, each applied to every pick: no artist twice in a row, and an artist returns only after
 * ARTIST_SPACING others when any item allows it (without it, an artist's own tracks — its closest
 * neighbours — would alternate with one other artist's: A B A B A B); at artist level every item is
 * an artist, so no artist twice at all; at most `maxPerArtist` items of one artist; one version of a
 * song (data/song-key.ts: "- Remastered 2011", "(Live)", "feat." variants are the same song, and
 * artists that differ only by "feat." or "The" are one artist); never a seed or another version of
 * one; never an excluded item, only allowed ones; with the familiar ↔ new dial, each pick from the
 * pool (artists the listener played, or not) the dial's share calls for, when that pool has one.
 * When no item keeps the rules the mix ends early.
 * Ties go to the lower item index and nothing is random, so a mix is deterministic.
 *
 * Cost: one similarity vector per anchor and per pick (what the model's itemSimilarities costs,
 * e.g. items × factors), plus O(items) per pick for the blend and the best candidate; song keys only
 * for the items about to be picked.
 */
import type { ItemCatalog } from "../data/interactions.js";
import { songKey } from "../data/song-key.js";
import { standardize } from "./standardize.js";

/** The anchors keep at least this share of the score, however long the mix. */
export const ANCHOR_FLOOR = 0.3;
/** Picks after which the anchors' share above the floor has halved. */
export const DRIFT_HALF_LIFE = 8;
/** Picks whose similarities steer the drift (their mean: smoother than the last pick alone). */
export const RECENT = 3;
/** Other artists between two items of one artist, where the catalogue allows (else at least one: never twice in a row). */
export const ARTIST_SPACING = 3;
/** The listener's share of the score when a taste vector is given. */
export const TASTE_WEIGHT = 0.35;

export interface RadioStart {
  /** Per seed, the items the mix starts next to (their similarities, averaged, are that seed's A). */
  anchors: Int32Array[];
  /** Items never played, nor any other version of them (the seed tracks the listener named). */
  seeds: Int32Array;
}

export interface RadioOptions {
  k: number;
  /** At most this many items of one artist (≥ 1). */
  maxPerArtist: number;
  /** A listener's score for every item (any scale), blended in as T. */
  taste?: Float32Array;
  /** Items never to play: a non-zero entry excludes the item (e.g. a listener's bans). */
  excludedItems?: Uint8Array;
  /** Only items with a non-zero entry may be played (e.g. the local library). Default: every item. */
  allowedItems?: Uint8Array;
  /**
   * The familiar ↔ new dial, as rankings have it (src/models/ranking.ts): `share` of the mix goes to
   * `fresh` items (non-zero: by an artist the listener never played), the rest to familiar ones,
   * kept along the mix — pick t is fresh while fewer than round(share · (t + 1)) were. 0 plays only
   * familiar items and 1 only fresh ones; in between a pool that runs dry leaves its turns to the other.
   */
  discovery?: { share: number; fresh: Uint8Array };
}

export interface RadioPick {
  item: number;
  /** The blended score the item won its place with. */
  score: number;
}

/** Similarity of every catalogue item to one item, on any scale (NaN: unknown to the model). */
export type SimilarityOf = (item: number) => Float32Array;

export function mixRadio(catalog: ItemCatalog, similarityOf: SimilarityOf, start: RadioStart, options: RadioOptions): RadioPick[] {
  const n = catalog.keys.length;
  const k = Math.max(0, Math.floor(options.k));
  if (!(options.maxPerArtist >= 1)) throw new Error(`maxPerArtist must be at least 1, got ${options.maxPerArtist}`);
  if (start.anchors.length === 0 || start.anchors.some((group) => group.length === 0)) throw new Error("a radio needs at least one anchor item per seed");
  const dial = options.discovery;
  if (dial && !(dial.share >= 0 && dial.share <= 1)) throw new RangeError(`discovery must be within [0, 1], got ${dial.share}`);
  for (const [name, mask] of [["excludedItems", options.excludedItems], ["allowedItems", options.allowedItems], ["taste", options.taste], ["discovery.fresh", dial?.fresh]] as const) {
    if (mask && mask.length !== n) throw new Error(`${name} has ${mask.length} entries for ${n} items`);
  }
  const artistOf = songArtists(catalog);
  const artistCount = new Int32Array(artistOf.artists);
  // 1: may not be played (seed, excluded, not allowed, picked, or another version of a played song).
  const blocked = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if ((options.excludedItems && options.excludedItems[i] !== 0) || (options.allowedItems && options.allowedItems[i] === 0)) blocked[i] = 1;
  }
  const usedSongs = new Set<string>();
  for (const seed of start.seeds) {
    blocked[seed] = 1;
    usedSongs.add(songKeyOf(catalog, seed));
  }

  const anchors = start.anchors.map((group) => meanOfStandardized(Array.from(group, (item) => similarityOf(item))));
  const taste = options.taste ? standardize(options.taste) : null;
  const beta = taste ? TASTE_WEIGHT : 0;
  const strands = anchors.map(() => ({ recent: [] as Float32Array[], drift: null as Float32Array | null }));
  const picks: RadioPick[] = [];
  let freshPicks = 0;
  // The pick at which each artist last played (far in the past: not yet).
  const lastPlayed = new Float64Array(artistOf.artists).fill(-Infinity);

  while (picks.length < k) {
    const t = picks.length;
    const anchor = anchors[t % anchors.length];
    const strand = strands[t % anchors.length];
    const drift = strand.drift;
    const a = drift ? ANCHOR_FLOOR + (1 - ANCHOR_FLOOR) * 0.5 ** (t / DRIFT_HALF_LIFE) : 1;
    const wAnchor = (1 - beta) * a;
    const wDrift = (1 - beta) * (1 - a);

    /** The best item whose artist last played at least `distance` picks ago (and a new song) of a pool (fresh 1, familiar 0, any -1). */
    const bestAt = (distance: number, pool: number): RadioPick | null => {
      for (;;) {
        let best = -1;
        let bestScore = -Infinity;
        for (let i = 0; i < n; i++) {
          if (blocked[i] !== 0) continue;
          const artist = artistOf.index[i];
          if (t - lastPlayed[artist] < distance || artistCount[artist] >= options.maxPerArtist) continue;
          if (pool >= 0 && (dial!.fresh[i] !== 0 ? 1 : 0) !== pool) continue;
          let score = wAnchor * anchor[i];
          if (drift) score += wDrift * drift[i];
          if (taste) score += beta * taste[i];
          // NaN (unknown to the model) never wins; ties keep the lower index.
          if (score > bestScore) {
            bestScore = score;
            best = i;
          }
        }
        if (best < 0) return null;
        const song = songKeyOf(catalog, best);
        if (!usedSongs.has(song)) {
          usedSongs.add(song);
          return { item: best, score: bestScore };
        }
        // Another version of a song already played (or a seed): never a candidate again.
        blocked[best] = 1;
      }
    };
    // The dial's pool for this pick first (only it at 0 and 1), then the other; spacing before the bare rule.
    const pools = !dial ? [-1] : dial.share === 0 ? [0] : dial.share === 1 ? [1] : freshPicks < Math.round(dial.share * (t + 1)) ? [1, 0] : [0, 1];
    let pick: RadioPick | null = null;
    for (const pool of pools) {
      pick = bestAt(ARTIST_SPACING + 1, pool) ?? bestAt(2, pool);
      if (pick) break;
    }
    if (!pick) break;
    if (dial && dial.fresh[pick.item] !== 0) freshPicks++;
    picks.push(pick);
    blocked[pick.item] = 1;
    const artist = artistOf.index[pick.item];
    lastPlayed[artist] = t;
    artistCount[artist]++;
    strand.recent.push(standardize(similarityOf(pick.item)));
    if (strand.recent.length > RECENT) strand.recent.shift();
    strand.drift = meanOfStandardized(strand.recent, true);
  }
  return picks;
}

/** The z-scored mean of z-scored vectors (`already`: the vectors are z-scores). */
function meanOfStandardized(vectors: Float32Array[], already = false): Float32Array {
  const z = already ? vectors : vectors.map(standardize);
  if (z.length === 1) return z[0];
  const sum = new Float32Array(z[0].length);
  for (const v of z) for (let i = 0; i < sum.length; i++) sum[i] += v[i];
  return standardize(sum);
}

function songKeyOf(catalog: ItemCatalog, item: number): string {
  return songKey(catalog.artists[item], catalog.tracks[item]);
}

/**
 * Each item's artist as the song key sees artists ("Daft Punk ft. Pharrell Williams" and "The
 * Beatles"/"Beatles" are one artist each), as dense ids; one song key per distinct catalogue
 * artist, computed once per catalogue.
 */
interface SongArtists {
  index: Int32Array;
  artists: number;
}

const songArtistsCache = new WeakMap<ItemCatalog, SongArtists>();

function songArtists(catalog: ItemCatalog): SongArtists {
  let cached = songArtistsCache.get(catalog);
  if (cached) return cached;
  const idOfKey = new Map<string, number>();
  const idOfArtist = new Map<number, number>();
  const index = new Int32Array(catalog.keys.length);
  for (let item = 0; item < index.length; item++) {
    let id = idOfArtist.get(catalog.artistIndex[item]);
    if (id === undefined) {
      const key = songKey(catalog.artists[item], null);
      id = idOfKey.get(key);
      if (id === undefined) idOfKey.set(key, (id = idOfKey.size));
      idOfArtist.set(catalog.artistIndex[item], id);
    }
    index[item] = id;
  }
  cached = { index, artists: idOfKey.size };
  songArtistsCache.set(catalog, cached);
  return cached;
}

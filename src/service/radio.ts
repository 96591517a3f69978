/**
 * Radio through the service, the one path the CLI (`radio`, `playlist --radio`), the API and the
 * radio page share: seeds named as text → anchors → the mix (src/models/radio-mix.ts) from the
 * model's item similarities, blended with a listener's scores when one is named → views and
 * playlists.
 *
 * With a listener, the mix leaves out what they banned (and, with notHeardWithinMs, what they heard
 * recently), blends in their taste and may follow the familiar ↔ new dial.
 *
 * A seed is "Artist - Track" (that track: never played in the mix, nor another version of it), an
 * artist of artist-level data (likewise), or an artist of track-level data: the mix then starts from
 * that artist's ARTIST_SEED_TRACKS most-listened tracks, which it may play (the artist cap applies).
 */
import { itemLabel } from "../data/interactions.js";
import { artistKey } from "../data/item-key.js";
import { listenerCounts } from "../data/listener-counts.js";
import type { ItemCatalog } from "../data/interactions.js";
import type { TrainingSet } from "../data/training-set.js";
import type { UserHistory } from "../models/recommender.js";
import { mixRadio, type RadioPick } from "../models/radio-mix.js";
import type { Playlist } from "../playlists/playlist.js";
import { ParameterError } from "../util/errors.js";
import { topK } from "../util/top-k.js";
import { itemView, type ItemView } from "./item-view.js";
import type { ListenerFeedback } from "./listener-feedback.js";
import type { ListenerContext, RecommendationService } from "./recommendation-service.js";

/** At most this many items of one artist per mix, unless the query says otherwise. */
export const RADIO_ARTIST_CAP = 3;
/** An artist seed of track-level data starts from this many of the artist's most-listened tracks. */
export const ARTIST_SEED_TRACKS = 5;
export const MAX_SEEDS = 10;

export interface RadioQuery {
  /** "Artist - Track" or "Artist" (or item keys), at least one. */
  seeds: readonly string[];
  model: string;
  k: number;
  /** At most this many items per artist; 0 = RADIO_ARTIST_CAP. */
  perArtist: number;
  /** Blend in this listener's taste (null or absent: none). */
  user?: string | null;
  /** Only items of the local library. */
  libraryOnly?: boolean;
  /** With a user: the familiar ↔ new dial in [0, 1] (src/models/radio-mix.ts); absent: by score alone. */
  discovery?: number;
  /** With a user: leave out items they played within this many milliseconds (their plays come in the ListenerContext). */
  notHeardWithinMs?: number;
}

export interface SeedView {
  /** What the seed named: a track, or an artist (an artist-level item, or all of an artist's tracks). */
  kind: "track" | "artist";
  /** Item key of a track or artist-level item, artist key of an artist of track-level data. */
  key: string;
  label: string;
}

export interface RadioItemView {
  item: ItemView;
  score: number;
}

export interface RadioView {
  seeds: SeedView[];
  model: string;
  user: string | null;
  k: number;
  /** The artist cap applied. */
  perArtist: number;
  libraryOnly: boolean;
  /** The familiar ↔ new dial applied, null for none. */
  discovery: number | null;
  items: RadioItemView[];
}

interface ResolvedSeeds {
  views: SeedView[];
  anchors: Int32Array[];
  seeds: Int32Array;
}

/** The mix for a query, as catalogue items. */
export function radioPicks(
  service: RecommendationService,
  query: RadioQuery,
  context: ListenerContext = {},
): { seeds: SeedView[]; perArtist: number; picks: RadioPick[] } {
  if (query.seeds.length === 0) throw new ParameterError("seed", "a radio needs at least one seed (\"Artist - Track\" or \"Artist\")");
  if (query.seeds.length > MAX_SEEDS) throw new ParameterError("seed", `at most ${MAX_SEEDS} seeds, got ${query.seeds.length}`);
  const { discovery, notHeardWithinMs } = query;
  if (discovery !== undefined && !(discovery >= 0 && discovery <= 1)) {
    throw new ParameterError("discovery", `must be a number from 0 (familiar artists) to 1 (new artists), got ${discovery}`);
  }
  if (!query.user) {
    if (discovery !== undefined) throw new ParameterError("discovery", "familiar and new are a listener's: name the user");
    if (notHeardWithinMs !== undefined) throw new ParameterError("notHeardWithin", "leaves out what a listener heard recently: name the user");
  }
  const model = service.model(query.model);
  const resolved = resolveSeeds(service, query.seeds);
  const catalog = service.training.catalog;
  const history = query.user ? service.historyOf(query.user) : null;
  const feedback = query.user ? service.listenerFeedback(query.user, query, context) : null;
  const perArtist = query.perArtist > 0 ? query.perArtist : RADIO_ARTIST_CAP;
  // One similarity vector per item and request: an anchor that is also picked (an artist seed's
  // top tracks may be played), or shared by two seeds, is not computed twice.
  const similarities = new Map<number, Float32Array>();
  const similarityOf = (item: number) => {
    let vector = similarities.get(item);
    if (!vector) similarities.set(item, (vector = model.itemSimilarities(item)));
    return vector;
  };
  const picks = mixRadio(catalog, similarityOf, resolved, {
    k: query.k,
    maxPerArtist: perArtist,
    taste: history ? model.scores(history) : undefined,
    excludedItems: feedback ? blockedItems(catalog, feedback) : undefined,
    allowedItems: service.allowedItems(query),
    discovery: history && discovery !== undefined ? { share: discovery, fresh: freshItems(catalog, history) } : undefined,
  });
  return { seeds: resolved.views, perArtist, picks };
}

/** What the listener's feedback blocks (bans, recently heard), as a mask; undefined when nothing. */
function blockedItems(catalog: ItemCatalog, feedback: ListenerFeedback): Uint8Array | undefined {
  if (feedback.excludedItems.length === 0 && feedback.bannedArtists.length === 0) return undefined;
  return Uint8Array.from(catalog.keys, (_, item) => (feedback.blocks(item) ? 1 : 0));
}

/** Items by artists the history never played (at artist level: the artists never played). */
function freshItems(catalog: ItemCatalog, history: UserHistory): Uint8Array {
  const known = new Set<number>();
  for (const item of history.items) known.add(catalog.artistIndex[item]);
  return Uint8Array.from(catalog.artistIndex, (artist) => (known.has(artist) ? 0 : 1));
}

export function radioView(service: RecommendationService, query: RadioQuery, context: ListenerContext = {}): RadioView {
  const { seeds, perArtist, picks } = radioPicks(service, query, context);
  const catalog = service.training.catalog;
  return {
    seeds,
    model: query.model,
    user: query.user || null,
    k: query.k,
    perArtist,
    libraryOnly: Boolean(query.libraryOnly),
    discovery: query.discovery ?? null,
    items: picks.map((pick) => ({ item: itemView(catalog, pick.item), score: pick.score })),
  };
}

/** The mix as a playlist, saying from which seeds, for whom, from which model and when. */
export function radioPlaylist(service: RecommendationService, query: RadioQuery, date = new Date(), context: ListenerContext = {}): Playlist {
  const { seeds, picks } = radioPicks(service, query, context);
  const day = date.toISOString().slice(0, 10);
  const names = seeds.map((s) => s.label).join(", ");
  const forUser = query.user ? ` for ${query.user}` : "";
  const from = query.libraryOnly ? " from your library" : "";
  return service.playlist(
    picks.map((pick) => ({ item: pick.item })),
    {
      title: `musicrec radio: ${names} (${query.model}, ${day})`,
      annotation:
        `${picks.length} items${from} starting near ${names}${forUser}, by the ${query.model} model trained on ${service.bundle.trainedAt.slice(0, 10)}; ` +
        `made by musicrec on ${day}.${service.bundle.synthetic ? " SYNTHETIC DATA." : ""}`,
      date,
    },
  );
}

function resolveSeeds(service: RecommendationService, texts: readonly string[]): ResolvedSeeds {
  const catalog = service.training.catalog;
  const views: SeedView[] = [];
  const anchors: Int32Array[] = [];
  const seeds = new Set<number>();
  for (const text of texts) {
    const match = service.seedOf(text);
    if (match.kind === "item") {
      if (seeds.has(match.item)) continue;
      seeds.add(match.item);
      anchors.push(Int32Array.of(match.item));
      views.push({ kind: catalog.level === "track" ? "track" : "artist", key: catalog.keys[match.item], label: itemLabel(catalog, match.item) });
    } else {
      const first = match.items[0];
      const key = artistKey(catalog.artists[first]);
      if (views.some((v) => v.kind === "artist" && v.key === key)) continue;
      const listeners = listenersOf(service.training);
      anchors.push(Int32Array.from(topK(Float32Array.from(match.items, (item) => listeners[item]), ARTIST_SEED_TRACKS), (n) => match.items[n]));
      views.push({ kind: "artist", key, label: catalog.artists[first] });
    }
  }
  return { views, anchors, seeds: Int32Array.from(seeds) };
}

const listenerCache = new WeakMap<TrainingSet, Float32Array>();

function listenersOf(training: TrainingSet): Float32Array {
  let counts = listenerCache.get(training);
  if (!counts) listenerCache.set(training, (counts = listenerCounts(training.plays)));
  return counts;
}

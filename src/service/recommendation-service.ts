/**
 * The one query path over a trained bundle, shared by the CLI (`recommend`, `similar`), the
 * pages and the JSON API: model choice, user and item lookup, recommendations with reasons and
 * similar items as views. Everything is read-only over a loaded bundle, so results per (user,
 * model, options) are cached: the API keeps the serialised JSON, which makes a repeated request
 * a map lookup.
 */
import { itemLabel } from "../data/interactions.js";
import type { Recommender, Recommendation, RecommendOptions, UserHistory } from "../models/recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import { ParameterError } from "../util/errors.js";
import type { LibraryIndex } from "../library/library-index.js";
import { playlistTracks, type PlaylistItem } from "../library/playlist-tracks.js";
import type { Playlist } from "../playlists/playlist.js";
import type { PlayedRow } from "../models/history.js";
import { historyFromRows } from "../models/history.js";
import { ItemLookup, type SeedMatch } from "./item-lookup.js";
import { itemView, type ItemView, type ReasonView } from "./item-view.js";
import { LruCache } from "./lru-cache.js";
import { MODEL_ORDER, modelInfo, type ModelInfo } from "./model-info.js";
import { unknownNameError } from "./name-matching.js";
import { radioPlaylist, radioView, type RadioQuery, type RadioView } from "./radio.js";
import { OpinionBook, fixedOpinions, type OpinionSource } from "./opinion-book.js";
import { ListenerFeedback, resolveFeedback, type RecentPlay } from "./listener-feedback.js";

/** What serving needs of a trained model bundle (a ModelBundle is one). */
export interface ServingModels {
  /** The saved bundle's id (its version folder), when it came from disk. */
  id?: string;
  training: TrainingSet;
  /** Trained models by name, and imported ones by the name they were imported under. */
  models: ReadonlyMap<string, Recommender>;
  synthetic: boolean;
  trainedAt: string;
}

export interface RecommendQuery {
  model: string;
  k: number;
  /** At most this many items per artist; 0 = no limit. */
  perArtist: number;
  newArtistsOnly: boolean;
  /** Only items of the local library (`musicrec library scan`); default false. */
  libraryOnly?: boolean;
  /** Familiar ↔ new dial in [0, 1] (src/models/ranking.ts); absent: by score alone. newArtistsOnly is 1. */
  discovery?: number;
  /** Also suggest items the listener already played (default false: leave them out). */
  includePlayed?: boolean;
  /**
   * Leave out items the listener played within this many milliseconds (by the store's play
   * times, so also plays after the training; undated plays are not recent). The caller reads them
   * (src/store/feedback.ts playedSince) and passes them with the query.
   */
  notHeardWithinMs?: number;
}

/** A listener's feedback as ranking options: banned and recently heard items, banned artists. */
export type FeedbackRanking = Pick<RecommendOptions, "excludedItems" | "excludedArtists">;

/** What a query of one listener needs besides the query: items played within its notHeardWithinMs. */
export interface ListenerContext {
  heardRecently?: readonly RecentPlay[];
}

export interface RecommendationView {
  item: ItemView;
  score: number;
  /** The listener's own items that contributed most, strongest first. */
  because: ReasonView[];
}

export interface SimilarView {
  item: ItemView;
  score: number;
}

export interface FoldInResult {
  /** Distinct catalogue items the history matched. */
  matched: number;
  /** Rows that matched no catalogue item. */
  unmatched: number;
  results: { model: string; items: RecommendationView[] }[];
}

/** Cached API responses by default (a HetRec response is ~3-6 KB, so about 60 MB at most). */
export const DEFAULT_CACHE_ENTRIES = 10_000;

export class RecommendationService {
  /** The bundle's models in display order: trained ones, then imported ones by name. */
  readonly modelNames: string[];
  /** Model used when a query names none: hybrid when trained, else the first trained model. */
  readonly defaultModel: string;
  private readonly userIndex = new Map<string, number>();
  private readonly items: ItemLookup;
  private readonly jsonCache: LruCache<Buffer>;
  /** Users whose default recommendations warmUp has cached (0 until it finishes). */
  warmedUsers = 0;

  constructor(
    readonly bundle: ServingModels,
    private readonly cacheCapacity = DEFAULT_CACHE_ENTRIES,
  ) {
    const trained: string[] = MODEL_ORDER.filter((name) => bundle.models.has(name));
    this.modelNames = [...trained, ...[...bundle.models.keys()].filter((name) => !trained.includes(name)).sort()];
    if (this.modelNames.length === 0) throw new Error("the model bundle holds no models");
    this.defaultModel = this.modelNames.includes("hybrid") ? "hybrid" : this.modelNames[0];
    bundle.training.userNames.forEach((name, i) => this.userIndex.set(name, i));
    this.items = new ItemLookup(bundle.training.catalog);
    this.jsonCache = new LruCache(cacheCapacity);
  }

  /** Responses currently cached. */
  get cachedResponses(): number {
    return this.jsonCache.size;
  }

  get training(): TrainingSet {
    return this.bundle.training;
  }

  hasUser(user: string): boolean {
    return this.userIndex.has(user);
  }

  /** Dense index of an item named by its key or display name (src/service/item-lookup.ts); 404 when unknown. */
  itemOf(text: string): number {
    return this.items.find(text);
  }

  /** What a radio seed names: an item, or an artist of track-level data (404 suggesting close names). */
  seedOf(text: string): SeedMatch {
    return this.items.findSeed(text);
  }

  /**
   * The history scoring uses for a known user: their training row (O(1) by name, not copied: this
   * runs on every API request) plus the tracks they loved (listener-feedback.ts), or a 404
   * UserError suggesting close names.
   */
  historyOf(user: string): UserHistory {
    return this.feedbackOf(user).scoringHistory(this.playedBy(user));
  }

  /** The training row of a known user (what they played, without loved items). */
  playedBy(user: string): UserHistory {
    const index = this.userIndex.get(user);
    if (index === undefined) throw unknownNameError("user", user, this.training.userNames);
    const plays = this.training.plays;
    return { items: plays.rowIndices(index), plays: plays.rowData(index), trainingUser: index };
  }

  private opinions: OpinionSource = fixedOpinions(OpinionBook.empty);
  private readonly resolved = new LruCache<{ book: OpinionBook; feedback: ListenerFeedback }>(1_000);

  /** Where listeners' bans and loved items come from (default: nobody has any). */
  useOpinions(source: OpinionSource): void {
    this.opinions = source;
  }

  /**
   * A listener's bans and loved items resolved against this bundle's catalogue, and the items
   * they heard recently when given: what every recommendation, playlist and radio of theirs leaves
   * out (`blocks(item)`, or the typed arrays for a ranking). Unknown listeners have none.
   */
  feedbackOf(user: string, heardRecently?: readonly RecentPlay[]): ListenerFeedback {
    const book = this.opinions.current();
    let cached = this.resolved.get(user);
    if (cached?.book !== book) {
      cached = { book, feedback: resolveFeedback(this.training.catalog, this.items, book.of(user)) };
      this.resolved.set(user, cached);
    }
    return heardRecently === undefined ? cached.feedback : cached.feedback.withRecent(heardRecently, this.items);
  }

  /** The named model (default: `defaultModel`), or a 400 naming the parameter when it was not trained. */
  model(name: string = this.defaultModel): Recommender {
    const model = this.bundle.models.get(name);
    if (!model) {
      throw new ParameterError(
        "model",
        `"${name}" is not in the saved bundle (${this.holdings()}); run \`musicrec train --models ${name}\`, or import a model under that name`,
      );
    }
    return model;
  }

  /** "trained: svd, als; imported: spark-als". */
  private holdings(): string {
    const trained = this.modelNames.filter((name) => (MODEL_ORDER as readonly string[]).includes(name));
    const imported = this.modelNames.filter((name) => !trained.includes(name));
    return `trained: ${trained.join(", ") || "none"}${imported.length > 0 ? `; imported: ${imported.join(", ")}` : ""}`;
  }

  /** Title and description of a model of the bundle, for display. */
  info(name: string): ModelInfo {
    return modelInfo(name, this.model(name));
  }

  /** The local library matched to this bundle's catalogue, once attached (`useLibrary`). */
  library: LibraryIndex | null = null;

  /** Attaches the library (before serving requests: cached responses do not depend on it otherwise). */
  useLibrary(library: LibraryIndex): void {
    if (library.catalog !== this.training.catalog) throw new Error("the library index was matched against another catalogue");
    this.library = library;
  }

  /** The allowed-items mask of a query (undefined: every item). */
  allowedItems(query: Pick<RecommendQuery, "libraryOnly">): Uint8Array | undefined {
    if (!query.libraryOnly) return undefined;
    if (!this.library || this.library.owned === 0) {
      throw new ParameterError(
        "libraryOnly",
        this.library && this.library.files.length > 0
          ? "no file of the local library matches an item the models know (see `musicrec library status`)"
          : "the local library is empty: run `musicrec library scan DIR` first",
      );
    }
    return this.library.ownedItems;
  }

  /**
   * The model's recommendations for a history, as items (views and playlists are made from them),
   * leaving out what the listener's feedback blocks. Every model goes through here, so bans hold
   * for trained, hybrid and imported models alike.
   */
  recommend(history: UserHistory, query: RecommendQuery, feedback?: ListenerFeedback): Recommendation[] {
    return this.recommendRanked(history, query, feedback?.rankingOptions() ?? {});
  }

  /** A 400 naming the parameter for a query no model can answer (an unknown model, a discovery out of range). */
  checkQuery(query: RecommendQuery): void {
    this.model(query.model);
    if (query.discovery !== undefined && !(query.discovery >= 0 && query.discovery <= 1)) {
      throw new ParameterError("discovery", `must be a number from 0 (familiar artists) to 1 (new artists), got ${query.discovery}`);
    }
    if (query.newArtistsOnly && query.discovery !== undefined && query.discovery !== 1) {
      throw new ParameterError("discovery", `newArtistsOnly is discovery 1; do not combine it with discovery ${query.discovery}`);
    }
  }

  /** recommend() with the feedback already reduced to its ranking options (what a scoring thread is sent). */
  recommendRanked(history: UserHistory, query: RecommendQuery, ranking: FeedbackRanking): Recommendation[] {
    this.checkQuery(query);
    return this.model(query.model).recommend(history, {
      k: query.k,
      excludePlayed: !query.includePlayed,
      maxPerArtist: query.perArtist > 0 ? query.perArtist : undefined,
      newArtistsOnly: query.newArtistsOnly,
      discovery: query.discovery,
      allowedItems: this.allowedItems(query),
      ...ranking,
    });
  }

  /** A known listener's recommendations as items, honouring their feedback. */
  recommendFor(user: string, query: RecommendQuery, context: ListenerContext = {}): Recommendation[] {
    return this.recommend(this.historyOf(user), query, this.listenerFeedback(user, query, context));
  }

  /** A listener's feedback for a query: their bans, and what they heard within its notHeardWithinMs. */
  listenerFeedback(user: string, query: Pick<RecommendQuery, "notHeardWithinMs">, context: ListenerContext): ListenerFeedback {
    if (query.notHeardWithinMs !== undefined && context.heardRecently === undefined) {
      throw new Error("a notHeardWithinMs query needs the listener's recent plays (ListenerContext.heardRecently)");
    }
    return this.feedbackOf(user, query.notHeardWithinMs === undefined ? undefined : context.heardRecently);
  }

  /**
   * A playlist of any ordered list of items (recommendations, a radio), with the library's files
   * and the MusicBrainz ids known for each; every playlist format serialises it.
   */
  playlist(items: readonly PlaylistItem[], about: { title: string; annotation: string; date?: Date }): Playlist {
    return {
      title: about.title,
      annotation: about.annotation,
      creator: "musicrec",
      date: about.date ?? new Date(),
      tracks: playlistTracks(this.training.catalog, items, this.library),
    };
  }

  /** A user's discovery playlist: their recommendations, saying for whom, from which model and when. */
  playlistForUser(user: string, query: RecommendQuery, date = new Date(), context: ListenerContext = {}): Playlist {
    const recommendations = this.recommendFor(user, query, context);
    const catalog = this.training.catalog;
    const items = recommendations.map((r) => ({
      item: r.item,
      annotation: r.because.length > 0 ? `because you played ${r.because.map((reason) => itemLabel(catalog, reason.item)).join(", ")}` : null,
    }));
    const day = date.toISOString().slice(0, 10);
    const from = query.libraryOnly ? " from your library" : "";
    return this.playlist(items, {
      title: `musicrec discovery for ${user} (${query.model}, ${day})`,
      annotation:
        `${items.length} ${query.model} recommendations${from} for ${user}, from models trained on ${this.bundle.trainedAt.slice(0, 10)}; ` +
        `made by musicrec on ${day}.${this.bundle.synthetic ? " SYNTHETIC DATA." : ""}`,
      date,
    });
  }

  /** A radio: an ordered mix from seeds (src/service/radio.ts), honouring a listener's feedback. */
  radio(query: RadioQuery, context: ListenerContext = {}): RadioView {
    return radioView(this, query, context);
  }

  /** A radio as a playlist. */
  radioPlaylist(query: RadioQuery, date = new Date(), context: ListenerContext = {}): Playlist {
    return radioPlaylist(this, query, date, context);
  }

  forHistory(history: UserHistory, query: RecommendQuery): RecommendationView[] {
    return this.recommend(history, query).map((r) => this.view(r));
  }

  forUser(user: string, query: RecommendQuery, context: ListenerContext = {}): RecommendationView[] {
    return this.recommendFor(user, query, context).map((r) => this.view(r));
  }

  /**
   * Builds what each model derives for scoring (Recommender.prepare) before the first request,
   * giving way to other work between slices: a server calls it off the request path.
   */
  async prepareModels(): Promise<void> {
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (const model of new Set(this.bundle.models.values())) await model.prepare?.(nextTurn);
  }

  /**
   * Fills the cache with `query` for every user (up to half the cache) in short slices of work,
   * giving way while `busy()` says requests are being handled (for at most `maxWaitMs` per slice,
   * so constant traffic cannot starve it). Serving starts it for the default query, so the common
   * request is a cache hit once it is done.
   */
  async warmUp(
    query: RecommendQuery,
    options: { busy?: () => boolean; sliceMs?: number; maxWaitMs?: number; signal?: AbortSignal } = {},
  ): Promise<number> {
    const { busy = () => false, sliceMs = 5, maxWaitMs = 50, signal } = options;
    const users = this.training.userNames.slice(0, Math.floor(this.cacheCapacity / 2));
    let next = 0;
    while (next < users.length) {
      // A swapped-out service stops warming: its cache is no longer read.
      if (signal?.aborted) return next;
      await new Promise((resolve) => setImmediate(resolve));
      for (let waited = 0; busy() && waited < maxWaitMs; waited++) await new Promise((resolve) => setTimeout(resolve, 1));
      const sliceEnd = performance.now() + sliceMs;
      do this.forUserJson(users[next++], query);
      while (next < users.length && performance.now() < sliceEnd);
    }
    this.warmedUsers = users.length;
    return users.length;
  }

  /**
   * The API response body (UTF-8 JSON) for a user's recommendations, built once per distinct
   * request and state of the listener's feedback (a ban changes the key); a query with
   * notHeardWithinMs depends on the clock and is never cached.
   */
  forUserJson(user: string, query: RecommendQuery, context: ListenerContext = {}): Buffer {
    const build = () => {
      const { history, ranking } = this.scoringInput(user, query, context);
      return Buffer.from(this.userResponseJson(user, query, history, ranking));
    };
    const cacheKey = this.userJsonKey(user, query);
    if (cacheKey === null) return build();
    let json = this.jsonCache.get(cacheKey);
    if (json === undefined) {
      json = build();
      this.jsonCache.set(cacheKey, json);
    }
    return json;
  }

  /**
   * What scoring a known user's request takes, resolved here: the history (their training row, or
   * with loved items added) and the ranking options of their bans and recent plays. A scoring thread
   * is sent this and builds the same body (userResponseJson) on its copy of the bundle.
   */
  scoringInput(user: string, query: RecommendQuery, context: ListenerContext = {}): { history: UserHistory; ranking: FeedbackRanking } {
    const history = this.historyOf(user);
    return { history, ranking: this.listenerFeedback(user, query, context).rankingOptions() };
  }

  /** The API body (JSON text) of `user`'s recommendations from a resolved history and ranking. */
  userResponseJson(user: string, query: RecommendQuery, history: UserHistory, ranking: FeedbackRanking): string {
    return JSON.stringify({ user, ...query, items: this.recommendRanked(history, query, ranking).map((r) => this.view(r)) });
  }

  /** Keeps a body built elsewhere (a scoring thread) as forUserJson would have cached it. */
  rememberUserJson(user: string, query: RecommendQuery, json: Buffer): void {
    const cacheKey = this.userJsonKey(user, query);
    if (cacheKey !== null) this.jsonCache.set(cacheKey, json);
  }

  /** forUserJson's body when it is cached (no model work), else undefined: the server answers these at once. */
  cachedUserJson(user: string, query: RecommendQuery): Buffer | undefined {
    const cacheKey = this.userJsonKey(user, query);
    return cacheKey === null ? undefined : this.jsonCache.get(cacheKey);
  }

  /** The cache key of a user's request; null for one never cached. */
  private userJsonKey(user: string, query: RecommendQuery): string | null {
    if (query.notHeardWithinMs !== undefined) return null;
    const options = [query.model, query.k, query.perArtist, query.newArtistsOnly ? 1 : 0, query.libraryOnly ? 1 : 0, query.discovery ?? "", query.includePlayed ? 1 : 0];
    return `${options.join("\u0000")}\u0000${this.opinions.current().stamp(user)}\u0000${user}`;
  }

  /** The view of an addressed item (404 when unknown). */
  itemView(address: string): ItemView {
    return itemView(this.training.catalog, this.itemOf(address));
  }

  /**
   * Recommendations from each of `models` for a history that is not in the training data
   * (an upload or a POSTed list): fold-in through the same path a known user takes.
   */
  forRows(rows: readonly PlayedRow[], models: readonly string[], options: Omit<RecommendQuery, "model">): FoldInResult {
    const { history, unmatched } = historyFromRows(this.training.catalog, rows);
    const results = models.map((model) => ({ model, items: this.forHistory(history, { ...options, model }) }));
    return { matched: history.items.length, unmatched, results };
  }

  similar(text: string, model: string, k: number): SimilarView[] {
    const item = this.itemOf(text);
    const catalog = this.training.catalog;
    return this.model(model)
      .similarItems(item, k)
      .map((s) => ({ item: itemView(catalog, s.item), score: s.score }));
  }

  private view(recommendation: Recommendation): RecommendationView {
    const catalog = this.training.catalog;
    return {
      item: itemView(catalog, recommendation.item),
      score: recommendation.score,
      because: recommendation.because.map((reason) => ({ key: catalog.keys[reason.item], label: itemLabel(catalog, reason.item) })),
    };
  }
}

/**
 * The one interface every model implements, in the spirit of `implicit`'s
 * fit / recommend / similar_items: models are interchangeable in training, evaluation and serving.
 */
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";

export const MODEL_NAMES = ["popularity", "content", "svd", "als", "hybrid"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * A listening history as a sparse row over the model's item index. A user known to the model
 * and a new user (fold-in) go through the same path: a known user's history is their training row.
 */
export interface UserHistory {
  items: Int32Array;
  plays: Float32Array;
  /**
   * The training user whose row this history is, unchanged (the service's playedBy sets it): a
   * model with per-user learned state (ALS's user factors) may use that instead of a fold-in.
   */
  trainingUser?: number;
}

export interface RecommendOptions {
  k: number;
  /** Leave out items the history already has (default true). */
  excludePlayed?: boolean;
  /** At most this many items of one artist (default: no limit). */
  maxPerArtist?: number;
  /** Only items by artists the history never played (default false). */
  newArtistsOnly?: boolean;
  /**
   * Item masks over the model's item index, applied by every model (rankItems) together with the
   * options above. `allowedItems`: only items with a non-zero entry may be recommended (e.g. the
   * tracks of your local library: --library-only). Default: every item.
   */
  allowedItems?: Uint8Array;
  /** Items never to recommend (a listener's bans, tracks heard recently), ascending item indices. */
  excludedItems?: Int32Array;
  /** Artists never to recommend (`catalog.artistIndex` values, ascending): a listener's artist bans. */
  excludedArtists?: Int32Array;
  /**
   * Familiar ↔ new dial in [0, 1]: 0 only artists the history played, 1 only artists it never
   * played (as newArtistsOnly), a blend in between (the rule: src/models/ranking.ts). Default: none,
   * ranking by score alone.
   */
  discovery?: number;
}

/** One of the user's own items and how much it contributed to a recommendation. */
export interface Reason {
  item: number;
  weight: number;
}

export interface Recommendation {
  item: number;
  score: number;
  /** The user's items that contributed most, strongest first ("because you played X"). */
  because: Reason[];
}

export interface SimilarItem {
  item: number;
  score: number;
}

export interface Recommender {
  readonly name: string;
  fit(train: TrainingSet, progress?: Progress): void | Promise<void>;
  /** A score for every item of the catalogue (higher is better). */
  scores(history: UserHistory): Float32Array;
  recommend(history: UserHistory, options: RecommendOptions): Recommendation[];
  similarItems(item: number, k: number): SimilarItem[];
  /** Similarity of every catalogue item to `item` (higher is more similar; NaN: unknown to the model). */
  itemSimilarities(item: number): Float32Array;
  /**
   * Builds what scoring derives from the learned state (a cosine matrix, SIMD copies of factors)
   * ahead of the first request, awaiting `pause()` between slices of work so a server keeps
   * answering meanwhile. Optional: without it the same is built on first use.
   */
  prepare?(pause: () => Promise<void>): Promise<void>;
}

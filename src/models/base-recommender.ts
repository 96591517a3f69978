/**
 * Shared behaviour of all models: `recommend` is scores → shared ranking → per-item reasons, and
 * `similarItems` is the top of a full similarity vector. Models supply the four primitives.
 *
 * `recommend` runs on every uncached API request, so it scores into a buffer the model keeps
 * (`scoresInto`; one request at a time, as JavaScript runs) and asks for reasons only for the k
 * items it returns.
 *
 * Like a scikit-learn estimator, a model keeps its constructor parameters (`params`) unchanged;
 * `fit` returns what it learned, which is kept apart as `learned` (and persisted as such) together
 * with the training set the model's item and user indices refer to.
 */
import type { ModelName, Reason, RecommendOptions, Recommendation, Recommender, SimilarItem, UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";
import type { ModelState } from "./model-state.js";
import { rankItems } from "./ranking.js";
import { REASONS_PER_ITEM, strongestReasons } from "./reasons.js";
import { topK } from "../util/top-k.js";

export abstract class BaseRecommender<P extends object = object, L extends object = object> implements Recommender {
  abstract readonly name: string;
  /**
   * Whether fit learns from the play matrix (every model but content, which learns from the
   * catalogue's texts alone): one that does not can be reused on any split of the same catalogue.
   */
  readonly learnsFromPlays: boolean = true;
  private fitted: { learned: L; training: TrainingSet } | null = null;
  /** recommend()'s score vector, reused from one call to the next. */
  private scoreBuffer: Float32Array | null = null;

  constructor(readonly params: Readonly<P>) {}

  /** What fit learned (the hybrid's fusion weights, factor matrices, …). */
  get learned(): L {
    if (!this.fitted) throw new Error(`${this.name} model used before fit`);
    return this.fitted.learned;
  }

  protected get training(): TrainingSet {
    if (!this.fitted) throw new Error(`${this.name} model used before fit`);
    return this.fitted.training;
  }

  async fit(train: TrainingSet, progress?: Progress): Promise<void> {
    this.setLearned(await this.learn(train, progress), train);
  }

  /** This model with the learned state of `state` (saved by exportState), for the training set it was fitted on. */
  restore(state: ModelState, train: TrainingSet): this {
    this.setLearned(state.learned as L, train);
    return this;
  }

  /** Sets learned state fitted on (or restored for) `train`. */
  protected setLearned(learned: L, train: TrainingSet): void {
    this.fitted = { learned, training: train };
    this.forgetDerived();
  }

  /** Drops caches computed from the learned state (item norms, solvers, …); called when it changes. */
  protected forgetDerived(): void {}

  /** What scoring derives from the learned state, built ahead of the first request (Recommender.prepare); none by default. */
  async prepare(_pause: () => Promise<void>): Promise<void> {}

  protected abstract learn(train: TrainingSet, progress?: Progress): L | Promise<L>;

  /** A score for every catalogue item (higher is better), in a new array. */
  scores(history: UserHistory): Float32Array {
    return this.scoresInto(history, new Float32Array(this.training.plays.cols));
  }

  /** `scores(history)` written into `out` (one entry per catalogue item), which it returns. */
  abstract scoresInto(history: UserHistory, out: Float32Array): Float32Array;
  /** Similarity of every catalogue item to `item` (higher is more similar). */
  abstract itemSimilarities(item: number): Float32Array;

  /**
   * How much each of the history's items contributes to `item`'s score, in history order (the
   * reasons are the largest; the hybrid merges its parts' contributions).
   */
  abstract contributions(history: UserHistory, item: number): Float32Array;

  /**
   * `contributions(history, ·)` for one request's items: what does not depend on the item (the
   * history's reason weights, the parts' own per-request work) is done once. Models with such
   * work override it; contributions(history, item) is contributionsTo(history)(item).
   */
  contributionsTo(history: UserHistory): (item: number) => Float32Array {
    return (item) => this.contributions(history, item);
  }

  /** The history items that contributed most to `item`'s score, strongest first. */
  explain(history: UserHistory, item: number, n?: number): Reason[] {
    return strongestReasons(history.items, this.contributions(history, item), n);
  }

  /**
   * Scores of training user `user` from what fit learned about them. Models that learn per-user
   * state (ALS's user factors) override it; folding in the user's training row must give the same
   * scores (test/models/contract.test.ts checks it for every model).
   */
  trainingScores(user: number): Float32Array {
    const plays = this.training.plays;
    return this.scores({ items: plays.rowIndices(user), plays: plays.rowData(user) });
  }

  /**
   * The training user whose row `history` is — its `trainingUser`, checked to be that row of this
   * model's training set itself (the same memory, so it cannot have been changed) — or undefined.
   */
  protected trainingUserOf(history: UserHistory): number | undefined {
    const user = history.trainingUser;
    if (user === undefined) return undefined;
    const plays = this.training.plays;
    if (!(user >= 0 && user < plays.rows)) return undefined;
    const start = plays.indptr[user];
    const isRow =
      history.items.length === plays.indptr[user + 1] - start &&
      history.items.buffer === plays.indices.buffer &&
      history.items.byteOffset === plays.indices.byteOffset + start * Int32Array.BYTES_PER_ELEMENT &&
      history.plays.buffer === plays.data.buffer &&
      history.plays.byteOffset === plays.data.byteOffset + start * Float32Array.BYTES_PER_ELEMENT;
    return isRow ? user : undefined;
  }

  exportState(): ModelState {
    return { params: this.params, learned: this.learned };
  }

  recommend(history: UserHistory, options: RecommendOptions): Recommendation[] {
    const cols = this.training.plays.cols;
    if (this.scoreBuffer?.length !== cols) this.scoreBuffer = new Float32Array(cols);
    const scores = this.scoresInto(history, this.scoreBuffer);
    const items = rankItems(scores, history, this.training.catalog, options);
    const contributionsTo = history.items.length > 0 ? this.contributionsTo(history) : null;
    return Array.from(items, (item) => ({
      item,
      score: scores[item],
      because: contributionsTo ? strongestReasons(history.items, contributionsTo(item), REASONS_PER_ITEM) : [],
    }));
  }

  similarItems(item: number, k: number): SimilarItem[] {
    const sims = this.itemSimilarities(item);
    return Array.from(topK(sims, k, (other) => other !== item), (other) => ({ item: other, score: sims[other] }));
  }
}

/**
 * Shared behaviour of all models: `recommend` is scores → shared ranking → per-item reasons, and
 * `similarItems` is the top of a full similarity vector. Models supply the four primitives.
 */
import type { ModelName, Reason, RecommendOptions, Recommendation, Recommender, SimilarItem, UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";
import type { ModelState } from "./model-state.js";
import { rankItems } from "./ranking.js";
import { REASONS_PER_ITEM } from "./reasons.js";
import { topK } from "../util/top-k.js";

export abstract class BaseRecommender implements Recommender {
  abstract readonly name: ModelName;
  private trainingSet: TrainingSet | null = null;

  protected get training(): TrainingSet {
    if (!this.trainingSet) throw new Error(`${this.name} model used before fit`);
    return this.trainingSet;
  }

  get isFitted(): boolean {
    return this.trainingSet !== null;
  }

  async fit(train: TrainingSet, progress?: Progress): Promise<void> {
    await this.fitModel(train, progress);
    this.trainingSet = train;
  }

  /** Attaches a training set to a model restored from persisted state. */
  protected attach(train: TrainingSet): void {
    this.trainingSet = train;
  }

  protected abstract fitModel(train: TrainingSet, progress?: Progress): void | Promise<void>;
  abstract scores(history: UserHistory): Float32Array;
  /** Similarity of every catalogue item to `item` (higher is more similar). */
  abstract itemSimilarities(item: number): Float32Array;
  /** The history items that contributed most to `item`'s score, strongest first. */
  abstract explain(history: UserHistory, item: number, n?: number): Reason[];
  abstract exportState(): ModelState;

  recommend(history: UserHistory, options: RecommendOptions): Recommendation[] {
    const scores = this.scores(history);
    const items = rankItems(scores, history, this.training.catalog, options);
    return Array.from(items, (item) => ({
      item,
      score: scores[item],
      because: history.items.length > 0 ? this.explain(history, item, REASONS_PER_ITEM) : [],
    }));
  }

  similarItems(item: number, k: number): SimilarItem[] {
    const sims = this.itemSimilarities(item);
    return Array.from(topK(sims, k, (other) => other !== item), (other) => ({ item: other, score: sims[other] }));
  }
}

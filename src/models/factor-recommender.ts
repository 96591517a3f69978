/**
 * What the latent-factor models (SVD, ALS) share: a user vector x from the history (fold-in),
 * item scores Y·x, item–item cosine similarity in factor space for similar items, and reasons =
 * the user's items whose factors are closest to the recommended item's, weighted by the user's
 * (weighted) plays.
 */
import { gatherMatVec, matVec, rowNorms, type DenseMatrix } from "../linalg/dense.js";
import { FactorScorer } from "../linalg/factor-scorer.js";
import { Weighting, type WeightingState } from "../data/weighting.js";
import { BaseRecommender } from "./base-recommender.js";
import { historyWeights } from "./reasons.js";
import type { UserHistory } from "./recommender.js";

/** What every factor model learns: item factors Y (items × k) and the play weighting of its training rows. */
export interface FactorLearned {
  itemFactors: DenseMatrix<Float32Array>;
  weighting: WeightingState;
}

export abstract class FactorRecommender<P extends object, L extends FactorLearned> extends BaseRecommender<P, L> {
  private norms: Float32Array | null = null;
  private weightingCache: Weighting | null = null;
  /** contributions' dot products, reused. */
  private dots = new Float64Array(0);
  /** The SIMD Y·x kernel over the item factors (null where WebAssembly SIMD cannot run; undefined: not made yet). */
  private scorer: FactorScorer | null | undefined = undefined;

  /** The user's latent vector, computed from the history alone. */
  abstract userVector(history: UserHistory): Float64Array;

  /** Training user `user`'s latent vector: their training row folded in, unless the model learned one. */
  trainingUserVector(user: number): ArrayLike<number> {
    const plays = this.training.plays;
    return this.userVector({ items: plays.rowIndices(user), plays: plays.rowData(user) });
  }

  /**
   * Y·x, with x what the model learned of a training user when the history is their own row; by the
   * SIMD kernel where it runs (float32 sums: the same ranking up to ties, ≈ 4× the scalar loop).
   */
  scoresInto(history: UserHistory, out: Float32Array): Float32Array {
    const user = this.trainingUserOf(history);
    return this.times(user === undefined ? this.userVector(history) : this.trainingUserVector(user), out);
  }

  itemSimilarities(item: number): Float32Array {
    const y = this.learned.itemFactors;
    const norms = this.itemNorms;
    const sims = this.times(y.data.subarray(item * y.cols, (item + 1) * y.cols), new Float32Array(y.rows));
    const self = norms[item] || 1;
    for (let j = 0; j < sims.length; j++) sims[j] = norms[j] > 0 ? sims[j] / (norms[j] * self) : 0;
    return sims;
  }

  /** The user's weighted plays times the cosine between each of their items and `item`. */
  contributions(history: UserHistory, item: number): Float32Array {
    return this.contributionsTo(history)(item);
  }

  override contributionsTo(history: UserHistory): (item: number) => Float32Array {
    const y = this.learned.itemFactors;
    const norms = this.itemNorms;
    const weights = historyWeights(history);
    const scorer = this.factorScorer;
    if (this.dots.length < weights.length) this.dots = new Float64Array(weights.length);
    return (item) => {
      const out = new Float32Array(weights.length);
      // The SIMD dot products land in `out` and are scaled in place.
      const dots = scorer ? scorer.dots(history.items, item, out) : gatherMatVec(y, history.items, y.data, item * y.cols, this.dots);
      for (let i = 0; i < out.length; i++) {
        const denominator = norms[history.items[i]] * norms[item];
        out[i] = denominator > 0 ? (weights[i] * dots[i]) / denominator : 0;
      }
      return out;
    };
  }

  /** The history weighted as the model's training rows were. */
  protected weightedHistory(history: UserHistory): Float32Array {
    this.weightingCache ??= Weighting.fromState(this.learned.weighting);
    return this.weightingCache.weightRow(history.items, history.plays);
  }

  protected override forgetDerived(): void {
    this.norms = null;
    this.weightingCache = null;
    this.scorer = undefined;
  }

  /** The SIMD copy of the item factors and their norms, ahead of the first request. */
  override async prepare(): Promise<void> {
    void this.factorScorer;
    void this.itemNorms;
  }

  /** The SIMD kernels over a copy of the item factors, made on first use; null where they cannot run. */
  private get factorScorer(): FactorScorer | null {
    if (this.scorer === undefined) this.scorer = FactorScorer.for(this.learned.itemFactors);
    return this.scorer;
  }

  /** out = Y·x. */
  private times(x: ArrayLike<number>, out: Float32Array): Float32Array {
    const scorer = this.factorScorer;
    return scorer ? scorer.scoresInto(x, out) : matVec(this.learned.itemFactors, x, out);
  }

  private get itemNorms(): Float32Array {
    return (this.norms ??= rowNorms(this.learned.itemFactors));
  }
}

/**
 * What the latent-factor models (SVD, ALS) share: a user vector x from the history (fold-in),
 * item scores Y·x, item–item cosine similarity in factor space for similar items, and reasons =
 * the user's items whose factors are closest to the recommended item's, weighted by the user's
 * (weighted) plays.
 */
import { matVec, rowDot, rowNorms, type DenseMatrix } from "../linalg/dense.js";
import { Weighting, type WeightingState } from "../data/weighting.js";
import { BaseRecommender } from "./base-recommender.js";
import type { ModelArray } from "./model-state.js";
import { historyWeights, strongestReasons } from "./reasons.js";
import type { Reason, UserHistory } from "./recommender.js";

export abstract class FactorRecommender extends BaseRecommender {
  protected itemFactors: DenseMatrix<Float32Array> = { rows: 0, cols: 0, data: new Float32Array(0) };
  protected weighting: Weighting | null = null;
  private norms: Float32Array | null = null;

  /** The user's latent vector, computed from the history alone. */
  abstract userVector(history: UserHistory): Float64Array;

  get factors(): DenseMatrix<Float32Array> {
    return this.itemFactors;
  }

  scores(history: UserHistory): Float32Array {
    return matVec(this.itemFactors, this.userVector(history));
  }

  itemSimilarities(item: number): Float32Array {
    const y = this.itemFactors;
    const norms = this.itemNorms;
    const sims = matVec(y, y.data.subarray(item * y.cols, (item + 1) * y.cols));
    const self = norms[item] || 1;
    for (let j = 0; j < sims.length; j++) sims[j] = norms[j] > 0 ? sims[j] / (norms[j] * self) : 0;
    return sims;
  }

  explain(history: UserHistory, item: number, n?: number): Reason[] {
    const y = this.itemFactors;
    const norms = this.itemNorms;
    const weights = historyWeights(history);
    const contributions = Float32Array.from(history.items, (mine, i) => {
      const denominator = norms[mine] * norms[item];
      return denominator > 0 ? (weights[i] * rowDot(y.data, mine, y.data, item, y.cols)) / denominator : 0;
    });
    return strongestReasons(history.items, contributions, n);
  }

  /** The history weighted as the model's training rows were. */
  protected weightedHistory(history: UserHistory): Float32Array {
    if (!this.weighting) throw new Error(`${this.name} model used before fit`);
    return this.weighting.weightRow(history.items, history.plays);
  }

  protected setItemFactors(factors: DenseMatrix<Float32Array>): void {
    this.itemFactors = factors;
    this.norms = null;
  }

  private get itemNorms(): Float32Array {
    return (this.norms ??= rowNorms(this.itemFactors));
  }

  protected weightingArrays(): Record<string, ModelArray> {
    return { weightingIdf: this.weighting!.state.idf };
  }

  protected weightingParams(): Omit<WeightingState, "idf"> {
    const { idf: _idf, ...rest } = this.weighting!.state;
    return rest;
  }

  protected static restoreWeighting(params: Record<string, unknown>, arrays: Record<string, ModelArray>): Weighting {
    const w = params.weighting as Omit<WeightingState, "idf">;
    return Weighting.fromState({ ...w, idf: arrays.weightingIdf as Float32Array });
  }
}

/**
 * PureSVD for implicit feedback (Cremonesi, Koren & Turrin 2010) on a weighted matrix: plays are
 * damped by the weighting (bm25 by default) and every item column is scaled by
 * popularity^(−β) so the leading singular vectors are not just "the most popular items"
 * (EigenRec-style scaling, Nikolakopoulos et al. 2017). A truncated SVD A ≈ U Σ Vᵀ gives item
 * factors V; a user's scores are a·V·Vᵀ for their (weighted, scaled) row a — the same projection
 * for a training user and a new user, so fold-in is exact.
 */
import { Weighting, type WeightingScheme } from "../data/weighting.js";
import { CsrMatrix } from "../data/csr.js";
import { sparseRowTimesDense } from "../linalg/sparse-dense.js";
import { randomizedSvd } from "../linalg/randomized-svd.js";
import { FactorRecommender } from "./factor-recommender.js";
import { listenerCounts } from "./popularity.js";
import type { ModelState } from "./model-state.js";
import type { UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";

export interface SvdParams {
  factors: number;
  weighting: WeightingScheme;
  /** Column scaling exponent β: item columns are multiplied by popularity^(−β). */
  popularityExponent: number;
  powerIterations: number;
  seed: number;
}

export const DEFAULT_SVD_PARAMS: SvdParams = {
  factors: 64,
  weighting: "log1p",
  popularityExponent: 0.2,
  powerIterations: 7,
  seed: 0,
};

export class SvdRecommender extends FactorRecommender {
  readonly name = "svd" as const;
  private columnScale: Float32Array = new Float32Array(0);
  singularValues: Float32Array = new Float32Array(0);

  readonly params: SvdParams;

  constructor(params: Partial<SvdParams> = {}) {
    super();
    this.params = { ...DEFAULT_SVD_PARAMS, ...params };
  }

  static fromState(state: ModelState, train: TrainingSet): SvdRecommender {
    const model = new SvdRecommender(state.params.svd as SvdParams);
    const v = state.arrays.itemFactors as Float32Array;
    model.setItemFactors({ rows: train.plays.cols, cols: v.length / Math.max(train.plays.cols, 1), data: v });
    model.columnScale = state.arrays.columnScale as Float32Array;
    model.singularValues = state.arrays.singularValues as Float32Array;
    model.weighting = FactorRecommender.restoreWeighting(state.params, state.arrays);
    model.attach(train);
    return model;
  }

  protected fitModel(train: TrainingSet, progress?: Progress): void {
    const { matrix: a, weighting, columnScale } = svdInput(train.plays, this.params);
    this.weighting = weighting;
    this.columnScale = columnScale;
    progress?.start("svd: randomized SVD", this.params.powerIterations);
    const svd = randomizedSvd(a, this.params.factors, {
      powerIterations: this.params.powerIterations,
      seed: this.params.seed,
      onIteration: (done) => progress?.update(done),
    });
    progress?.done(`${svd.s.length} factors, σ₁ = ${svd.s[0]?.toFixed(2)}`);
    this.singularValues = svd.s;
    this.setItemFactors(svd.v);
  }

  exportState(): ModelState {
    return {
      params: { svd: this.params, weighting: this.weightingParams() },
      arrays: {
        itemFactors: this.itemFactors.data,
        columnScale: this.columnScale,
        singularValues: this.singularValues,
        ...this.weightingArrays(),
      },
    };
  }

  /** Projection of the user's scaled row on the item factors: a·V. */
  userVector(history: UserHistory): Float64Array {
    const weights = this.weightedHistory(history);
    for (let n = 0; n < weights.length; n++) weights[n] *= this.columnScale[history.items[n]];
    return sparseRowTimesDense(history.items, weights, this.itemFactors);
  }

}

/** The matrix PureSVD factorises: weighted plays with columns scaled by popularity^(−β). */
export function svdInput(plays: CsrMatrix, params: Pick<SvdParams, "weighting" | "popularityExponent">) {
  const weighting = Weighting.fit(plays, params.weighting);
  const columnScale = Float32Array.from(listenerCounts(plays), (n) => Math.pow(Math.max(n, 1), -params.popularityExponent));
  const matrix = weighting.weightMatrix(plays).mapValues((value, _row, col) => value * columnScale[col]);
  return { matrix, weighting, columnScale };
}

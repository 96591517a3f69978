/**
 * PureSVD for implicit feedback (Cremonesi, Koren & Turrin 2010) on a weighted matrix: plays are
 * damped by the weighting (log1p by default) and every item column is scaled by
 * popularity^(−β) so the leading singular vectors are not just "the most popular items"
 * (EigenRec-style scaling, Nikolakopoulos et al. 2017). A truncated SVD A ≈ U Σ Vᵀ gives item
 * factors V; a user's scores are a·V·Vᵀ for their (weighted, scaled) row a — the same projection
 * for a training user and a new user, so fold-in is exact.
 */
import { Weighting, type WeightingScheme } from "../data/weighting.js";
import { CsrMatrix } from "../data/csr.js";
import { sparseRowTimesDense } from "../linalg/sparse-dense.js";
import { randomizedSvd } from "../linalg/randomized-svd.js";
import { FactorRecommender, type FactorLearned } from "./factor-recommender.js";
import { listenerCounts } from "../data/listener-counts.js";
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

/** Learned by fit: the right singular vectors as item factors, σ, the column scaling and the weighting. */
export interface SvdLearned extends FactorLearned {
  singularValues: Float32Array;
  /** popularity^(−β) per item, applied to a history before projecting it. */
  columnScale: Float32Array;
}

export class SvdRecommender extends FactorRecommender<SvdParams, SvdLearned> {
  readonly name = "svd" as const;

  constructor(params: Partial<SvdParams> = {}) {
    super({ ...DEFAULT_SVD_PARAMS, ...params });
  }

  protected learn(train: TrainingSet, progress?: Progress): SvdLearned {
    const { matrix: a, weighting, columnScale } = svdInput(train.plays, this.params);
    progress?.start("svd: randomized SVD", this.params.powerIterations);
    const svd = randomizedSvd(a, this.params.factors, {
      powerIterations: this.params.powerIterations,
      seed: this.params.seed,
      onIteration: (done) => progress?.update(done),
    });
    progress?.done(`${svd.s.length} factors, σ₁ = ${svd.s[0]?.toFixed(2)}`);
    return { itemFactors: svd.v, singularValues: svd.s, columnScale, weighting: weighting.state };
  }

  /** Projection of the user's scaled row on the item factors: a·V. */
  userVector(history: UserHistory): Float64Array {
    const weights = this.weightedHistory(history);
    const { columnScale, itemFactors } = this.learned;
    for (let n = 0; n < weights.length; n++) weights[n] *= columnScale[history.items[n]];
    return sparseRowTimesDense(history.items, weights, itemFactors);
  }
}

/** The matrix PureSVD factorises: weighted plays with columns scaled by popularity^(−β). */
export function svdInput(plays: CsrMatrix, params: Pick<SvdParams, "weighting" | "popularityExponent">) {
  const weighting = Weighting.fit(plays, params.weighting);
  const columnScale = Float32Array.from(listenerCounts(plays), (n) => Math.pow(Math.max(n, 1), -params.popularityExponent));
  const matrix = weighting.weightMatrix(plays).mapValues((value, _row, col) => value * columnScale[col]);
  return { matrix, weighting, columnScale };
}

/**
 * Implicit ALS (Hu, Koren & Volinsky 2008): preference 1 for every played item, confidence
 * c = 1 + α·w with w the weighted plays, factors alternately re-solved for users and items by a
 * few warm-started conjugate-gradient steps per row (`implicit`'s approach); rows with only a few
 * non-zeros — most items of a track catalogue — are solved exactly by the Woodbury identity
 * instead (implicit-row-solver.ts), which is what makes a million items affordable.
 *
 * After the last sweep the user factors are solved once more to convergence against the final
 * item factors. Fold-in of any history solves that same least-squares problem, so folding in a
 * known user's training row reproduces their trained factors.
 */
import { Weighting, type WeightingScheme } from "../data/weighting.js";
import type { CsrMatrix } from "../data/csr.js";
import { denseMatrix32, type DenseMatrix } from "../linalg/dense.js";
import { ImplicitRowSolver } from "../linalg/implicit-row-solver.js";
import { Random } from "../util/random.js";
import { FactorRecommender } from "./factor-recommender.js";
import type { ModelState } from "./model-state.js";
import type { UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";

export interface AlsParams {
  factors: number;
  iterations: number;
  regularization: number;
  alpha: number;
  weighting: WeightingScheme;
  /** CG steps per row and sweep during training (warm-started, so few are needed). */
  cgSteps: number;
  seed: number;
}

export const DEFAULT_ALS_PARAMS: AlsParams = {
  factors: 64,
  iterations: 10,
  regularization: 1,
  alpha: 0.01,
  weighting: "bm25",
  cgSteps: 3,
  seed: 0,
};

export class AlsRecommender extends FactorRecommender {
  readonly name = "als" as const;
  readonly params: AlsParams;
  userFactors: DenseMatrix<Float32Array> = denseMatrix32(0, 0);
  /** Solver against the final item factors, shared by every fold-in. */
  private itemSolver: ImplicitRowSolver | null = null;

  constructor(params: Partial<AlsParams> = {}) {
    super();
    this.params = { ...DEFAULT_ALS_PARAMS, ...params };
  }

  static fromState(state: ModelState, train: TrainingSet): AlsRecommender {
    const model = new AlsRecommender(state.params.als as AlsParams);
    const k = model.params.factors;
    model.setItemFactors({ rows: train.plays.cols, cols: k, data: state.arrays.itemFactors as Float32Array });
    model.userFactors = { rows: train.plays.rows, cols: k, data: state.arrays.userFactors as Float32Array };
    model.weighting = FactorRecommender.restoreWeighting(state.params, state.arrays);
    model.itemSolver = new ImplicitRowSolver(model.itemFactors, model.params.regularization);
    model.attach(train);
    return model;
  }

  protected fitModel(train: TrainingSet, progress?: Progress): void {
    const { factors: k, iterations, cgSteps, seed } = this.params;
    this.weighting = Weighting.fit(train.plays, this.params.weighting);
    const userItems = this.confidence(this.weighting.weightMatrix(train.plays));
    const itemUsers = userItems.transpose();
    const random = new Random(seed);
    const users = denseMatrix32(userItems.rows, k);
    const items = denseMatrix32(userItems.cols, k);
    for (const m of [users, items]) for (let i = 0; i < m.data.length; i++) m.data[i] = random.normal() * 0.01;

    progress?.start("als: sweeps", iterations);
    for (let it = 0; it < iterations; it++) {
      this.solveRows(userItems, users, new ImplicitRowSolver(items, this.params.regularization), cgSteps);
      this.solveRows(itemUsers, items, new ImplicitRowSolver(users, this.params.regularization), cgSteps);
      progress?.update(it + 1);
    }
    this.itemSolver = new ImplicitRowSolver(items, this.params.regularization);
    this.solveRows(userItems, users, this.itemSolver, "converged");
    progress?.done(`${iterations} iterations, ${k} factors`);
    this.userFactors = users;
    this.setItemFactors(items);
  }

  exportState(): ModelState {
    return {
      params: { als: this.params, weighting: this.weightingParams() },
      arrays: { itemFactors: this.itemFactors.data, userFactors: this.userFactors.data, ...this.weightingArrays() },
    };
  }

  userVector(history: UserHistory): Float64Array {
    const confidence = this.confidenceRow(this.weightedHistory(history));
    const x = new Float64Array(this.params.factors);
    this.itemSolver!.solve(history.items, confidence, x);
    return x;
  }

  /** Re-solves every row of `target` against the solver's fixed factors (a few CG steps, or to convergence). */
  private solveRows(matrix: CsrMatrix, target: DenseMatrix<Float32Array>, solver: ImplicitRowSolver, steps: number | "converged"): void {
    const k = target.cols;
    const x = new Float64Array(k);
    for (let row = 0; row < matrix.rows; row++) {
      const start = matrix.indptr[row];
      const end = matrix.indptr[row + 1];
      const o = row * k;
      for (let f = 0; f < k; f++) x[f] = target.data[o + f];
      const indices = matrix.indices.subarray(start, end);
      const confidence = matrix.data.subarray(start, end);
      if (steps === "converged") solver.solve(indices, confidence, x);
      else solver.improve(indices, confidence, x, steps);
      for (let f = 0; f < k; f++) target.data[o + f] = x[f];
    }
  }

  private confidence(weighted: CsrMatrix): CsrMatrix {
    return weighted.mapValues((w) => 1 + this.params.alpha * w);
  }

  private confidenceRow(weights: Float32Array): Float32Array {
    return weights.map((w) => 1 + this.params.alpha * w);
  }
}

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
import { denseMatrix32, matVec, type DenseMatrix } from "../linalg/dense.js";
import { ImplicitRowSolver } from "../linalg/implicit-row-solver.js";
import { Random } from "../util/random.js";
import { FactorRecommender, type FactorLearned } from "./factor-recommender.js";
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

/** Learned by fit: item and user factors and the weighting of the training rows. */
export interface AlsLearned extends FactorLearned {
  /** Training users' factors (users × k), solved to convergence against the final item factors. */
  userFactors: DenseMatrix<Float32Array>;
}

export class AlsRecommender extends FactorRecommender<AlsParams, AlsLearned> {
  readonly name = "als" as const;
  /** Solver against the final item factors, shared by every fold-in (and the last training sweep). */
  private itemSolver: { factors: DenseMatrix<Float32Array>; solver: ImplicitRowSolver } | null = null;

  constructor(params: Partial<AlsParams> = {}) {
    super({ ...DEFAULT_ALS_PARAMS, ...params });
  }

  protected learn(train: TrainingSet, progress?: Progress): AlsLearned {
    const { factors: k, iterations, cgSteps, seed } = this.params;
    const weighting = Weighting.fit(train.plays, this.params.weighting);
    const userItems = this.confidence(weighting.weightMatrix(train.plays));
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
    this.solveRows(userItems, users, this.solverFor(items), "converged");
    progress?.done(`${iterations} iterations, ${k} factors`);
    return { itemFactors: items, userFactors: users, weighting: weighting.state };
  }

  private solverFor(items: DenseMatrix<Float32Array>): ImplicitRowSolver {
    if (this.itemSolver?.factors !== items) this.itemSolver = { factors: items, solver: new ImplicitRowSolver(items, this.params.regularization) };
    return this.itemSolver.solver;
  }

  /** Y·x_u with the user's trained factors. */
  override trainingScores(user: number): Float32Array {
    const { itemFactors, userFactors } = this.learned;
    return matVec(itemFactors, userFactors.data.subarray(user * userFactors.cols, (user + 1) * userFactors.cols));
  }

  /**
   * The user's factors: a training user's own (their row, unchanged, folds in to the same
   * least-squares solution, so a request for them skips the solve), else the fold-in of the history.
   */
  userVector(history: UserHistory): Float64Array {
    const user = this.trainingUserOf(history);
    if (user !== undefined) {
      const { userFactors } = this.learned;
      return Float64Array.from(userFactors.data.subarray(user * userFactors.cols, (user + 1) * userFactors.cols));
    }
    const confidence = this.confidenceRow(this.weightedHistory(history));
    const x = new Float64Array(this.params.factors);
    this.solverFor(this.learned.itemFactors).solve(history.items, confidence, x);
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

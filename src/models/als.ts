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
 *
 * Training runs on worker threads (linalg/als-training.ts): `threads` in the options, else
 * $MUSICREC_THREADS, else every core (one for tiny data). The factors do not depend on the number
 * of threads.
 */
import { Weighting, type WeightingScheme } from "../data/weighting.js";
import type { CsrMatrix } from "../data/csr.js";
import { matVec, type DenseMatrix } from "../linalg/dense.js";
import { ImplicitRowSolver } from "../linalg/implicit-row-solver.js";
import { threadsFor, trainAls } from "../linalg/als-training.js";
import { defaultThreads } from "../util/worker-pool.js";
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

/** How to fit, not what: results are the same whatever these are. */
export interface AlsRuntimeOptions {
  /** Worker threads for training (default: $MUSICREC_THREADS, else every core; one for tiny data). */
  threads?: number;
}

export class AlsRecommender extends FactorRecommender<AlsParams, AlsLearned> {
  readonly name = "als" as const;
  /** Solver against the final item factors, shared by every fold-in (and the last training sweep). */
  private itemSolver: { factors: DenseMatrix<Float32Array>; solver: ImplicitRowSolver } | null = null;

  constructor(
    params: Partial<AlsParams> = {},
    private readonly runtime: AlsRuntimeOptions = {},
  ) {
    super({ ...DEFAULT_ALS_PARAMS, ...params });
  }

  protected async learn(train: TrainingSet, progress?: Progress): Promise<AlsLearned> {
    const { factors: k, iterations, cgSteps, seed, regularization } = this.params;
    const { matrix: userItems, weighting } = alsConfidence(train.plays, this.params);
    const itemUsers = userItems.transpose();
    const random = new Random(seed);
    const initial = (rows: number) => {
      const factors = new Float32Array(rows * k);
      for (let i = 0; i < factors.length; i++) factors[i] = random.normal() * 0.01;
      return factors;
    };
    const users = initial(userItems.rows);
    const items = initial(userItems.cols);
    const threads = this.runtime.threads ?? threadsFor(userItems.nnz, k, defaultThreads());

    progress?.start(`als: sweeps (${threads} thread${threads === 1 ? "" : "s"})`, iterations);
    const trained = await trainAls({
      userItems,
      itemUsers,
      users,
      items,
      k,
      regularization,
      iterations,
      cgSteps,
      threads,
      onIteration: (done) => progress?.update(done),
    });
    progress?.done(`${iterations} iterations, ${k} factors`);
    const itemFactors = { rows: userItems.cols, cols: k, data: trained.items };
    this.itemSolver = { factors: itemFactors, solver: new ImplicitRowSolver(itemFactors, regularization, undefined, trained.itemGram) };
    return { itemFactors, userFactors: { rows: userItems.rows, cols: k, data: trained.users }, weighting: weighting.state };
  }

  /** The fold-in solver against the final item factors (kept from training, else built once). */
  private solverFor(items: DenseMatrix<Float32Array>): ImplicitRowSolver {
    if (this.itemSolver?.factors !== items) this.itemSolver = { factors: items, solver: new ImplicitRowSolver(items, this.params.regularization) };
    return this.itemSolver.solver;
  }

  /**
   * The user's trained factors: their training row, unchanged, folds in to the same least-squares
   * solution, so scoring a known listener's own row (scoresInto) skips the solve.
   */
  override trainingUserVector(user: number): Float32Array {
    const { userFactors } = this.learned;
    return userFactors.data.subarray(user * userFactors.cols, (user + 1) * userFactors.cols);
  }

  /** Y·x_u with the user's trained factors. */
  override trainingScores(user: number): Float32Array {
    return matVec(this.learned.itemFactors, this.trainingUserVector(user));
  }

  userVector(history: UserHistory): Float64Array {
    const confidence = this.confidenceRow(this.weightedHistory(history));
    const x = new Float64Array(this.params.factors);
    this.solverFor(this.learned.itemFactors).solve(history.items, confidence, x);
    return x;
  }

  private confidenceRow(weights: Float32Array): Float32Array {
    return weights.map((w) => 1 + this.params.alpha * w);
  }
}

/** The confidences ALS trains on, c = 1 + α·w for the weighted plays w (users × items), and the weighting. */
export function alsConfidence(plays: CsrMatrix, params: Pick<AlsParams, "weighting" | "alpha">): { matrix: CsrMatrix; weighting: Weighting } {
  const weighting = Weighting.fit(plays, params.weighting);
  return { matrix: weighting.weightMatrix(plays).mapValues((w) => 1 + params.alpha * w), weighting };
}

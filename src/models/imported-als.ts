/**
 * An implicit-ALS model trained elsewhere — Spark MLlib's ALS (contrib/spark/train_als.py) — whose
 * learned state is the imported item factors. Scores, similar items and reasons are those of every
 * factor model (factor-recommender.ts). A history, a training user's or a new listener's, is
 * folded in by solving the implicit-ALS normal equations against the imported item factors Y with
 * the row solver ALS trains with (linalg/implicit-row-solver.ts):
 *
 *   (YᵀY + λᵤ I + Σᵢ α wᵢ yᵢyᵢᵀ) x = Σᵢ (1 + α wᵢ) yᵢ
 *
 * Spark's formulation (ALS.scala, computeFactors with implicitPrefs): w = the rating itself (the
 * exported plays, weighting "none"), λᵤ = λ · nᵤ with nᵤ the row's number of positive ratings
 * (ALS-WR scaling, regularizationScaling "per-rating"), and YᵀY over ALL of Spark's item factors.
 * Spark ends every sweep by solving exactly this for each user, so folding in a training user's
 * row reproduces Spark's own user factor. Spark does not save λ and α: they are import flags.
 * A "constant" λ and a musicrec weighting (bm25, log1p, binary) describe factors trained the way
 * musicrec's own `als` (and `implicit`) train, which then fold in exactly like `als`.
 *
 * Learned state (`import-model` sets it; `fit` refuses): `itemFactors`, one row per catalogue item
 * (zeros for items the model has no factors for: they score NaN — never recommended — and are left
 * out of a history), `outsideFactors` for the model's items that are not in the catalogue (they
 * only count in YᵀY), each catalogue item's id in the source model, and the play weighting.
 * Cost: YᵀY once, O(n·k²); per fold-in a k×k copy and the solver's work (a Cholesky of k×k when
 * λᵤ is new, then Woodbury O(m²k + m³) for m ≤ 24 history items or preconditioned CG).
 */
import { denseMatrix32, gram, type DenseMatrix } from "../linalg/dense.js";
import { ImplicitRowSolver } from "../linalg/implicit-row-solver.js";
import { Weighting, type WeightingScheme } from "../data/weighting.js";
import type { TrainingSet } from "../data/training-set.js";
import { UserError } from "../util/errors.js";
import { FactorRecommender, type FactorLearned } from "./factor-recommender.js";
import type { UserHistory } from "./recommender.js";

export interface ImportedAlsParams {
  regularization: number;
  alpha: number;
  /** How a history's plays become w in the confidence 1 + α·w; "none": the plays themselves. */
  weighting: WeightingScheme;
  /** "per-rating": λ·(items in the row), as Spark; "constant": λ, as musicrec's als and implicit. */
  regularizationScaling: "per-rating" | "constant";
  /** Where the factors came from, shown wherever models are listed. */
  source: ImportSource;
}

export interface ImportSource {
  format: "spark-als";
  modelDir: string;
  sparkVersion: string;
  uid: string;
  itemsDir: string;
  importedAt: string;
}

export const DEFAULT_IMPORTED_ALS_PARAMS: Pick<ImportedAlsParams, "regularization" | "alpha" | "weighting" | "regularizationScaling"> = {
  regularization: 0.1,
  alpha: 3,
  weighting: "none",
  regularizationScaling: "per-rating",
};

export interface ImportedAlsLearned extends FactorLearned {
  /** Factors of the source model's items that are not in the catalogue (rows × k). */
  outsideFactors: DenseMatrix<Float32Array>;
  /** Per catalogue item: its id in the source model, or −1 when it has no factors. */
  sourceIds: Int32Array;
}

/** Solvers kept for distinct λᵤ (histories of the same length share one). */
const SOLVER_CACHE = 16;

export class ImportedAlsRecommender extends FactorRecommender<ImportedAlsParams, ImportedAlsLearned> {
  private derived: { all: DenseMatrix<Float32Array>; yty: Float64Array } | null = null;
  private readonly solvers = new Map<number, ImplicitRowSolver>();

  constructor(
    readonly name: string,
    params: ImportedAlsParams,
  ) {
    super(params);
    for (const key of ["regularization", "alpha"] as const) {
      if (!(params[key] > 0) || !Number.isFinite(params[key])) throw new UserError(`--${key} must be a positive number, got ${params[key]}`);
    }
  }

  /**
   * The model over `train`'s catalogue from imported factors: `factors` holds the catalogue's rows
   * (zeros where `sourceIds` is −1) followed by the outside rows.
   */
  static fromFactors(name: string, params: ImportedAlsParams, train: TrainingSet, imported: { factors: Float32Array; rank: number; sourceIds: Int32Array }): ImportedAlsRecommender {
    const { factors, rank, sourceIds } = imported;
    const catalogue = train.plays.cols;
    if (sourceIds.length !== catalogue || factors.length % rank !== 0 || factors.length / rank < catalogue) {
      throw new Error(`imported factors do not fit the ${catalogue}-item catalogue`);
    }
    const model = new ImportedAlsRecommender(name, params);
    model.setLearned(
      {
        itemFactors: { rows: catalogue, cols: rank, data: factors.subarray(0, catalogue * rank) },
        outsideFactors: { rows: factors.length / rank - catalogue, cols: rank, data: factors.subarray(catalogue * rank) },
        sourceIds,
        weighting: Weighting.fit(train.plays, params.weighting).state,
      },
      train,
    );
    const all = { rows: factors.length / rank, cols: rank, data: factors };
    model.derived = { all, yty: gram(all) };
    return model;
  }

  protected learn(): ImportedAlsLearned {
    throw new UserError(`${this.name} was imported from ${this.params.source.modelDir} and cannot be fitted here; train it in Spark and import it again`);
  }

  /**
   * The same imported factors over another catalogue, matched by item key (a retrained bundle):
   * items new to the catalogue have no factors, factors of items that left it move to the outside
   * rows, so YᵀY — and every fold-in — stays the same.
   */
  forTraining(train: TrainingSet): ImportedAlsRecommender {
    const { itemFactors, outsideFactors, sourceIds } = this.learned;
    const k = itemFactors.cols;
    const newIndex = new Map<string, number>();
    train.catalog.keys.forEach((key, item) => newIndex.set(key, item));
    const catalogue = train.plays.cols;
    const newIds = new Int32Array(catalogue).fill(-1);
    const leaving: number[] = [];
    const factors = new Float32Array(catalogue * k);
    this.training.catalog.keys.forEach((key, item) => {
      if (sourceIds[item] < 0) return;
      const target = newIndex.get(key);
      if (target === undefined) leaving.push(item);
      else {
        newIds[target] = sourceIds[item];
        factors.set(itemFactors.data.subarray(item * k, (item + 1) * k), target * k);
      }
    });
    const all = new Float32Array(factors.length + (leaving.length + outsideFactors.rows) * k);
    all.set(factors);
    leaving.forEach((item, n) => all.set(itemFactors.data.subarray(item * k, (item + 1) * k), (catalogue + n) * k));
    all.set(outsideFactors.data, (catalogue + leaving.length) * k);
    return ImportedAlsRecommender.fromFactors(this.name, this.params, train, { factors: all, rank: k, sourceIds: newIds });
  }

  /** Catalogue items the imported model has factors for. */
  get coveredItems(): number {
    return this.learned.sourceIds.reduce((n, id) => n + (id >= 0 ? 1 : 0), 0);
  }

  override scoresInto(history: UserHistory, out: Float32Array): Float32Array {
    return this.withoutUncovered(super.scoresInto(history, out));
  }

  override itemSimilarities(item: number): Float32Array {
    if (this.learned.sourceIds[item] < 0) return new Float32Array(this.learned.sourceIds.length).fill(Number.NaN);
    return this.withoutUncovered(super.itemSimilarities(item));
  }

  userVector(history: UserHistory): Float64Array {
    const { sourceIds, itemFactors } = this.learned;
    const covered = history.items.reduce((n, item) => n + (sourceIds[item] >= 0 ? 1 : 0), 0);
    const mine = { items: new Int32Array(covered), plays: new Float32Array(covered) };
    for (let n = 0, o = 0; n < history.items.length; n++) {
      if (sourceIds[history.items[n]] < 0) continue;
      mine.items[o] = history.items[n];
      mine.plays[o++] = history.plays[n];
    }
    const x = new Float64Array(itemFactors.cols);
    if (covered === 0) return x;
    const weights = this.weightedHistory(mine);
    const confidence = Float32Array.from(weights, (w) => 1 + this.params.alpha * Math.abs(w));
    const positive = weights.reduce((n, w) => n + (w > 0 ? 1 : 0), 0);
    const lambda = this.params.regularizationScaling === "per-rating" ? this.params.regularization * positive : this.params.regularization;
    this.solverFor(lambda).solve(mine.items, confidence, x);
    return x;
  }

  protected override forgetDerived(): void {
    super.forgetDerived();
    this.derived = null;
    this.solvers.clear();
  }

  /** Y = catalogue rows then outside rows, and YᵀY over all of them (once). */
  private get allFactors(): { all: DenseMatrix<Float32Array>; yty: Float64Array } {
    if (!this.derived) {
      const { itemFactors, outsideFactors } = this.learned;
      const all = denseMatrix32(itemFactors.rows + outsideFactors.rows, itemFactors.cols);
      all.data.set(itemFactors.data);
      all.data.set(outsideFactors.data, itemFactors.data.length);
      this.derived = { all, yty: gram(all) };
    }
    return this.derived;
  }

  private solverFor(lambda: number): ImplicitRowSolver {
    let solver = this.solvers.get(lambda);
    if (!solver) {
      if (this.solvers.size >= SOLVER_CACHE) this.solvers.delete(this.solvers.keys().next().value!);
      const { all, yty } = this.allFactors;
      solver = new ImplicitRowSolver(all, lambda, undefined, yty);
      this.solvers.set(lambda, solver);
    }
    return solver;
  }

  private withoutUncovered(values: Float32Array): Float32Array {
    const { sourceIds } = this.learned;
    for (let item = 0; item < sourceIds.length; item++) if (sourceIds[item] < 0) values[item] = Number.NaN;
    return values;
  }
}

/**
 * Content-based model: TF-IDF vectors of each item's text (scikit-learn compatible), cosine
 * similarity, and a user's score for an item = the (play-weighted) mean cosine similarity between
 * it and the user's items. Computed as X · (Xᵀ u), two sparse passes over the TF-IDF matrix X,
 * so no item × item matrix ever exists (17,632² floats would be 1.2 GB; at 10⁶ tracks, 4 TB).
 */
import { CsrMatrix } from "../data/csr.js";
import { BaseRecommender } from "./base-recommender.js";
import { catalogTexts } from "./content/item-text.js";
import { tfidf } from "./content/tfidf.js";
import { historyWeights, strongestReasons } from "./reasons.js";
import type { Reason, UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";

export interface ContentParams {
  /** Weight each of the user's items by ln(1 + plays) instead of equally. */
  playWeighted: boolean;
}

export const DEFAULT_CONTENT_PARAMS: ContentParams = { playWeighted: true };

/** Learned by fit: the item × term TF-IDF matrix (rows unit length). */
export interface ContentLearned {
  tfidf: Pick<CsrMatrix, "rows" | "cols" | "indptr" | "indices" | "data">;
}

export class ContentRecommender extends BaseRecommender<ContentParams, ContentLearned> {
  readonly name = "content" as const;
  override readonly learnsFromPlays = false;
  private matrixCache: CsrMatrix | null = null;

  constructor(params: Partial<ContentParams> = {}) {
    super({ ...DEFAULT_CONTENT_PARAMS, ...params });
  }

  protected learn(train: TrainingSet, progress?: Progress): ContentLearned {
    progress?.start("content: TF-IDF", train.catalog.keys.length);
    const matrix = tfidf(catalogTexts(train.catalog), (done) => progress?.update(done)).matrix;
    progress?.done(`${matrix.rows.toLocaleString("en")} items × ${matrix.cols.toLocaleString("en")} terms`);
    return { tfidf: matrix };
  }

  protected override forgetDerived(): void {
    this.matrixCache = null;
  }

  /** Item × term TF-IDF matrix (rows unit length). */
  get matrix(): CsrMatrix {
    const x = this.learned.tfidf;
    return (this.matrixCache ??= x instanceof CsrMatrix ? x : new CsrMatrix(x.rows, x.cols, x.indptr, x.indices, x.data));
  }

  scores(history: UserHistory): Float32Array {
    const x = this.matrix;
    const weights = this.weights(history);
    let total = 0;
    for (const w of weights) total += w;
    const profile = new Float64Array(x.cols);
    for (let n = 0; n < history.items.length; n++) {
      const w = weights[n] / (total || 1);
      const item = history.items[n];
      for (let p = x.indptr[item]; p < x.indptr[item + 1]; p++) profile[x.indices[p]] += w * x.data[p];
    }
    return this.timesDense(profile);
  }

  itemSimilarities(item: number): Float32Array {
    const x = this.matrix;
    const query = new Float64Array(x.cols);
    for (let p = x.indptr[item]; p < x.indptr[item + 1]; p++) query[x.indices[p]] = x.data[p];
    return this.timesDense(query);
  }

  explain(history: UserHistory, item: number, n?: number): Reason[] {
    const weights = this.weights(history);
    const contributions = Float32Array.from(history.items, (mine, i) => weights[i] * this.cosine(mine, item));
    return strongestReasons(history.items, contributions, n);
  }

  private weights(history: UserHistory): Float32Array {
    return this.params.playWeighted ? historyWeights(history) : new Float32Array(history.items.length).fill(1);
  }

  /** X · v for a dense term vector v. */
  private timesDense(v: Float64Array): Float32Array {
    const { indptr, indices, data, rows } = this.matrix;
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let p = indptr[r]; p < indptr[r + 1]; p++) sum += data[p] * v[indices[p]];
      out[r] = sum;
    }
    return out;
  }

  /** Dot product of two unit rows = their cosine similarity (merge of sorted term lists). */
  private cosine(a: number, b: number): number {
    const { indptr, indices, data } = this.matrix;
    let p = indptr[a];
    let q = indptr[b];
    let sum = 0;
    while (p < indptr[a + 1] && q < indptr[b + 1]) {
      if (indices[p] === indices[q]) sum += data[p++] * data[q++];
      else if (indices[p] < indices[q]) p++;
      else q++;
    }
    return sum;
  }
}

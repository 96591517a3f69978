/**
 * Content-based model: TF-IDF vectors of each item's text (scikit-learn compatible), cosine
 * similarity, and a user's score for an item = the (play-weighted) mean cosine similarity between
 * it and the user's items. Computed as X · (Xᵀ u), two sparse passes over the TF-IDF matrix X,
 * so no item × item matrix is needed (17,632² floats would be 1.2 GB; at 10⁶ tracks, 4 TB). A small
 * catalogue (at most `maxDenseItems` items, 64 MB at the default 4,096) keeps the cosine matrix
 * X·Xᵀ instead (src/linalg/dense-gram.ts): a request is then one SIMD pass over the history's rows.
 */
import { CsrMatrix } from "../data/csr.js";
import { DenseGram } from "../linalg/dense-gram.js";
import { BaseRecommender } from "./base-recommender.js";
import { catalogTexts } from "./content/item-text.js";
import { tfidf } from "./content/tfidf.js";
import { historyWeights } from "./reasons.js";
import type { UserHistory } from "./recommender.js";
import type { TrainingSet } from "../data/training-set.js";
import type { Progress } from "../util/progress.js";

export interface ContentParams {
  /** Weight each of the user's items by ln(1 + plays) instead of equally. */
  playWeighted: boolean;
  /**
   * Keep the item × item cosine matrix (4·n² bytes) and score from it when the catalogue has at
   * most this many items; 0: always the sparse passes. The two agree to float32 rounding.
   */
  maxDenseItems: number;
}

export const DEFAULT_CONTENT_PARAMS: ContentParams = { playWeighted: true, maxDenseItems: 4096 };

/** Learned by fit: the item × term TF-IDF matrix (rows unit length). */
export interface ContentLearned {
  tfidf: Pick<CsrMatrix, "rows" | "cols" | "indptr" | "indices" | "data">;
}

export class ContentRecommender extends BaseRecommender<ContentParams, ContentLearned> {
  readonly name = "content" as const;
  override readonly learnsFromPlays = false;
  private matrixCache: CsrMatrix | null = null;
  /** Xᵀ (term × item), for scoring by the terms a history has. */
  private columnsCache: TermColumns | null = null;
  /** Per-request sums, reused (the profile and its term marks are cleared after each use). */
  private scratch: ContentScratch | null = null;
  /** X·Xᵀ when the catalogue is small enough (undefined: not built yet; null: not kept). */
  private gramCache: DenseGram | null | undefined = undefined;

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
    this.columnsCache = null;
    this.scratch = null;
    this.gramCache = undefined;
  }

  /** Builds the cosine matrix ahead of the first request, in slices (see Recommender.prepare). */
  override async prepare(pause: () => Promise<void>): Promise<void> {
    if (this.gramCache === undefined && this.keepsGram()) this.gramCache = await DenseGram.build(this.matrix, pause);
  }

  private keepsGram(): boolean {
    return this.matrix.rows <= this.params.maxDenseItems;
  }

  /** The cosine matrix X·Xᵀ when kept (built on first use otherwise), else null. */
  private get gram(): DenseGram | null {
    if (this.gramCache === undefined) this.gramCache = this.keepsGram() ? DenseGram.of(this.matrix) : null;
    return this.gramCache;
  }

  /** Item × term TF-IDF matrix (rows unit length). */
  get matrix(): CsrMatrix {
    const x = this.learned.tfidf;
    return (this.matrixCache ??= x instanceof CsrMatrix ? x : new CsrMatrix(x.rows, x.cols, x.indptr, x.indices, x.data));
  }

  /**
   * X · p for the user's profile p = Xᵀu, term by term: only the columns of the terms the
   * history has are read (through Xᵀ), into reused float64 sums. Terms are taken in ascending
   * order, so each item still sums its terms as a row-by-row pass over X would (bit for bit).
   */
  scoresInto(history: UserHistory, out: Float32Array): Float32Array {
    const weights = this.weights(history);
    let total = 0;
    for (let n = 0; n < weights.length; n++) total += weights[n];
    const gram = this.gram;
    if (gram) {
      for (let n = 0; n < weights.length; n++) weights[n] /= total || 1;
      return gram.combineRows(history.items, weights, out);
    }
    const scratch = (this.scratch ??= contentScratch(this.matrix));
    for (let n = 0; n < history.items.length; n++) this.addToProfile(scratch, history.items[n], weights[n] / (total || 1));
    return this.timesProfile(scratch, out);
  }

  /** Cosine of every item with `item`: X · x_item, the same column pass with the item's own row as the profile. */
  itemSimilarities(item: number): Float32Array {
    const gram = this.gram;
    if (gram) return gram.row(item).slice();
    const scratch = (this.scratch ??= contentScratch(this.matrix));
    this.addToProfile(scratch, item, 1);
    return this.timesProfile(scratch, new Float32Array(this.matrix.rows));
  }

  /** profile += w · (row `item` of X), marking the terms it touches. */
  private addToProfile(scratch: ContentScratch, item: number, w: number): void {
    const { indptr, indices, data } = this.matrix;
    const { profile, used, terms } = scratch;
    let count = scratch.count;
    for (let p = indptr[item], end = indptr[item + 1]; p < end; p++) {
      const term = indices[p];
      if (used[term] === 0) {
        used[term] = 1;
        terms[count++] = term;
      }
      profile[term] += w * data[p];
    }
    scratch.count = count;
  }

  /** out = X · profile over the profile's terms in ascending order; leaves the scratch clean for the next use. */
  private timesProfile(scratch: ContentScratch, out: Float32Array): Float32Array {
    const { profile, used, terms, sums } = scratch;
    let count = scratch.count;
    // Ascending terms: a scan of the marks when it is cheaper than sorting the touched ones.
    if (count * Math.log2(count + 1) * 8 >= used.length) {
      count = 0;
      for (let term = 0; term < used.length; term++) if (used[term] !== 0) terms[count++] = term;
    } else {
      terms.subarray(0, count).sort();
    }
    const { indptr: colStart, indices: colItems, data: colData } = (this.columnsCache ??= termColumns(this.matrix));
    sums.fill(0);
    for (let t = 0; t < count; t++) {
      const term = terms[t];
      const v = profile[term];
      for (let p = colStart[term], end = colStart[term + 1]; p < end; p++) sums[colItems[p]] += colData[p] * v;
      profile[term] = 0;
      used[term] = 0;
    }
    scratch.count = 0;
    for (let r = 0; r < sums.length; r++) out[r] = sums[r];
    return out;
  }

  /**
   * The user's (play-weighted) items times their cosine with `item`: `item`'s row is spread into a
   * dense term vector once, then each history row is one sparse dot product with it.
   */
  contributions(history: UserHistory, item: number): Float32Array {
    const gram = this.gram;
    if (gram) return this.gramContributions(gram, history, this.weights(history), item);
    const { indptr, indices, data } = this.matrix;
    const dense = (this.scratch ??= contentScratch(this.matrix)).profile;
    for (let p = indptr[item], end = indptr[item + 1]; p < end; p++) dense[indices[p]] = data[p];
    const out = this.weights(history);
    for (let i = 0; i < out.length; i++) {
      const mine = history.items[i];
      let cosine = 0;
      for (let p = indptr[mine], end = indptr[mine + 1]; p < end; p++) cosine += data[p] * dense[indices[p]];
      out[i] *= cosine;
    }
    for (let p = indptr[item], end = indptr[item + 1]; p < end; p++) dense[indices[p]] = 0;
    return out;
  }

  /**
   * The same for one request's items, by the history's entries grouped by term (built once): an
   * item's cosines then cost the entries of the terms it shares with the history, not the whole
   * history's rows. Each history item still sums its shared terms in ascending order, so the
   * result equals contributions() bit for bit. The grouping lives in the model's scratch until the
   * next call; a function kept past that falls back to contributions().
   */
  override contributionsTo(history: UserHistory): (item: number) => Float32Array {
    const gram = this.gram;
    if (gram) {
      const weights = this.weights(history);
      return (item) => this.gramContributions(gram, history, weights, item);
    }
    const { indptr, indices, data } = this.matrix;
    const scratch = (this.scratch ??= contentScratch(this.matrix));
    const groups = (scratch.groups ??= termGroups(this.matrix.cols));
    if (++groups.generation > 0x3fffffff) {
      groups.stamp.fill(0);
      groups.generation = 1;
    }
    const { generation, stamp, start, end, terms } = groups;
    const items = history.items;
    // Group sizes, counted in `end`, and the terms in order of first use.
    let distinct = 0;
    let entries = 0;
    for (let h = 0; h < items.length; h++) {
      for (let p = indptr[items[h]], last = indptr[items[h] + 1]; p < last; p++) {
        const term = indices[p];
        if (stamp[term] !== generation) {
          stamp[term] = generation;
          end[term] = 0;
          terms[distinct++] = term;
        }
        end[term]++;
        entries++;
      }
    }
    if (groups.position.length < entries) {
      groups.position = new Int32Array(entries);
      groups.value = new Float32Array(entries);
    }
    const { position, value } = groups;
    let offset = 0;
    for (let j = 0; j < distinct; j++) {
      const term = terms[j];
      start[term] = offset;
      offset += end[term];
      end[term] = start[term];
    }
    // The entries in history order: `end` advances to each group's end.
    for (let h = 0; h < items.length; h++) {
      for (let p = indptr[items[h]], last = indptr[items[h] + 1]; p < last; p++) {
        const q = end[indices[p]]++;
        position[q] = h;
        value[q] = data[p];
      }
    }
    const weights = this.weights(history);
    return (item) => {
      if (groups.generation !== generation) return this.contributions(history, item);
      const cosines = new Float64Array(items.length);
      for (let p = indptr[item], last = indptr[item + 1]; p < last; p++) {
        const term = indices[p];
        if (stamp[term] !== generation) continue;
        const x = data[p];
        for (let q = start[term], e = end[term]; q < e; q++) cosines[position[q]] += value[q] * x;
      }
      const out = weights.slice();
      for (let i = 0; i < out.length; i++) out[i] *= cosines[i];
      return out;
    };
  }

  /** The history's weights times each history item's cosine with `item`, read from G (symmetric: `item`'s row). */
  private gramContributions(gram: DenseGram, history: UserHistory, weights: Float32Array, item: number): Float32Array {
    const cosines = gram.row(item);
    const out = new Float32Array(weights.length);
    for (let i = 0; i < out.length; i++) out[i] = weights[i] * cosines[history.items[i]];
    return out;
  }

  private weights(history: UserHistory): Float32Array {
    return this.params.playWeighted ? historyWeights(history) : new Float32Array(history.items.length).fill(1);
  }
}

/**
 * Xᵀ (term × item) for scoring by the terms a history has, its values widened to float64 once at
 * load: the same products, without a float32 → float64 conversion per entry on every request
 * (≈ 20% of the content pass).
 */
interface TermColumns {
  indptr: Int32Array;
  indices: Int32Array;
  data: Float64Array;
}

function termColumns(x: CsrMatrix): TermColumns {
  const xt = x.transpose();
  return { indptr: xt.indptr, indices: xt.indices, data: Float64Array.from(xt.data) };
}

/** Reused per-request buffers: a dense term vector and term marks (all zero between uses), the touched terms and item sums. */
interface ContentScratch {
  profile: Float64Array;
  used: Uint8Array;
  terms: Int32Array;
  /** Terms touched so far (the first `count` of `terms`). */
  count: number;
  sums: Float64Array;
  /** contributionsTo's grouping of one history's entries by term, made on first use. */
  groups: TermGroups | undefined;
}

/**
 * A history's TF-IDF entries grouped by term: for a term with stamp === generation, its entries are
 * position (history index) and value at start…end. Stamps make clearing between uses unnecessary.
 */
interface TermGroups {
  generation: number;
  stamp: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** The history's distinct terms (scratch while grouping). */
  terms: Int32Array;
  position: Int32Array;
  value: Float32Array;
}

function termGroups(terms: number): TermGroups {
  return {
    generation: 0,
    stamp: new Int32Array(terms),
    start: new Int32Array(terms),
    end: new Int32Array(terms),
    terms: new Int32Array(terms),
    position: new Int32Array(0),
    value: new Float32Array(0),
  };
}

function contentScratch(x: CsrMatrix): ContentScratch {
  return { profile: new Float64Array(x.cols), used: new Uint8Array(x.cols), terms: new Int32Array(x.cols), count: 0, sums: new Float64Array(x.rows), groups: undefined };
}

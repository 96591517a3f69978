/**
 * How raw play counts become the values implicit-feedback models learn from. Play counts are
 * heavy-tailed (one user's favourite artist can have 10⁵ plays), so models damp them:
 *  - "none":   the plays as they are (what Spark's implicit ALS trains on);
 *  - "binary": 1 for every played item;
 *  - "log1p":  ln(1 + plays);
 *  - "bm25":   Okapi BM25 over the user's row (saturating term frequency, item idf, row-length
 *              normalisation), the weighting `implicit` recommends for listening data.
 * A fitted weighting keeps the statistics it needs (idf, mean row length) so a new user's
 * history is weighted exactly like a training row.
 */
import { CsrMatrix } from "./csr.js";

export const WEIGHTING_SCHEMES = ["none", "binary", "log1p", "bm25"] as const;
export type WeightingScheme = (typeof WEIGHTING_SCHEMES)[number];

export interface WeightingState {
  scheme: WeightingScheme;
  k1: number;
  b: number;
  averageRowSum: number;
  /** Per item (column) inverse document frequency; empty unless scheme is "bm25". */
  idf: Float32Array;
}

export class Weighting {
  private constructor(readonly state: WeightingState) {}

  static fit(plays: CsrMatrix, scheme: WeightingScheme, k1 = 100, b = 0.8): Weighting {
    let idf = new Float32Array(0);
    let averageRowSum = 0;
    if (scheme === "bm25") {
      const df = new Int32Array(plays.cols);
      for (let p = 0; p < plays.nnz; p++) df[plays.indices[p]]++;
      idf = new Float32Array(plays.cols);
      for (let j = 0; j < plays.cols; j++) idf[j] = Math.log(plays.rows) - Math.log1p(df[j]);
      let total = 0;
      for (let p = 0; p < plays.nnz; p++) total += plays.data[p];
      averageRowSum = plays.rows > 0 ? total / plays.rows : 0;
    }
    return new Weighting({ scheme, k1, b, averageRowSum, idf });
  }

  static fromState(state: WeightingState): Weighting {
    return new Weighting(state);
  }

  /** Weights of one row (a user's history) given its item indices and play counts. */
  weightRow(items: ArrayLike<number>, plays: ArrayLike<number>): Float32Array {
    const out = new Float32Array(items.length);
    const { scheme, k1, b, averageRowSum, idf } = this.state;
    if (scheme === "none") {
      out.set(plays);
      return out;
    }
    if (scheme === "binary") return out.fill(1);
    if (scheme === "log1p") {
      for (let n = 0; n < items.length; n++) out[n] = Math.log1p(plays[n]);
      return out;
    }
    let rowSum = 0;
    for (let n = 0; n < plays.length; n++) rowSum += plays[n];
    const lengthNorm = (1 - b) + (b * rowSum) / (averageRowSum || 1);
    for (let n = 0; n < items.length; n++) {
      const x = plays[n];
      out[n] = ((x * (k1 + 1)) / (k1 * lengthNorm + x)) * (idf[items[n]] ?? 0);
    }
    return out;
  }

  /** The whole play matrix weighted row by row (same sparsity pattern). */
  weightMatrix(plays: CsrMatrix): CsrMatrix {
    const data = new Float32Array(plays.nnz);
    for (let r = 0; r < plays.rows; r++) {
      const start = plays.indptr[r];
      data.set(this.weightRow(plays.rowIndices(r), plays.rowData(r)), start);
    }
    return new CsrMatrix(plays.rows, plays.cols, plays.indptr, plays.indices, data);
  }
}

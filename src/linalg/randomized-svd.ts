/**
 * Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson & Tropp
 * 2011, Algorithm 4.4 with the small side orthonormalised after every product).
 *
 * The range finder runs on the side with fewer rows, so the only dense tall work on the long side
 * is one n × l Gram product; the l × l eigenproblem is solved by ml-matrix.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { CsrMatrix } from "../data/csr.js";
import { Random } from "../util/random.js";
import { denseMatrix32, denseMatrix64, gram, type DenseMatrix } from "./dense.js";
import { orthonormalizeColumns } from "./orthonormalize.js";
import { sparseTimesDense, sparseTransposeTimesDense } from "./sparse-dense.js";

export interface TruncatedSvd {
  /** rows × k left singular vectors. */
  u: DenseMatrix<Float32Array>;
  /** k singular values, descending. */
  s: Float32Array;
  /** cols × k right singular vectors. */
  v: DenseMatrix<Float32Array>;
}

export interface RandomizedSvdOptions {
  /** Extra random directions beyond k (default 10, as scikit-learn). */
  oversamples?: number;
  /** Power (subspace) iterations (default 7, scikit-learn's choice for small k). */
  powerIterations?: number;
  seed?: number;
  onIteration?: (done: number, total: number) => void;
}

export function randomizedSvd(a: CsrMatrix, k: number, options: RandomizedSvdOptions = {}): TruncatedSvd {
  if (a.rows > a.cols) {
    const t = randomizedSvd(a.transpose(), k, options);
    return { u: t.v, s: t.s, v: t.u };
  }
  const rank = Math.min(k, a.rows, a.cols);
  const l = Math.min(rank + (options.oversamples ?? 10), a.rows);
  const iterations = options.powerIterations ?? 7;
  const random = new Random(options.seed ?? 0);

  // Range finder on the short side: Y ← orth(A Aᵀ Y), starting from a Gaussian block.
  let y = denseMatrix64(a.rows, l);
  for (let i = 0; i < y.data.length; i++) y.data[i] = random.normal();
  orthonormalizeColumns(y);
  for (let it = 0; it <= iterations; it++) {
    y = sparseTimesDense(a, sparseTransposeTimesDense(a, y));
    orthonormalizeColumns(y);
    options.onIteration?.(it + 1, iterations + 1);
  }

  // B = Yᵀ A is l × n; its SVD comes from the eigendecomposition of B Bᵀ (l × l).
  const bt = sparseTransposeTimesDense(a, y);
  const g = gram(bt);
  const eig = new EigenvalueDecomposition(new Matrix(toRows(g, l)), { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((_, i) => i).sort((p, q) => eig.realEigenvalues[q] - eig.realEigenvalues[p]);
  const w = eig.eigenvectorMatrix;

  const s = new Float32Array(rank);
  const u = denseMatrix32(a.rows, rank);
  const v = denseMatrix32(a.cols, rank);
  for (let c = 0; c < rank; c++) {
    const col = order[c];
    const sigma = Math.sqrt(Math.max(eig.realEigenvalues[col], 0));
    s[c] = sigma;
    const wc = new Float64Array(l);
    for (let j = 0; j < l; j++) wc[j] = w.get(j, col);
    for (let r = 0; r < a.rows; r++) {
      let sum = 0;
      for (let j = 0; j < l; j++) sum += y.data[r * l + j] * wc[j];
      u.data[r * rank + c] = sum;
    }
    const inv = sigma > 0 ? 1 / sigma : 0;
    for (let r = 0; r < a.cols; r++) {
      let sum = 0;
      for (let j = 0; j < l; j++) sum += bt.data[r * l + j] * wc[j];
      v.data[r * rank + c] = sum * inv;
    }
  }
  return { u, s, v };
}

function toRows(flat: Float64Array, n: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(flat.subarray(i * n, (i + 1) * n)));
  return rows;
}

/**
 * Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson & Tropp
 * 2011, Algorithms 4.4 + 5.1), run on the short side: for A (m × n, m ≤ n) it iterates
 * Y ← orth(A Aᵀ Y) on m × l blocks, takes the Ritz vectors of Yᵀ A Aᵀ Y (an l × l eigenproblem,
 * ml-matrix) as left singular vectors U, and gets V = Aᵀ U Σ⁻¹ with one sparse product.
 *
 * When the short side is small and the matrix comparatively dense (1,000 users × 180,000 tracks
 * with 4·10⁶ non-zeros), A Aᵀ is formed once as a dense m × m Gram matrix — cost Σⱼ nnzⱼ² / 2 over
 * the columns — and every power iteration becomes a dense m × m × l product instead of two passes
 * over all non-zeros. The cheaper of the two plans is chosen from those operation counts.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import type { CsrMatrix } from "../data/csr.js";
import { Random } from "../util/random.js";
import { axpyAt, denseMatrix64, dotAt, type DenseMatrix } from "./dense.js";
import { orthonormalizeColumns, toColumns } from "./orthonormalize.js";
import { sparseTransposeTimesDense } from "./sparse-dense.js";

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
  /** Applications of A Aᵀ in the range finder (default 7, scikit-learn's n_iter for small k). */
  powerIterations?: number;
  seed?: number;
  /** "auto" (default) picks the cheaper plan; the others force one (tests, benchmarks). */
  plan?: "auto" | "dense-gram" | "sparse";
  onIteration?: (done: number, total: number) => void;
}

/** Largest short side for which the dense Gram matrix is used (4000² float64 = 128 MB). */
const DENSE_GRAM_MAX = 4000;

type Operator = (y: DenseMatrix<Float64Array>) => DenseMatrix<Float64Array>;

export function randomizedSvd(a: CsrMatrix, k: number, options: RandomizedSvdOptions = {}): TruncatedSvd {
  if (a.rows > a.cols) {
    const t = randomizedSvd(a.transpose(), k, options);
    return { u: t.v, s: t.s, v: t.u };
  }
  const m = a.rows;
  const rank = Math.min(k, a.rows, a.cols);
  const l = Math.min(rank + (options.oversamples ?? 10), m);
  const iterations = options.powerIterations ?? 7;
  const random = new Random(options.seed ?? 0);
  const products = iterations + 2;
  const sparseCost = products * 2 * a.nnz * l;
  const denseCost = gramCost(a) + products * m * m * l;
  const plan = options.plan ?? "auto";
  const columns = a.transpose();
  const aat: Operator =
    plan === "dense-gram" || (plan === "auto" && m <= DENSE_GRAM_MAX && denseCost < sparseCost)
      ? denseOperator(gramOfRows(columns, m))
      : sparseOperator(columns, m);

  let y = denseMatrix64(m, l);
  for (let i = 0; i < y.data.length; i++) y.data[i] = random.normal();
  orthonormalizeColumns(y);
  // `iterations` applications of A Aᵀ (2 passes over the non-zeros each, plus one for the
  // Rayleigh–Ritz step: the same 16 passes as scikit-learn's n_iter = 7). Re-orthonormalising after
  // every second application is enough in float64 (κ grows by (σ₁/σₗ)² per application, and
  // Cholesky QR falls back to Gram–Schmidt if it ever gets too large).
  for (let it = 0; it < iterations; it++) {
    y = aat(y);
    if (it % 2 === 1 || it === iterations - 1) orthonormalizeColumns(y);
    options.onIteration?.(it + 1, iterations);
  }

  // Rayleigh–Ritz: eigenpairs of T = Yᵀ (A Aᵀ) Y give σ² and the rotation W of Y.
  const t = transposeTimes(y, aat(y));
  const eig = new EigenvalueDecomposition(new Matrix(t), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const order = values.map((_, i) => i).sort((p, q) => values[q] - values[p]).slice(0, rank);
  const w = eig.eigenvectorMatrix;

  const s = Float32Array.from(order, (col) => Math.sqrt(Math.max(values[col], 0)));
  // U = Y · W (the top `rank` Ritz vectors), and U Σ⁻¹ for V = Aᵀ U Σ⁻¹.
  const rotation = new Float64Array(l * rank);
  for (let j = 0; j < l; j++) for (let c = 0; c < rank; c++) rotation[j * rank + c] = w.get(j, order[c]);
  const u64 = denseMatrix64(m, rank);
  for (let r = 0; r < m; r++) for (let j = 0; j < l; j++) axpyAt(y.data[r * l + j], rotation, j * rank, u64.data, rank, r * rank);
  const u = { rows: m, cols: rank, data: Float32Array.from(u64.data) };
  const uOverSigma = u64;
  for (let r = 0; r < m; r++) for (let c = 0; c < rank; c++) uOverSigma.data[r * rank + c] = s[c] > 0 ? uOverSigma.data[r * rank + c] / s[c] : 0;
  const v = sparseTransposeTimesDense(a, uOverSigma);
  return { u, s, v: { rows: v.rows, cols: v.cols, data: Float32Array.from(v.data) } };
}

/** Multiply-adds to form A Aᵀ: Σⱼ nnzⱼ² / 2 over the columns j. */
function gramCost(a: CsrMatrix): number {
  const perColumn = new Int32Array(a.cols);
  for (let p = 0; p < a.nnz; p++) perColumn[a.indices[p]]++;
  let cost = 0;
  for (let j = 0; j < a.cols; j++) cost += (perColumn[j] * perColumn[j]) / 2;
  return cost;
}

/**
 * Y ↦ A Aᵀ Y = Σⱼ aⱼ (aⱼᵀ Y) column by column of A (`columns` = Aᵀ in CSR): each column's l-vector
 * aⱼᵀY stays in cache, so the product is one pass over the non-zeros with Y (m × l) as the only
 * large working set — no n × l intermediate.
 */
function sparseOperator(columns: CsrMatrix, m: number): Operator {
  return (y) => {
    const l = y.cols;
    const out = denseMatrix64(m, l);
    const z = new Float64Array(l);
    const { indptr, indices, data } = columns;
    for (let j = 0; j < columns.rows; j++) {
      const end = indptr[j + 1];
      if (end === indptr[j]) continue;
      z.fill(0);
      for (let p = indptr[j]; p < end; p++) axpyAt(data[p], y.data, indices[p] * l, z, l);
      for (let p = indptr[j]; p < end; p++) axpyAt(data[p], z, 0, out.data, l, indices[p] * l);
    }
    return out;
  };
}

/** A Aᵀ as a dense symmetric m × m matrix, accumulated column by column of A (`columns` = Aᵀ). */
function gramOfRows(columns: CsrMatrix, m: number): DenseMatrix<Float64Array> {
  const g = denseMatrix64(m, m);
  const { indptr, indices, data } = columns;
  for (let j = 0; j < columns.rows; j++) {
    const end = indptr[j + 1];
    for (let p = indptr[j]; p < end; p++) {
      const rowOffset = indices[p] * m;
      const v = data[p];
      for (let q = p; q < end; q++) g.data[rowOffset + indices[q]] += v * data[q];
    }
  }
  // Column indices are sorted, so only the upper triangle was filled.
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) g.data[i * m + j] = g.data[j * m + i];
  return g;
}

function denseOperator(g: DenseMatrix<Float64Array>): Operator {
  return (y) => {
    const m = g.rows;
    const l = y.cols;
    const out = denseMatrix64(m, l);
    for (let i = 0; i < m; i++) {
      const o = i * l;
      for (let j = 0; j < m; j++) {
        const gij = g.data[i * m + j];
        if (gij === 0) continue;
        const yo = j * l;
        for (let f = 0; f < l; f++) out.data[o + f] += gij * y.data[yo + f];
      }
    }
    return out;
  };
}

/** Xᵀ Z for two m × l row-major blocks, as rows of an l × l matrix (symmetric by construction here). */
function transposeTimes(x: DenseMatrix<Float64Array>, z: DenseMatrix<Float64Array>): number[][] {
  const l = x.cols;
  const xc = toColumns(x);
  const zc = toColumns(z);
  const out = Array.from({ length: l }, () => new Array<number>(l).fill(0));
  // Yᵀ(AAᵀ)Y is symmetric; averaging both triangles removes rounding asymmetry for the eigensolver.
  for (let i = 0; i < l; i++) {
    for (let j = 0; j <= i; j++) {
      out[i][j] = out[j][i] = (dotAt(xc[i], 0, zc[j], 0, x.rows) + dotAt(xc[j], 0, zc[i], 0, x.rows)) / 2;
    }
  }
  return out;
}

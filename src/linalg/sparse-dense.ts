/**
 * Products of a sparse CSR matrix with dense matrices, without forming the transpose: the final
 * step of the randomized SVD (V = Aᵀ U Σ⁻¹) and fold-in projection (a · V).
 */
import type { CsrMatrix } from "../data/csr.js";
import { axpyAt, denseMatrix64, type DenseMatrix } from "./dense.js";

/** Aᵀ · Y, for A (m × n sparse) and Y (m × l dense). */
export function sparseTransposeTimesDense(a: CsrMatrix, y: DenseMatrix): DenseMatrix<Float64Array> {
  if (a.rows !== y.rows) throw new Error(`shape mismatch (${a.rows}x${a.cols})ᵀ · ${y.rows}x${y.cols}`);
  const l = y.cols;
  const out = denseMatrix64(a.cols, l);
  const { indptr, indices, data } = a;
  const yd = y.data;
  const od = out.data;
  for (let r = 0; r < a.rows; r++) {
    const yo = r * l;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) axpyAt(data[p], yd, yo, od, l, indices[p] * l);
  }
  return out;
}

/** xᵀ · F for a sparse row vector x (indices, values) and row-major F (n × k): a k-vector. */
export function sparseRowTimesDense(
  indices: ArrayLike<number>,
  values: ArrayLike<number>,
  f: DenseMatrix,
  out: Float64Array = new Float64Array(f.cols),
): Float64Array {
  const k = f.cols;
  out.fill(0);
  for (let p = 0; p < indices.length; p++) {
    const v = values[p];
    const o = indices[p] * k;
    for (let j = 0; j < k; j++) out[j] += v * f.data[o + j];
  }
  return out;
}

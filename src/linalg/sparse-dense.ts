/**
 * Products of a sparse CSR matrix with tall-skinny dense matrices, without forming the transpose:
 * the kernels of the randomized SVD and of fold-in projection.
 */
import type { CsrMatrix } from "../data/csr.js";
import { denseMatrix64, type DenseMatrix } from "./dense.js";

/** A · X, for A (m × n sparse) and X (n × l dense). */
export function sparseTimesDense(a: CsrMatrix, x: DenseMatrix): DenseMatrix<Float64Array> {
  if (a.cols !== x.rows) throw new Error(`shape mismatch ${a.rows}x${a.cols} · ${x.rows}x${x.cols}`);
  const l = x.cols;
  const out = denseMatrix64(a.rows, l);
  const { indptr, indices, data } = a;
  const xd = x.data;
  const od = out.data;
  for (let r = 0; r < a.rows; r++) {
    const o = r * l;
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const v = data[p];
      const xo = indices[p] * l;
      for (let f = 0; f < l; f++) od[o + f] += v * xd[xo + f];
    }
  }
  return out;
}

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
    for (let p = indptr[r]; p < indptr[r + 1]; p++) {
      const v = data[p];
      const o = indices[p] * l;
      for (let f = 0; f < l; f++) od[o + f] += v * yd[yo + f];
    }
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

/**
 * Orthonormal basis of the column space of a tall row-major matrix, in place, by modified
 * Gram–Schmidt applied twice ("twice is enough" for float64 stability). Columns that are
 * numerically dependent are replaced by zeros rather than amplified noise.
 */
import type { DenseMatrix } from "./dense.js";

export function orthonormalizeColumns(m: DenseMatrix<Float64Array>): void {
  const { rows, cols, data } = m;
  // Column-major copy so every column operation is a contiguous loop.
  const columns: Float64Array[] = [];
  for (let c = 0; c < cols; c++) {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = data[r * cols + c];
    columns.push(col);
  }
  for (let c = 0; c < cols; c++) {
    const v = columns[c];
    const original = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) {
      for (let prev = 0; prev < c; prev++) {
        const u = columns[prev];
        const proj = dot(u, v);
        if (proj !== 0) for (let r = 0; r < rows; r++) v[r] -= proj * u[r];
      }
    }
    const norm = Math.sqrt(dot(v, v));
    const scale = norm > 1e-10 * Math.max(original, 1e-300) ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) v[r] *= scale;
  }
  for (let c = 0; c < cols; c++) {
    const col = columns[c];
    for (let r = 0; r < rows; r++) data[r * cols + c] = col[r];
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

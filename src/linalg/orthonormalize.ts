/**
 * Orthonormal basis of the column space of a tall row-major matrix, in place.
 *
 * Cholesky QR first (G = YᵀY = LLᵀ, Y ← Y L⁻ᵀ: two cache-friendly passes over the rows, what the
 * randomized SVD's power iterations need). If Y is too ill-conditioned for it (G not numerically
 * positive definite), modified Gram–Schmidt applied twice, which also zeroes dependent columns
 * rather than amplifying noise.
 */
import { choleskyFactor } from "./cholesky.js";
import { dotAt, gram, type DenseMatrix } from "./dense.js";

/** Cholesky QR is trusted while the smallest pivot² is above this fraction of the largest. */
const CHOLESKY_QR_CONDITION = 1e-10;

export function orthonormalizeColumns(m: DenseMatrix<Float64Array>): void {
  if (!choleskyQr(m)) gramSchmidtTwice(m);
}

function choleskyQr(m: DenseMatrix<Float64Array>): boolean {
  const { rows, cols: l, data } = m;
  const g = gram(m);
  let largest = 0;
  for (let i = 0; i < l; i++) largest = Math.max(largest, g[i * l + i]);
  if (!choleskyFactor(g, l)) return false;
  for (let i = 0; i < l; i++) if (g[i * l + i] ** 2 < CHOLESKY_QR_CONDITION * largest) return false;
  // Each row y ← y L⁻ᵀ, i.e. solve L xᵀ = yᵀ by forward substitution, in place.
  for (let r = 0; r < rows; r++) {
    const o = r * l;
    for (let i = 0; i < l; i++) data[o + i] = (data[o + i] - dotAt(g, i * l, data, o, i)) / g[i * l + i];
  }
  return true;
}

function gramSchmidtTwice(m: DenseMatrix<Float64Array>): void {
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

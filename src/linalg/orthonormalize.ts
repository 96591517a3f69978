/**
 * Orthonormal basis of the column space of a tall row-major matrix, in place.
 *
 * The work happens on a column-major copy, so every step is a long contiguous loop. Cholesky QR
 * first (G = YᵀY = LLᵀ, Y ← Y L⁻ᵀ), what the randomized SVD's power iterations need. If Y is too
 * ill-conditioned for it (G not numerically positive definite), modified Gram–Schmidt applied
 * twice, which also zeroes dependent columns rather than amplifying noise.
 */
import { choleskyFactor } from "./cholesky.js";
import { axpyAt, dotAt, type DenseMatrix } from "./dense.js";

/** Cholesky QR is trusted while the smallest pivot² is above this fraction of the largest. */
const CHOLESKY_QR_CONDITION = 1e-10;

export function orthonormalizeColumns(m: DenseMatrix<Float64Array>): void {
  const columns = toColumns(m);
  if (!choleskyQr(columns, m.rows)) gramSchmidtTwice(columns, m.rows);
  fromColumns(columns, m);
}

/** Column-major copy of a row-major matrix. */
export function toColumns(m: DenseMatrix): Float64Array[] {
  const { rows, cols, data } = m;
  const columns: Float64Array[] = [];
  for (let c = 0; c < cols; c++) {
    const col = new Float64Array(rows);
    for (let r = 0; r < rows; r++) col[r] = data[r * cols + c];
    columns.push(col);
  }
  return columns;
}

function fromColumns(columns: Float64Array[], m: DenseMatrix<Float64Array>): void {
  const { rows, cols, data } = m;
  for (let c = 0; c < cols; c++) {
    const col = columns[c];
    for (let r = 0; r < rows; r++) data[r * cols + c] = col[r];
  }
}

function choleskyQr(columns: Float64Array[], rows: number): boolean {
  const l = columns.length;
  const g = new Float64Array(l * l);
  let largest = 0;
  for (let i = 0; i < l; i++) {
    for (let j = 0; j <= i; j++) g[i * l + j] = g[j * l + i] = dotAt(columns[i], 0, columns[j], 0, rows);
    largest = Math.max(largest, g[i * l + i]);
  }
  if (!choleskyFactor(g, l)) return false;
  for (let i = 0; i < l; i++) if (g[i * l + i] ** 2 < CHOLESKY_QR_CONDITION * largest) return false;
  // Y ← Y L⁻ᵀ column by column: yᵢ ← (yᵢ − Σ_{p<i} L[i,p] y_p) / L[i,i].
  for (let i = 0; i < l; i++) {
    const col = columns[i];
    for (let p = 0; p < i; p++) axpyAt(-g[i * l + p], columns[p], 0, col, rows);
    const inv = 1 / g[i * l + i];
    for (let r = 0; r < rows; r++) col[r] *= inv;
  }
  return true;
}

function gramSchmidtTwice(columns: Float64Array[], rows: number): void {
  for (let c = 0; c < columns.length; c++) {
    const v = columns[c];
    const original = Math.sqrt(dotAt(v, 0, v, 0, rows));
    for (let pass = 0; pass < 2; pass++) {
      for (let prev = 0; prev < c; prev++) {
        const u = columns[prev];
        const proj = dotAt(u, 0, v, 0, rows);
        if (proj !== 0) axpyAt(-proj, u, 0, v, rows);
      }
    }
    const norm = Math.sqrt(dotAt(v, 0, v, 0, rows));
    const scale = norm > 1e-10 * Math.max(original, 1e-300) ? 1 / norm : 0;
    for (let r = 0; r < rows; r++) v[r] *= scale;
  }
}

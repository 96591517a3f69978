/**
 * The implicit-feedback least-squares solve of one row (Hu, Koren & Volinsky 2008) by conjugate
 * gradient (Takács, Pilászy & Tikk 2011), as in `implicit`'s CG solver:
 *
 *   (YᵀY + λI + Σᵢ (cᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵢ yᵢ
 *
 * where i runs over the row's non-zeros with confidence cᵢ. YᵀY + λI is precomputed once per
 * sweep, so a CG step costs O(k² + nnz·k) and no k × k system is ever formed per row.
 */
import type { DenseMatrix } from "./dense.js";

export interface CgWorkspace {
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  x: Float64Array;
}

export function cgWorkspace(k: number): CgWorkspace {
  return { r: new Float64Array(k), p: new Float64Array(k), ap: new Float64Array(k), x: new Float64Array(k) };
}

/**
 * Improves `x` (length k, used as the starting point) in place with at most `maxSteps` CG steps,
 * stopping early once the squared residual falls below `relativeTolerance` times its initial value.
 */
export function solveImplicitRow(
  yty: Float64Array,
  y: DenseMatrix,
  indices: ArrayLike<number>,
  confidence: ArrayLike<number>,
  x: Float64Array,
  maxSteps: number,
  relativeTolerance: number,
  ws: CgWorkspace,
): void {
  const k = y.cols;
  const yd = y.data;
  const { r, p, ap } = ws;
  // r = b − A x
  symMatVec(yty, x, r, k);
  for (let i = 0; i < k; i++) r[i] = -r[i];
  for (let n = 0; n < indices.length; n++) {
    const o = indices[n] * k;
    const c = confidence[n];
    let yx = 0;
    for (let f = 0; f < k; f++) yx += yd[o + f] * x[f];
    const coef = c - (c - 1) * yx;
    for (let f = 0; f < k; f++) r[f] += coef * yd[o + f];
  }
  p.set(r);
  let rsOld = dot(r, r, k);
  const tolerance = rsOld * relativeTolerance;
  for (let step = 0; step < maxSteps && rsOld > tolerance && rsOld > 0; step++) {
    symMatVec(yty, p, ap, k);
    for (let n = 0; n < indices.length; n++) {
      const o = indices[n] * k;
      const c1 = confidence[n] - 1;
      let yp = 0;
      for (let f = 0; f < k; f++) yp += yd[o + f] * p[f];
      const coef = c1 * yp;
      for (let f = 0; f < k; f++) ap[f] += coef * yd[o + f];
    }
    const alpha = rsOld / dot(p, ap, k);
    for (let f = 0; f < k; f++) {
      x[f] += alpha * p[f];
      r[f] -= alpha * ap[f];
    }
    const rsNew = dot(r, r, k);
    const beta = rsNew / rsOld;
    for (let f = 0; f < k; f++) p[f] = r[f] + beta * p[f];
    rsOld = rsNew;
  }
}

function symMatVec(m: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) {
    let sum = 0;
    const o = i * k;
    for (let j = 0; j < k; j++) sum += m[o + j] * v[j];
    out[i] = sum;
  }
}

function dot(a: Float64Array, b: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < k; i++) s += a[i] * b[i];
  return s;
}

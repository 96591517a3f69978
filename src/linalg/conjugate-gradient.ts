/**
 * The implicit-feedback least-squares solve of one row (Hu, Koren & Volinsky 2008) by conjugate
 * gradient (Takács, Pilászy & Tikk 2011), as in `implicit`'s CG solver:
 *
 *   (YᵀY + λI + Σᵢ (cᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵢ yᵢ
 *
 * where i runs over the row's non-zeros with confidence cᵢ. YᵀY + λI is precomputed once per
 * sweep, so a CG step costs O(k² + nnz·k) and no k × k system is ever formed per row.
 */
import { axpyAt, dotAt, type DenseMatrix } from "./dense.js";

export interface CgWorkspace {
  r: Float64Array;
  z: Float64Array;
  p: Float64Array;
  ap: Float64Array;
}

export function cgWorkspace(k: number): CgWorkspace {
  return { r: new Float64Array(k), z: new Float64Array(k), p: new Float64Array(k), ap: new Float64Array(k) };
}

/**
 * Improves `x` (length k, used as the starting point) in place with at most `maxSteps` CG steps,
 * stopping early once the squared residual falls below `relativeTolerance` times its initial value.
 *
 * With a `preconditioner` P ≈ A⁻¹ (k × k, symmetric) it runs preconditioned CG. P = (YᵀY + λI)⁻¹
 * is nearly exact when confidences are close to 1, so a solve to convergence takes a handful of
 * steps instead of up to k — that is how the converged solves (fold-in) stay cheap for users
 * with thousands of items.
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
  preconditioner?: Float64Array,
): void {
  const k = y.cols;
  const yd = y.data;
  const { r, z, p, ap } = ws;
  // r = b − A x
  symMatVec(yty, x, r, k);
  for (let i = 0; i < k; i++) r[i] = -r[i];
  for (let n = 0; n < indices.length; n++) {
    const o = indices[n] * k;
    const c = confidence[n];
    axpyAt(c - (c - 1) * dotAt(yd, o, x, 0, k), yd, o, r, k);
  }
  const precondition = () => (preconditioner ? symMatVec(preconditioner, r, z, k) : z.set(r));
  precondition();
  p.set(z);
  let rzOld = dot(r, z, k);
  let rr = dot(r, r, k);
  const tolerance = rr * relativeTolerance;
  for (let step = 0; step < maxSteps && rr > tolerance && rr > 0; step++) {
    symMatVec(yty, p, ap, k);
    for (let n = 0; n < indices.length; n++) {
      const o = indices[n] * k;
      axpyAt((confidence[n] - 1) * dotAt(yd, o, p, 0, k), yd, o, ap, k);
    }
    const alpha = rzOld / dot(p, ap, k);
    for (let f = 0; f < k; f++) {
      x[f] += alpha * p[f];
      r[f] -= alpha * ap[f];
    }
    rr = dot(r, r, k);
    precondition();
    const rzNew = dot(r, z, k);
    const beta = rzNew / rzOld;
    for (let f = 0; f < k; f++) p[f] = z[f] + beta * p[f];
    rzOld = rzNew;
  }
}

function symMatVec(m: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) out[i] = dotAt(m, i * k, v, 0, k);
}

function dot(a: Float64Array, b: Float64Array, k: number): number {
  return dotAt(a, 0, b, 0, k);
}

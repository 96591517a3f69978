/**
 * The implicit-feedback least-squares solve of one row (Hu, Koren & Volinsky 2008) by conjugate
 * gradient (Takács, Pilászy & Tikk 2011), as in `implicit`'s CG solver:
 *
 *   (YᵀY + λI + Σᵢ (cᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵢ yᵢ
 *
 * where i runs over the row's non-zeros with confidence cᵢ. YᵀY + λI is precomputed once per
 * sweep, so a CG step costs O(k² + nnz·k) and no k × k system is ever formed per row.
 *
 * The kernel takes the row as a range of CSR arrays and only float32 factors, float64 vectors:
 * one type per argument keeps V8's code monomorphic, and no row allocates. In training the
 * O(nnz·k) passes and the k × k products run as WebAssembly SIMD kernels (wasm/implicit-kernels.wat)
 * when the workspace has them: then every array passed here lives in the kernels' memory.
 */
import { axpy32x64, dot32x64, dotAt } from "./dense.js";
import type { ImplicitKernels } from "./wasm/implicit-kernels.js";

export interface CgWorkspace {
  r: Float64Array;
  z: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  /** A float32 copy of the vector a kernel pass multiplies by. */
  v32: Float32Array;
  kernels: ImplicitKernels | null;
  /** Coefficients of the Woodbury solves' row sums, in the kernels' memory (implicit-row-solver.ts); absent: scalar sums. */
  coef?: Float64Array;
}

export function cgWorkspace(k: number): CgWorkspace {
  return { r: new Float64Array(k), z: new Float64Array(k), p: new Float64Array(k), ap: new Float64Array(k), v32: new Float32Array(k), kernels: null };
}

/**
 * Improves `x` (length k, used as the starting point) in place with at most `maxSteps` CG steps,
 * stopping early once the squared residual falls below `relativeTolerance` times its initial value.
 * The row is indices[start..end) with confidences confidence[start..end) against y (n × k).
 *
 * With `yty32`, YᵀY + λI rounded to float32, and the kernels, B·v runs in float32 (twice the SIMD
 * lanes) and the per-non-zero pass sums groups of four in float32: what `implicit` does in its sweeps. A few warm-started steps do not need more; solves to
 * convergence keep float64, whose residual can fall far below float32's rounding.
 *
 * With a `preconditioner` P ≈ A⁻¹ (k × k, symmetric) it runs preconditioned CG. P = (YᵀY + λI)⁻¹
 * is nearly exact when confidences are close to 1, so a solve to convergence takes a handful of
 * steps instead of up to k — that is how the converged solves (fold-in) stay cheap for users
 * with thousands of items.
 */
export function solveImplicitRow(
  yty: Float64Array,
  y: Float32Array,
  k: number,
  indices: Int32Array,
  confidence: Float32Array,
  start: number,
  end: number,
  x: Float64Array,
  maxSteps: number,
  relativeTolerance: number,
  ws: CgWorkspace,
  preconditioner: Float64Array | null,
  yty32: Float32Array | null = null,
): void {
  const { r, z, p, ap, v32, kernels } = ws;
  // B·v in float32 (training sweeps, as `implicit` does), else float64.
  const fast = kernels !== null && yty32 !== null;
  // r = b − A x = Σ (cᵢ − (cᵢ − 1) yᵢᵀx) yᵢ − (YᵀY + λI) x
  if (kernels) for (let f = 0; f < k; f++) v32[f] = x[f];
  if (fast) kernels.matVec32to64(yty32.byteOffset, v32.byteOffset, r.byteOffset, k);
  else matVec(ws, yty, x, r, k);
  for (let i = 0; i < k; i++) r[i] = -r[i];
  if (kernels) {
    kernels.implicitPass(y.byteOffset, k, indices.byteOffset, confidence.byteOffset, start, end, v32.byteOffset, r.byteOffset, 1, -1, fast ? 1 : 0);
  } else {
    for (let n = start; n < end; n++) {
      const o = indices[n] * k;
      const c = confidence[n];
      axpy32x64(c - (c - 1) * dot32x64(y, o, x, 0, k), y, o, r, 0, k);
    }
  }
  // Without a preconditioner z is r itself: no copy, and r·z is r·r.
  const zOf = preconditioner ? z : r;
  if (preconditioner) matVec(ws, preconditioner, r, z, k);
  p.set(zOf);
  let rr = dot(r, r, k);
  let rzOld = preconditioner ? dot(r, z, k) : rr;
  const tolerance = rr * relativeTolerance;
  for (let step = 0; step < maxSteps && rr > tolerance && rr > 0; step++) {
    if (kernels) for (let f = 0; f < k; f++) v32[f] = p[f];
    if (fast) kernels.matVec32to64(yty32.byteOffset, v32.byteOffset, ap.byteOffset, k);
    else matVec(ws, yty, p, ap, k);
    if (kernels) {
      kernels.implicitPass(y.byteOffset, k, indices.byteOffset, confidence.byteOffset, start, end, v32.byteOffset, ap.byteOffset, 0, 1, fast ? 1 : 0);
    } else {
      for (let n = start; n < end; n++) {
        const o = indices[n] * k;
        axpy32x64((confidence[n] - 1) * dot32x64(y, o, p, 0, k), y, o, ap, 0, k);
      }
    }
    const alpha = rzOld / dot(p, ap, k);
    rr = 0;
    for (let f = 0; f < k; f++) {
      x[f] += alpha * p[f];
      const rf = r[f] - alpha * ap[f];
      r[f] = rf;
      rr += rf * rf;
    }
    let rzNew = rr;
    if (preconditioner) {
      matVec(ws, preconditioner, r, z, k);
      rzNew = dot(r, z, k);
    }
    const beta = rzNew / rzOld;
    for (let f = 0; f < k; f++) p[f] = zOf[f] + beta * p[f];
    rzOld = rzNew;
  }
}

function matVec(ws: CgWorkspace, m: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  if (ws.kernels) ws.kernels.matVec64(m.byteOffset, v.byteOffset, out.byteOffset, k);
  else symMatVec(m, v, out, k);
}

function symMatVec(m: Float64Array, v: Float64Array, out: Float64Array, k: number): void {
  for (let i = 0; i < k; i++) out[i] = dotAt(m, i * k, v, 0, k);
}

function dot(a: Float64Array, b: Float64Array, k: number): number {
  let sum = 0;
  for (let f = 0; f < k; f++) sum += a[f] * b[f];
  return sum;
}

/**
 * Solves the implicit-feedback least-squares problem of one row against fixed factors Y:
 *
 *   (B + Σᵢ (cᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵢ yᵢ,   B = YᵀY + λI,
 *
 * choosing per row between two methods:
 *  - rows with many non-zeros: conjugate gradient (conjugate-gradient.ts), O(k² + nnz·k) a step;
 *  - rows with few non-zeros (the long tail of items: most tracks have a handful of listeners):
 *    an exact solve by the Woodbury identity, O(m²k + m³) for m non-zeros, using gᵢ = B⁻¹yᵢ
 *    computed once per sweep on demand. For m ≪ k this is far cheaper than even one CG step's k².
 * Both give the least-squares solution (CG up to its step budget).
 */
import { gram, type DenseMatrix } from "./dense.js";
import { choleskyFactor, choleskySolve } from "./cholesky.js";
import { cgWorkspace, solveImplicitRow, type CgWorkspace } from "./conjugate-gradient.js";

export class ImplicitRowSolver {
  /** YᵀY + λI. */
  readonly gram: Float64Array;
  private inverse: Float64Array | null = null;
  /** gᵢ = B⁻¹ yᵢ for the rows short rows touched so far (a sparse cache: Y may have 10⁶ rows). */
  private readonly projected = new Map<number, Float64Array>();
  private readonly cg: CgWorkspace;
  private readonly k: number;

  constructor(
    private readonly y: DenseMatrix,
    regularization: number,
    /** Rows with at most this many non-zeros use the exact Woodbury solve. */
    private readonly woodburyMax = Math.floor(Math.sqrt(4 * y.cols)),
  ) {
    this.k = y.cols;
    this.gram = gram(y);
    for (let f = 0; f < this.k; f++) this.gram[f * this.k + f] += regularization;
    this.cg = cgWorkspace(this.k);
  }

  /**
   * Solves for x (length k) in place. `x` is the CG starting point (warm start); `cgSteps` and
   * `relativeTolerance` bound the CG path only.
   */
  solve(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array, cgSteps: number, relativeTolerance: number): void {
    if (indices.length <= this.woodburyMax && allAtLeastOne(confidence) && this.woodbury(indices, confidence, x)) return;
    solveImplicitRow(this.gram, this.y, indices, confidence, x, cgSteps, relativeTolerance, this.cg);
  }

  /** Exact solve into x; false (x unusable) if the small system is numerically not SPD. */
  private woodbury(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array): boolean {
    const k = this.k;
    const m = indices.length;
    const yd = this.y.data;
    const g = Array.from({ length: m }, (_, n) => this.projectedRow(indices[n]));
    // h = B⁻¹ b = Σ cᵢ gᵢ
    x.fill(0);
    for (let n = 0; n < m; n++) {
      const c = confidence[n];
      const gn = g[n];
      for (let f = 0; f < k; f++) x[f] += c * gn[f];
    }
    if (m === 0) return true;
    // (I + S U B⁻¹ Uᵀ S) t = S U h,  S = diag(√(cᵢ − 1));  x = h − B⁻¹ Uᵀ S t
    const s = Float64Array.from({ length: m }, (_, n) => Math.sqrt(confidence[n] - 1));
    const system = new Float64Array(m * m);
    const t = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const oi = indices[i] * k;
      for (let j = 0; j <= i; j++) {
        const gj = g[j];
        let dot = 0;
        for (let f = 0; f < k; f++) dot += yd[oi + f] * gj[f];
        system[i * m + j] = (i === j ? 1 : 0) + s[i] * s[j] * dot;
      }
      let yh = 0;
      for (let f = 0; f < k; f++) yh += yd[oi + f] * x[f];
      t[i] = s[i] * yh;
    }
    if (!choleskyFactor(system, m)) return false;
    choleskySolve(system, m, t);
    for (let n = 0; n < m; n++) {
      const coef = s[n] * t[n];
      const gn = g[n];
      for (let f = 0; f < k; f++) x[f] -= coef * gn[f];
    }
    return true;
  }

  private projectedRow(row: number): Float64Array {
    let g = this.projected.get(row);
    if (g) return g;
    const k = this.k;
    const inv = (this.inverse ??= invertSpd(this.gram, k));
    const o = row * k;
    g = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += inv[i * k + j] * this.y.data[o + j];
      g[i] = sum;
    }
    this.projected.set(row, g);
    return g;
  }
}

function allAtLeastOne(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (!(values[i] >= 1)) return false;
  return true;
}

function invertSpd(m: Float64Array, k: number): Float64Array {
  const l = m.slice();
  if (!choleskyFactor(l, k)) throw new Error("YᵀY + λI is not positive definite (regularization must be > 0)");
  const inverse = new Float64Array(k * k);
  const column = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    column.fill(0);
    column[c] = 1;
    choleskySolve(l, k, column);
    for (let r = 0; r < k; r++) inverse[r * k + c] = column[r];
  }
  return inverse;
}

/**
 * Solves the implicit-feedback least-squares problem of one row against fixed factors Y:
 *
 *   (B + Σᵢ (cᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵢ yᵢ,   B = YᵀY + λI,
 *
 * choosing per row between two methods:
 *  - rows with many non-zeros: conjugate gradient (conjugate-gradient.ts), O(k² + nnz·k) a step;
 *  - rows with few non-zeros (the long tail of items: most tracks have a handful of listeners):
 *    an exact solve by the Woodbury identity, O(m²k + m³) for m non-zeros, using gᵢ = B⁻¹yᵢ
 *    computed once per sweep on demand. Below the break-even length (24 for k = 64) this is
 *    cheaper than three CG steps' k² matrix–vector products, and exact.
 * Both give the least-squares solution (CG up to its step budget).
 */
import { axpyAt, dotAt, gram, type DenseMatrix } from "./dense.js";
import { choleskyFactor, choleskySolve } from "./cholesky.js";
import { cgWorkspace, solveImplicitRow, type CgWorkspace } from "./conjugate-gradient.js";

/** Squared residual reduction at which a solve counts as converged. */
const CONVERGED = 1e-12;

export class ImplicitRowSolver {
  /** YᵀY + λI. */
  readonly gram: Float64Array;
  private inverse: Float64Array | null = null;
  /** gᵢ = B⁻¹ yᵢ for the rows short rows touched so far (a sparse cache: Y may have 10⁶ rows). */
  private readonly projected = new Map<number, Float64Array>();
  private readonly cg: CgWorkspace;
  private readonly k: number;
  // Woodbury scratch, sized for the largest row it takes.
  private readonly system: Float64Array;
  private readonly t: Float64Array;
  private readonly s: Float64Array;

  constructor(
    private readonly y: DenseMatrix,
    regularization: number,
    /** Rows with at most this many non-zeros use the exact Woodbury solve. */
    private readonly woodburyMax = woodburyBreakEven(y.cols),
    /** YᵀY when the caller already has it (a solver per λ over the same Y): copied, not recomputed. */
    yty?: Float64Array,
  ) {
    this.k = y.cols;
    this.system = new Float64Array(woodburyMax * woodburyMax);
    this.t = new Float64Array(woodburyMax);
    this.s = new Float64Array(woodburyMax);
    this.gram = yty ? yty.slice() : gram(y);
    for (let f = 0; f < this.k; f++) this.gram[f * this.k + f] += regularization;
    this.cg = cgWorkspace(this.k);
  }

  /**
   * A few warm-started CG steps (training sweeps): `x` is the starting point and is improved in
   * place. Short rows are solved exactly.
   */
  improve(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array, cgSteps: number): void {
    if (this.tryWoodbury(indices, confidence, x)) return;
    solveImplicitRow(this.gram, this.y, indices, confidence, x, cgSteps, 0, this.cg);
  }

  /** The converged solution into x (fold-in, the final user pass): exact or preconditioned CG. */
  solve(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array): void {
    if (this.tryWoodbury(indices, confidence, x)) return;
    const inverse = (this.inverse ??= invertSpd(this.gram, this.k));
    solveImplicitRow(this.gram, this.y, indices, confidence, x, 4 * this.k, CONVERGED, this.cg, inverse);
  }

  private tryWoodbury(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array): boolean {
    return indices.length <= this.woodburyMax && allAtLeastOne(confidence) && this.woodbury(indices, confidence, x);
  }

  /** Exact solve into x; false (x unusable) if the small system is numerically not SPD. */
  private woodbury(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array): boolean {
    const k = this.k;
    const m = indices.length;
    const yd = this.y.data;
    const g: Float64Array[] = [];
    for (let n = 0; n < m; n++) g.push(this.projectedRow(indices[n]));
    // h = B⁻¹ b = Σ cᵢ gᵢ
    x.fill(0);
    for (let n = 0; n < m; n++) axpyAt(confidence[n], g[n], 0, x, k);
    if (m === 0) return true;
    // (I + S U B⁻¹ Uᵀ S) t = S U h,  S = diag(√(cᵢ − 1));  x = h − B⁻¹ Uᵀ S t
    const { s, t, system } = this;
    for (let n = 0; n < m; n++) s[n] = Math.sqrt(confidence[n] - 1);
    for (let i = 0; i < m; i++) {
      const oi = indices[i] * k;
      for (let j = 0; j <= i; j++) system[i * m + j] = (i === j ? 1 : 0) + s[i] * s[j] * dotAt(yd, oi, g[j], 0, k);
      t[i] = s[i] * dotAt(yd, oi, x, 0, k);
    }
    if (!choleskyFactor(system, m)) return false;
    choleskySolve(system, m, t);
    for (let n = 0; n < m; n++) axpyAt(-s[n] * t[n], g[n], 0, x, k);
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

/**
 * The largest row length for which Woodbury (≈ m²k/2 + m³/6 + 4mk operations) is cheaper than
 * three warm-started CG steps (≈ 4k² + 8mk): 24 for k = 64.
 */
function woodburyBreakEven(k: number): number {
  let m = 0;
  while ((m + 1) ** 2 * k / 2 + (m + 1) ** 3 / 6 + 4 * (m + 1) * k <= 4 * k * k + 8 * (m + 1) * k) m++;
  return m;
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

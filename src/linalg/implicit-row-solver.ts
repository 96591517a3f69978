/**
 * Solves the implicit-feedback least-squares problem of one row against fixed factors Y
 * (n rows × k):
 *
 *   (B + Σᵢ (cᵢ − 1) yᵢ yᵢᵀ) x = Σᵢ cᵢ yᵢ,   B = YᵀY + λI,
 *
 * choosing per row between two methods:
 *  - rows with many non-zeros: conjugate gradient (conjugate-gradient.ts), O(k² + nnz·k) a step;
 *  - rows with few non-zeros (the long tail of items: most tracks have a handful of listeners):
 *    an exact solve by the Woodbury identity with gᵢ = B⁻¹yᵢ,
 *
 *      x = h − B⁻¹ Uᵀ S t,   h = Σ cᵢ gᵢ,   (I + S U B⁻¹ Uᵀ S) t = S U h,   S = diag(√(cᵢ − 1)),
 *
 *    O(m²k/2 + m³/6 + 4mk) for m non-zeros. When the half-step precomputes the metric
 *    M = Y B⁻¹ Yᵀ (n × n, affordable for a few thousand rows — the users of a listening data set),
 *    the m × m system and S U h are gathered from M instead: O(m² + m³/6 + 2mk), which beats
 *    three CG steps' k² products up to m ≈ k. The break-even lengths are woodburyBreakEven's.
 * Both give the least-squares solution (CG up to its step budget).
 *
 * A solver either computes YᵀY, B⁻¹ and the gᵢ itself (fold-in of one history: gᵢ only for the
 * rows it touches) or is handed them by a training half-step, which computes them once and shares
 * them between worker threads (als-training.ts).
 */
import { dot32x64, gram, type DenseMatrix } from "./dense.js";
import { choleskyFactor, choleskySolve } from "./cholesky.js";
import { cgWorkspace, solveImplicitRow, type CgWorkspace } from "./conjugate-gradient.js";

/** Squared residual reduction at which a solve counts as converged. */
const CONVERGED = 1e-12;

/** What a training half-step computes once for all its row solves. */
export interface PrecomputedSystem {
  /** B = YᵀY + λI (k × k). */
  gram: Float64Array;
  /** B⁻¹. */
  inverse: Float64Array;
  /** G = Y B⁻¹ (n × k), the gᵢ of every row; null when no row uses Woodbury. */
  projected: Float32Array | null;
  /** M = Y B⁻¹ Yᵀ (n × n); null when Y has too many rows for it. */
  metric: Float64Array | null;
  /** Rows with at most this many non-zeros use the exact Woodbury solve. */
  woodburyMax: number;
  /** B rounded to float32 for the warm-started CG steps of a sweep (conjugate-gradient.ts); absent: float64. */
  gram32?: Float32Array | null;
}

export class ImplicitRowSolver {
  /** YᵀY + λI. */
  readonly gram: Float64Array;
  private inverse: Float64Array | null;
  private readonly projected: Float32Array | null;
  private readonly metric: Float64Array | null;
  /** gᵢ of the rows fold-ins touched so far, when not precomputed (Y may have 10⁶ rows). */
  private readonly projectedCache = new Map<number, Float32Array>();
  private readonly cg: CgWorkspace;
  private readonly k: number;
  private readonly n: number;
  private readonly y: Float32Array;
  private readonly woodburyMax: number;
  private readonly gram32: Float32Array | null = null;
  // Woodbury scratch, sized for the largest row it takes.
  private readonly system: Float64Array;
  private readonly t: Float64Array;
  private readonly s: Float64Array;
  /** The rows' gᵢ gathered contiguously (m × k). */
  private readonly g: Float64Array;

  /**
   * @param woodburyMax rows with at most this many non-zeros use the exact Woodbury solve.
   * @param yty YᵀY when the caller already has it (a solver per λ over the same Y): copied, not recomputed.
   */
  constructor(y: DenseMatrix<Float32Array>, regularization: number, woodburyMax?: number, yty?: Float64Array);
  /**
   * A solver over the products a training half-step computed once (shared, not copied), with the
   * thread's CG workspace (its kernels, if any, address y, the rows and the system in their memory).
   */
  constructor(y: DenseMatrix<Float32Array>, precomputed: PrecomputedSystem, workspace: CgWorkspace);
  constructor(y: DenseMatrix<Float32Array>, lambdaOrSystem: number | PrecomputedSystem, woodburyMaxOrWorkspace?: number | CgWorkspace, yty?: Float64Array) {
    this.k = y.cols;
    this.n = y.rows;
    this.y = y.data;
    if (typeof lambdaOrSystem === "number") {
      this.gram = yty ? yty.slice() : gram(y);
      for (let f = 0; f < this.k; f++) this.gram[f * this.k + f] += lambdaOrSystem;
      this.inverse = null;
      this.projected = null;
      this.metric = null;
      this.woodburyMax = (woodburyMaxOrWorkspace as number | undefined) ?? woodburyBreakEven(this.k, false);
    } else {
      ({ gram: this.gram, inverse: this.inverse, projected: this.projected, metric: this.metric, woodburyMax: this.woodburyMax } = lambdaOrSystem);
      this.gram32 = lambdaOrSystem.gram32 ?? null;
    }
    const m = this.woodburyMax;
    this.system = new Float64Array(m * m);
    this.t = new Float64Array(m);
    this.s = new Float64Array(m);
    this.g = new Float64Array(m * this.k);
    this.cg = typeof woodburyMaxOrWorkspace === "object" ? woodburyMaxOrWorkspace : cgWorkspace(this.k);
  }

  /**
   * A few warm-started CG steps (training sweeps): `x` is the starting point and is improved in
   * place. Short rows are solved exactly.
   */
  improve(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array, cgSteps: number): void {
    const [idx, conf] = typed(indices, confidence);
    this.improveRange(idx, conf, 0, idx.length, x, cgSteps);
  }

  /** The converged solution into x (fold-in, the final user pass): exact or preconditioned CG. */
  solve(indices: ArrayLike<number>, confidence: ArrayLike<number>, x: Float64Array): void {
    const [idx, conf] = typed(indices, confidence);
    this.solveRange(idx, conf, 0, idx.length, x);
  }

  /** `improve` for the non-zeros start..end of CSR arrays (no per-row allocation). */
  improveRange(indices: Int32Array, confidence: Float32Array, start: number, end: number, x: Float64Array, cgSteps: number): void {
    if (this.tryWoodbury(indices, confidence, start, end, x)) return;
    solveImplicitRow(this.gram, this.y, this.k, indices, confidence, start, end, x, cgSteps, 0, this.cg, null, this.gram32);
  }

  /** `solve` for the non-zeros start..end of CSR arrays. */
  solveRange(indices: Int32Array, confidence: Float32Array, start: number, end: number, x: Float64Array): void {
    if (this.tryWoodbury(indices, confidence, start, end, x)) return;
    solveImplicitRow(this.gram, this.y, this.k, indices, confidence, start, end, x, 4 * this.k, CONVERGED, this.cg, this.inverseOfGram());
  }

  private inverseOfGram(): Float64Array {
    return (this.inverse ??= invertSpd(this.gram, this.k));
  }

  private tryWoodbury(indices: Int32Array, confidence: Float32Array, start: number, end: number, x: Float64Array): boolean {
    if (end - start > this.woodburyMax) return false;
    for (let p = start; p < end; p++) if (!(confidence[p] >= 1)) return false;
    return this.woodbury(indices, confidence, start, end, x);
  }

  /** Exact solve into x; false (x unusable) if the small system is numerically not SPD. */
  private woodbury(indices: Int32Array, confidence: Float32Array, start: number, end: number, x: Float64Array): boolean {
    const k = this.k;
    const m = end - start;
    const { s, t, system, y, metric, n } = this;
    // With the metric the gᵢ are only summed: read in place from G, else gathered contiguously.
    const inPlace = metric !== null && this.projected !== null;
    const g = inPlace ? this.projected! : this.gatherProjected(indices, start, end);
    const gRow = inPlace ? (a: number) => indices[start + a] * k : (a: number) => a * k;
    // The k-length sums over G's rows by the kernel when G and the row live in its memory.
    const { kernels, coef } = this.cg;
    const simd = kernels !== null && coef !== undefined && this.projected !== null && m <= coef.length;
    const idxAddress = indices.byteOffset + start * Int32Array.BYTES_PER_ELEMENT;
    // h = B⁻¹ b = Σ cᵢ gᵢ
    x.fill(0);
    if (simd) {
      for (let a = 0; a < m; a++) coef[a] = confidence[start + a];
      kernels.rowsAxpy64(this.projected!.byteOffset, k, idxAddress, coef.byteOffset, m, x.byteOffset);
    } else {
      for (let a = 0; a < m; a++) {
        const c = confidence[start + a];
        const o = gRow(a);
        for (let f = 0; f < k; f++) x[f] += c * g[o + f];
      }
    }
    if (m === 0) return true;
    for (let a = 0; a < m; a++) s[a] = Math.sqrt(confidence[start + a] - 1);
    if (metric) {
      // yᵢᵀgⱼ = M[i, j] and yᵢᵀh = Σⱼ cⱼ M[i, j]: no k-length products at all.
      for (let a = 0; a < m; a++) {
        const row = indices[start + a] * n;
        let th = 0;
        for (let b = 0; b < m; b++) {
          const mij = metric[row + indices[start + b]];
          th += confidence[start + b] * mij;
          if (b <= a) system[a * m + b] = (a === b ? 1 : 0) + s[a] * s[b] * mij;
        }
        t[a] = s[a] * th;
      }
    } else {
      for (let a = 0; a < m; a++) {
        const oy = indices[start + a] * k;
        for (let b = 0; b <= a; b++) system[a * m + b] = (a === b ? 1 : 0) + s[a] * s[b] * dot32x64(y, oy, g as Float64Array, b * k, k);
        t[a] = s[a] * dot32x64(y, oy, x, 0, k);
      }
    }
    if (!choleskyFactor(system, m)) return false;
    choleskySolve(system, m, t);
    if (simd) {
      for (let a = 0; a < m; a++) coef[a] = -s[a] * t[a];
      kernels.rowsAxpy64(this.projected!.byteOffset, k, idxAddress, coef.byteOffset, m, x.byteOffset);
      return true;
    }
    for (let a = 0; a < m; a++) {
      const c = -s[a] * t[a];
      const o = gRow(a);
      for (let f = 0; f < k; f++) x[f] += c * g[o + f];
    }
    return true;
  }

  /** gᵢ of the row's non-zeros into `g` (m × k), from the precomputed G or computed (and cached) here. */
  private gatherProjected(indices: Int32Array, start: number, end: number): Float64Array {
    const k = this.k;
    const g = this.g;
    for (let a = 0; a < end - start; a++) {
      const row = indices[start + a];
      const source = this.projected ?? this.projectedRow(row);
      const so = this.projected ? row * k : 0;
      const o = a * k;
      for (let f = 0; f < k; f++) g[o + f] = source[so + f];
    }
    return g;
  }

  private projectedRow(row: number): Float32Array {
    let g = this.projectedCache.get(row);
    if (g) return g;
    g = new Float32Array(this.k);
    projectRows(this.y, this.inverseOfGram(), this.k, row, row + 1, g, -row);
    this.projectedCache.set(row, g);
    return g;
  }
}

/** out[(r + shift)·k + i] = Σⱼ B⁻¹[i, j] y[r·k + j] for rows r in start..end: rows of G = Y B⁻¹ (B⁻¹ symmetric). */
export function projectRows(y: Float32Array, inverse: Float64Array, k: number, start: number, end: number, out: Float32Array, shift = 0): void {
  for (let r = start; r < end; r++) {
    const o = r * k;
    const oo = (r + shift) * k;
    for (let i = 0; i < k; i++) out[oo + i] = dot32x64(y, o, inverse, i * k, k);
  }
}

/**
 * The largest row length for which Woodbury is cheaper than three warm-started CG steps
 * (≈ 4k² + 8mk): ≈ m²k/2 + m³/6 + 4mk operations computing the m × m system from k-length
 * products (24 for k = 64), ≈ m² + m³/6 + 2mk gathering it from a precomputed metric (61 for
 * k = 64). `cgSpeedup`: how many times faster CG's operations run than Woodbury's (8 when CG's
 * passes are the WebAssembly SIMD kernels and Woodbury's small dense algebra is scalar TypeScript).
 */
export function woodburyBreakEven(k: number, withMetric: boolean, cgSpeedup = 1): number {
  const cost = (m: number) => (withMetric ? m * m + m ** 3 / 6 + 2 * m * k : (m * m * k) / 2 + m ** 3 / 6 + 4 * m * k);
  let m = 0;
  while (cgSpeedup * cost(m + 1) <= 4 * k * k + 8 * (m + 1) * k) m++;
  return m;
}

function typed(indices: ArrayLike<number>, confidence: ArrayLike<number>): [Int32Array, Float32Array] {
  return [indices instanceof Int32Array ? indices : Int32Array.from(indices), confidence instanceof Float32Array ? confidence : Float32Array.from(confidence)];
}

export function invertSpd(m: Float64Array, k: number): Float64Array {
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

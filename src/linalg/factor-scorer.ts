/**
 * Y·x for many x against one factor matrix Y (items × k): every item's score for user after user,
 * as the hybrid's weight tuning needs for a thousand validation users. Y is copied once into a
 * WebAssembly memory and multiplied by a SIMD kernel (wasm/implicit-kernels.wat) for up to BATCH
 * users per pass over Y: a large catalogue's factors do not fit in cache, and one pass per user
 * would be bound by memory bandwidth. Serving scores one listener at a time (scoresInto, four
 * items per pass of its kernel) and explains a recommendation by dot products with the listener's
 * items (dots). Float32 sums, which rank items as the float64 loop does up to ties.
 */
import type { DenseMatrix } from "./dense.js";
import { Arena, ArenaSize } from "./arena.js";
import { instantiateKernels, kernelsAvailable, type ImplicitKernels } from "./wasm/implicit-kernels.js";

/** Users scored per pass over Y. */
export const BATCH = 32;
/** Rows per call of `dots` (longer lists go in several calls). */
const DOT_CHUNK = 1024;

export class FactorScorer {
  private constructor(
    private readonly kernels: ImplicitKernels,
    private readonly y: DenseMatrix<Float32Array>,
    private readonly x: Float32Array,
    private readonly out: Float32Array,
    private readonly dotRows: Int32Array,
    private readonly dotOut: Float32Array,
  ) {}

  /** A scorer for Y, or null where the kernels cannot run (k not a multiple of 4, no WebAssembly SIMD). */
  static for(y: DenseMatrix<Float32Array>): FactorScorer | null {
    if (y.cols % 4 !== 0 || !kernelsAvailable()) return null;
    const size = new ArenaSize().add(4, y.rows * y.cols).add(4, BATCH * y.cols).add(4, BATCH * y.rows).add(4, DOT_CHUNK).add(4, DOT_CHUNK);
    const arena = Arena.wasm(size.bytes);
    if (!arena?.memory) return null;
    const data = arena.copyOf(y.data);
    return new FactorScorer(
      instantiateKernels(arena.memory),
      { rows: y.rows, cols: y.cols, data },
      arena.alloc(Float32Array, BATCH * y.cols),
      arena.alloc(Float32Array, BATCH * y.rows),
      arena.alloc(Int32Array, DOT_CHUNK),
      arena.alloc(Float32Array, DOT_CHUNK),
    );
  }

  /** out[j] = Y[rows[j]] · Y[item] (float32 sums): one recommended item against a listener's items. */
  dots(rows: ArrayLike<number>, item: number, out: Float32Array): Float32Array {
    const { cols: k, data } = this.y;
    const itemRow = data.byteOffset + item * k * Float32Array.BYTES_PER_ELEMENT;
    for (let start = 0; start < rows.length; start += DOT_CHUNK) {
      const count = Math.min(DOT_CHUNK, rows.length - start);
      for (let j = 0; j < count; j++) this.dotRows[j] = rows[start + j];
      this.kernels.gatherDots32(data.byteOffset, k, this.dotRows.byteOffset, count, itemRow, this.dotOut.byteOffset);
      out.set(this.dotOut.subarray(0, count), start);
    }
    return out;
  }

  /** Y·x for one x into `out` (a request's scores; `out` outside the WebAssembly memory). */
  scoresInto(x: ArrayLike<number>, out: Float32Array): Float32Array {
    const { rows, cols: k, data } = this.y;
    this.x.set(x);
    this.kernels.matVec32(data.byteOffset, rows, k, this.x.byteOffset, this.out.byteOffset);
    out.set(this.out.subarray(0, rows));
    return out;
  }

  /** Y·x for each x (new arrays). */
  scores(xs: readonly ArrayLike<number>[]): Float32Array[] {
    const results: Float32Array[] = [];
    for (let start = 0; start < xs.length; start += BATCH) for (const view of this.scoreBatch(xs.slice(start, start + BATCH))) results.push(view.slice());
    return results;
  }

  /**
   * Y·x for up to BATCH x in one pass over Y, as views of the scorer's own output: valid until its
   * next call (no copy of items × BATCH floats when the caller only reads them).
   */
  scoreBatch(xs: readonly ArrayLike<number>[]): Float32Array[] {
    if (xs.length > BATCH) throw new Error(`FactorScorer scores at most ${BATCH} vectors a pass, got ${xs.length}`);
    const { rows, cols: k, data } = this.y;
    xs.forEach((x, b) => this.x.set(x, b * k));
    this.kernels.matMat32(data.byteOffset, rows, k, this.x.byteOffset, xs.length, this.out.byteOffset);
    return xs.map((_, b) => this.out.subarray(b * rows, (b + 1) * rows));
  }
}

/**
 * Y·x for many x against one factor matrix Y (items × k): every item's score for user after user,
 * as the hybrid's weight tuning needs for a thousand validation users. Y is copied once into a
 * WebAssembly memory and multiplied by the SIMD kernel (wasm/implicit-kernels.wat), about four
 * times the scalar loop; float32 sums, which rank items as the float64 loop does up to ties.
 */
import type { DenseMatrix } from "./dense.js";
import { Arena, ArenaSize } from "./arena.js";
import { instantiateKernels, kernelsAvailable, type ImplicitKernels } from "./wasm/implicit-kernels.js";

export class FactorScorer {
  private constructor(
    private readonly kernels: ImplicitKernels,
    private readonly y: Float32Array,
    private readonly x: Float32Array,
    private readonly out: Float32Array,
    private readonly rows: number,
  ) {}

  /** A scorer for Y, or null where the kernels cannot run (k not a multiple of 4, no WebAssembly SIMD). */
  static for(y: DenseMatrix<Float32Array>): FactorScorer | null {
    if (y.cols % 4 !== 0 || !kernelsAvailable()) return null;
    const arena = Arena.wasm(new ArenaSize().add(4, y.rows * y.cols).add(4, y.cols).add(4, y.rows).bytes);
    if (!arena?.memory) return null;
    const data = arena.copyOf(y.data);
    return new FactorScorer(instantiateKernels(arena.memory), data, arena.alloc(Float32Array, y.cols), arena.alloc(Float32Array, y.rows), y.rows);
  }

  /** Y·x, a new array. */
  scores(x: ArrayLike<number>): Float32Array {
    this.x.set(x);
    this.kernels.matVec32(this.y.byteOffset, this.rows, this.x.length, this.x.byteOffset, this.out.byteOffset);
    return this.out.slice();
  }
}

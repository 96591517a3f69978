/**
 * G = X·Xᵀ of a sparse matrix X (rows × cols), kept dense in float32. For the content model X's
 * rows are unit TF-IDF vectors, so G is the item × item cosine matrix.
 *
 * Why: a listener's content scores are Σⱼ wⱼ G[iⱼ] over their history items iⱼ. From X alone that
 * is two sparse passes, the second touching every item that shares a term with the history (on
 * HetRec's 2,823 served artists ≈ 48,000 scattered multiply-adds a request, ≈ 0.13 ms). From G it
 * is one SIMD pass over the history's rows (2,823 floats each; wasm/implicit-kernels.wat
 * combineRows32), and a reason's cosine is one read.
 *
 * Cost: 4·rows² bytes (rows padded to a multiple of 4 floats), so only for small catalogues, and
 * Σ_t nnz(column t)² multiply-adds to build (HetRec: 18 M, ≈ 90 ms). Each row is summed in float64
 * over X's terms in ascending column order, as the sparse pass sums, then rounded to float32.
 */
import { CsrMatrix } from "../data/csr.js";
import { Arena, ArenaSize } from "./arena.js";
import { instantiateKernels, kernelsAvailable, type ImplicitKernels } from "./wasm/implicit-kernels.js";

/** History rows handed to the kernel per call (longer histories go in several calls). */
const CHUNK = 1024;
/** Rows built between two pauses of an asynchronous build (≈ 5 ms on HetRec). */
const ROWS_PER_SLICE = 160;

type SparseRows = Pick<CsrMatrix, "rows" | "cols" | "indptr" | "indices" | "data">;

export class DenseGram {
  /** Floats from one row to the next (rows padded to a multiple of 4 for the SIMD kernel). */
  readonly stride: number;

  private constructor(
    readonly rows: number,
    private readonly data: Float32Array,
    private readonly kernels: ImplicitKernels | null,
    private readonly idx: Int32Array,
    private readonly weights: Float32Array,
    private readonly sums: Float32Array,
  ) {
    this.stride = sums.length;
  }

  /** G of X, built at once; `simd` false takes the scalar loop where the kernels would run. */
  static of(x: SparseRows, simd = kernelsAvailable()): DenseGram {
    const building = DenseGram.building(x, simd);
    let step = building.next();
    while (!step.done) step = building.next();
    return step.value;
  }

  /** G of X built in slices, awaiting `pause()` between them (a server keeps answering meanwhile). */
  static async build(x: SparseRows, pause: () => Promise<void>): Promise<DenseGram> {
    const building = DenseGram.building(x, kernelsAvailable());
    let step = building.next();
    while (!step.done) {
      await pause();
      step = building.next();
    }
    return step.value;
  }

  private static *building(x: SparseRows, useKernels: boolean): Generator<void, DenseGram, void> {
    const n = x.rows;
    const stride = paddedLength(n);
    const size = new ArenaSize().add(4, n * stride).add(4, CHUNK).add(4, CHUNK).add(4, stride);
    const arena = (useKernels ? Arena.wasm(size.bytes) : null) ?? Arena.separate(false);
    const data = arena.alloc(Float32Array, n * stride);
    const gram = new DenseGram(
      n,
      data,
      arena.memory ? instantiateKernels(arena.memory) : null,
      arena.alloc(Int32Array, CHUNK),
      arena.alloc(Float32Array, CHUNK),
      arena.alloc(Float32Array, stride),
    );
    const columns = x instanceof CsrMatrix ? x.transpose() : new CsrMatrix(x.rows, x.cols, x.indptr, x.indices, x.data).transpose();
    const { indptr, indices, data: values } = x;
    const { indptr: colStart, indices: colRows, data: colValues } = columns;
    const sums = new Float64Array(n);
    for (let row = 0; row < n; row++) {
      sums.fill(0);
      for (let p = indptr[row], end = indptr[row + 1]; p < end; p++) {
        const term = indices[p];
        const v = values[p];
        for (let q = colStart[term], last = colStart[term + 1]; q < last; q++) sums[colRows[q]] += v * colValues[q];
      }
      data.set(sums, row * stride);
      if ((row + 1) % ROWS_PER_SLICE === 0) yield;
    }
    return gram;
  }

  /** Row `i` of G (a view: read it, do not keep it past a change of the model). */
  row(i: number): Float32Array {
    return this.data.subarray(i * this.stride, i * this.stride + this.rows);
  }

  /** out = Σⱼ weights[j] · G[items[j]] (float32 sums; `out` has one entry per row of G). */
  combineRows(items: ArrayLike<number>, weights: ArrayLike<number>, out: Float32Array): Float32Array {
    const { sums, idx, kernels, stride } = this;
    sums.fill(0);
    for (let start = 0; start < items.length; start += CHUNK) {
      const count = Math.min(CHUNK, items.length - start);
      for (let j = 0; j < count; j++) {
        idx[j] = items[start + j];
        this.weights[j] = weights[start + j];
      }
      if (kernels) kernels.combineRows32(this.data.byteOffset, stride, idx.byteOffset, this.weights.byteOffset, count, sums.byteOffset);
      else this.combineRowsScalar(count);
    }
    out.set(sums.subarray(0, this.rows));
    return out;
  }

  /** combineRows32's arithmetic where WebAssembly SIMD cannot run: two rows per pass, (w0·r0 + w1·r1) added. */
  private combineRowsScalar(count: number): void {
    const { sums, idx, weights, data, stride, rows } = this;
    let j = 0;
    for (; j + 1 < count; j += 2) {
      const r0 = idx[j] * stride;
      const r1 = idx[j + 1] * stride;
      const c0 = weights[j];
      const c1 = weights[j + 1];
      for (let f = 0; f < rows; f++) sums[f] += Math.fround(Math.fround(c0 * data[r0 + f]) + Math.fround(c1 * data[r1 + f]));
    }
    if (j < count) {
      const r0 = idx[j] * stride;
      const c0 = weights[j];
      for (let f = 0; f < rows; f++) sums[f] += Math.fround(c0 * data[r0 + f]);
    }
  }
}

function paddedLength(n: number): number {
  return Math.ceil(n / 4) * 4;
}

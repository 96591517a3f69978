/**
 * The WebAssembly SIMD kernels of the ALS row solves (implicit-kernels.wat), instantiated over a
 * memory that holds the factors, the confidences and each thread's vectors. Addresses passed to
 * them are the byteOffsets of typed arrays viewing that memory.
 */
import { IMPLICIT_KERNELS_WASM } from "./implicit-kernels-wasm.js";

export interface ImplicitKernels {
  /**
   * out += Σₙ (s0·cₙ + s1·(cₙ − 1)·(yₙ·v)) yₙ over non-zeros start..end (v float32, out float64);
   * sums32 1: each group of four non-zeros summed in float32 before it is added (training sweeps).
   */
  implicitPass(y: number, k: number, indices: number, confidence: number, start: number, end: number, v: number, out: number, s0: number, s1: number, sums32: number): void;
  /** out += Σⱼ coef[j] · g[idx[j]] for j < count (float32 rows of k, k a multiple of 4; float64 coef and out). */
  rowsAxpy64(g: number, k: number, idx: number, coef: number, count: number, out: number): void;
  /** out = A v for a k × k float64 A. */
  matVec64(a: number, v: number, out: number, k: number): void;
  /** out (float64) = A v for a k × k float32 A and float32 v, k a multiple of 4. */
  matVec32to64(a: number, v: number, out: number, k: number): void;
  /** out[b·rows + r] = y[r] · x[b] for `count` vectors x (float32): many users' scores from one pass over y. */
  matMat32(y: number, rows: number, k: number, x: number, count: number, out: number): void;
  /** out[r] = y[r] · x for every row of y (float32): one listener's scores. */
  matVec32(y: number, rows: number, k: number, x: number, out: number): void;
  /** out[j] = y[idx[j]] · x for j < count (float32, x an address in the same memory). */
  gatherDots32(y: number, k: number, idx: number, count: number, x: number, out: number): void;
  /** out[f] += Σⱼ w[j] · a[idx[j]·stride + f] for f < stride (float32, stride a multiple of 4): a weighted sum of `count` scattered rows. */
  combineRows32(a: number, stride: number, idx: number, w: number, count: number, out: number): void;
  /** out (k × k float64) += the upper triangle of Σ yᵣ yᵣᵀ, rows start..end, end − start a multiple of 4 (entries left of the diagonal get junk). */
  gramQuads(y: number, k: number, start: number, end: number, out: number): void;
}

let compiled: WebAssembly.Module | null = null;

/** Whether this runtime runs the kernels (WebAssembly SIMD and threads; Node ≥ 16.4). */
export function kernelsAvailable(): boolean {
  try {
    return WebAssembly.validate(Buffer.from(IMPLICIT_KERNELS_WASM, "base64")) && typeof SharedArrayBuffer === "function";
  } catch {
    return false;
  }
}

/** The kernels over `memory` (a shared WebAssembly.Memory, or a plain one for a single thread). */
export function instantiateKernels(memory: WebAssembly.Memory): ImplicitKernels {
  compiled ??= new WebAssembly.Module(Buffer.from(IMPLICIT_KERNELS_WASM, "base64"));
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as ImplicitKernels;
}

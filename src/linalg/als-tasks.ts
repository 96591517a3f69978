/**
 * The data-parallel pieces of one ALS half-step, run by every worker thread at once (or inline
 * when training on one thread) over SharedArrayBuffer memory. Work is split in fixed units —
 * blocks of GRAM_BLOCK rows for YᵀY, chunks of rows otherwise — claimed from a shared counter, so
 * threads balance themselves. No unit's result depends on which thread ran it, and the YᵀY
 * blocks are summed in block order afterwards: training is bit-for-bit the same on any number
 * of threads.
 */
import type { CgWorkspace } from "./conjugate-gradient.js";
import { addGramUpper, dot32x64 } from "./dense.js";
import { ImplicitRowSolver, projectRows, type PrecomputedSystem } from "./implicit-row-solver.js";
import { instantiateKernels, type ImplicitKernels } from "./wasm/implicit-kernels.js";

/** Rows per partial YᵀY (a fixed unit, so the summation order does not depend on the thread count). */
export const GRAM_BLOCK = 4096;

/** Rows of a matrix in CSR form over shared memory (the confidences of a half-step). */
export interface SharedCsr {
  rows: number;
  indptr: Int32Array;
  indices: Int32Array;
  data: Float32Array;
}

/** One thread's vectors, in the arena (so the kernels can address them). */
export interface ThreadScratch {
  x: Float64Array;
  r: Float64Array;
  z: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  v32: Float32Array;
  /** The Woodbury solves' coefficients (as long as the longest row they take). */
  coef: Float64Array;
}

interface TaskBase {
  /** The memory every array of the task lives in when the WebAssembly kernels run; `id` names it. */
  arena: { id: number; memory: WebAssembly.Memory | null };
  /** Per thread, by index. */
  scratch: ThreadScratch[];
  /** Shared: [0] counts the work units claimed so far. */
  counter: Int32Array;
  /** Fixed factors Y (rows × k). */
  y: Float32Array;
  rows: number;
  k: number;
}

/** Partial upper-triangle YᵀY of every GRAM_BLOCK rows into blocks[b·k² …]. */
export interface GramTask extends TaskBase {
  kind: "gram";
  blocks: Float64Array;
}

/** G = Y B⁻¹ into `out` (rows × k), `chunk` rows at a time. */
export interface ProjectTask extends TaskBase {
  kind: "project";
  inverse: Float64Array;
  out: Float32Array;
  chunk: number;
}

/** M = Y B⁻¹ Yᵀ into `out` (rows × rows), `chunk` rows at a time. */
export interface MetricTask extends TaskBase {
  kind: "metric";
  inverse: Float64Array;
  out: Float64Array;
  chunk: number;
}

/** Every row of `matrix` re-solved into `target` against Y, `chunk` rows at a time. */
export interface SolveTask extends TaskBase {
  kind: "solve";
  matrix: SharedCsr;
  target: Float32Array;
  system: PrecomputedSystem;
  /** CG steps per row, or 0 to solve to convergence. */
  cgSteps: number;
  chunk: number;
}

export type AlsTask = GramTask | ProjectTask | MetricTask | SolveTask;

let kernelsOf: { id: number; kernels: ImplicitKernels | null } | null = null;

/** Does the share of `task` of thread number `thread`. */
export function runAlsTask(task: AlsTask, thread: number): void {
  if (kernelsOf?.id !== task.arena.id) kernelsOf = { id: task.arena.id, kernels: task.arena.memory ? instantiateKernels(task.arena.memory) : null };
  const units = task.kind === "gram" ? Math.ceil(task.rows / GRAM_BLOCK) : Math.ceil((task.kind === "solve" ? task.matrix.rows : task.rows) / task.chunk);
  const solve = task.kind === "solve" ? rowSolver(task, task.scratch[thread], kernelsOf.kernels) : null;
  for (let unit = Atomics.add(task.counter, 0, 1); unit < units; unit = Atomics.add(task.counter, 0, 1)) {
    switch (task.kind) {
      case "gram": {
        const kk = task.k * task.k;
        const out = task.blocks.subarray(unit * kk, (unit + 1) * kk);
        out.fill(0);
        const start = unit * GRAM_BLOCK;
        const end = Math.min(task.rows, (unit + 1) * GRAM_BLOCK);
        const quads = kernelsOf.kernels ? start + ((end - start) & ~3) : start;
        if (quads > start) kernelsOf.kernels!.gramQuads(task.y.byteOffset, task.k, start, quads, out.byteOffset);
        addGramUpper(task.y, task.k, quads, end, out);
        break;
      }
      case "project":
        projectRows(task.y, task.inverse, task.k, unit * task.chunk, Math.min(task.rows, (unit + 1) * task.chunk), task.out);
        break;
      case "metric":
        metricRows(task, unit * task.chunk, Math.min(task.rows, (unit + 1) * task.chunk));
        break;
      case "solve":
        solve!(unit * task.chunk, Math.min(task.matrix.rows, (unit + 1) * task.chunk));
        break;
    }
  }
}

/** Rows start..end of M: M[i, j] = gᵢ · yⱼ with gᵢ = B⁻¹yᵢ in float64. */
function metricRows(task: MetricTask, start: number, end: number): void {
  const { k, rows, y, inverse, out } = task;
  const g = new Float64Array(k);
  for (let i = start; i < end; i++) {
    for (let f = 0; f < k; f++) g[f] = dot32x64(y, i * k, inverse, f * k, k);
    const o = i * rows;
    for (let j = 0; j < rows; j++) out[o + j] = dot32x64(y, j * k, g, 0, k);
  }
}

function rowSolver(task: SolveTask, scratch: ThreadScratch, kernels: ImplicitKernels | null): (start: number, end: number) => void {
  const { k, matrix, target, cgSteps } = task;
  const { indptr, indices, data } = matrix;
  const { x, r, z, p, ap, v32, coef } = scratch;
  const workspace: CgWorkspace = { r, z, p, ap, v32, kernels, coef };
  const solver = new ImplicitRowSolver({ rows: task.rows, cols: k, data: task.y }, task.system, workspace);
  return (start, end) => {
    for (let row = start; row < end; row++) {
      const o = row * k;
      for (let f = 0; f < k; f++) x[f] = target[o + f];
      if (cgSteps > 0) solver.improveRange(indices, data, indptr[row], indptr[row + 1], x, cgSteps);
      else solver.solveRange(indices, data, indptr[row], indptr[row + 1], x);
      for (let f = 0; f < k; f++) target[o + f] = x[f];
    }
  };
}

/**
 * Alternating least squares for implicit feedback on every core: the user half-step re-solves
 * each user's row against fixed item factors, the item half-step each item's against fixed user
 * factors, and rows within a half-step are independent — so worker threads share the factor
 * matrices, the confidence matrices and the per-half-step products through SharedArrayBuffer
 * memory and split the rows between them (als-tasks.ts).
 *
 * Per half-step, against fixed Y (n × k) and for R rows with m non-zeros each:
 *  - B = YᵀY + λI once (n·k²/2, in parallel blocks) and B⁻¹ (k³, on the main thread);
 *  - if short rows make the Woodbury solve worth it, G = Y B⁻¹ (n·k²) and, for small n (a data
 *    set's users), M = Y B⁻¹ Yᵀ (n²·k) — chosen by the cost model in `planHalfStep`;
 *  - every row: a few warm-started CG steps, O(k² + m·k) each, or the exact Woodbury solve.
 * The result does not depend on the number of threads (als-tasks.ts).
 */
import type { CsrMatrix } from "../data/csr.js";
import { WorkerPool } from "../util/worker-pool.js";
import { GRAM_BLOCK, runAlsTask, type AlsTask, type SharedCsr, type ThreadScratch } from "./als-tasks.js";
import { Arena, ArenaSize } from "./arena.js";
import { kernelsAvailable } from "./wasm/implicit-kernels.js";
import { mirrorUpper } from "./dense.js";
import { invertSpd, woodburyBreakEven, type PrecomputedSystem } from "./implicit-row-solver.js";

/** The largest n for which M = Y B⁻¹ Yᵀ (n² float64) is kept: 128 MB. */
const METRIC_MAX_ROWS = 4096;
/**
 * How many times faster the WebAssembly kernels run CG's operations than scalar code runs
 * Woodbury's: at LFM-1K size the item half-step was fastest with Woodbury up to 8–16 listeners,
 * which this gives (17 for k = 64).
 */
export const KERNEL_SPEEDUP = 8;
/** Work units per task and thread, so threads that finish early take over the rest. */
const UNITS_PER_THREAD = 64;

/**
 * Below this many multiply-adds per sweep (nnz·k) a thread's share is not worth starting a
 * worker for (≈ 50 ms each): the data sets of a few thousand plays train inline.
 */
const MIN_PARALLEL_WORK = 2_000_000;

/** `available` threads, or 1 when the problem is too small to gain from more. */
export function threadsFor(nnz: number, k: number, available: number): number {
  return nnz * k < MIN_PARALLEL_WORK ? 1 : available;
}

export interface AlsTrainingInput {
  /** Confidences, users × items, and the same transposed. */
  userItems: CsrMatrix;
  itemUsers: CsrMatrix;
  /** Initial factors (users × k, items × k). */
  users: Float32Array;
  items: Float32Array;
  k: number;
  regularization: number;
  iterations: number;
  /** CG steps per row and sweep. */
  cgSteps: number;
  threads: number;
  onIteration?: (done: number) => void;
}

export interface AlsTrainingResult {
  users: Float32Array;
  items: Float32Array;
  /** YᵀY of the final item factors (without λ), for fold-in solvers. */
  itemGram: Float64Array;
}

/**
 * `iterations` sweeps (users, then items), then the users solved once more to convergence
 * against the final item factors.
 */
export async function trainAls(input: AlsTrainingInput): Promise<AlsTrainingResult> {
  const trainer = new AlsTrainer(input);
  try {
    for (let it = 0; it < input.iterations; it++) {
      await trainer.halfStep("users", input.cgSteps);
      await trainer.halfStep("items", input.cgSteps);
      input.onIteration?.(it + 1);
    }
    const itemGram = await trainer.halfStep("users", 0);
    return { users: trainer.users.slice(), items: trainer.items.slice(), itemGram };
  } finally {
    await trainer.close();
  }
}

interface Plan {
  woodburyMax: number;
  projected: boolean;
  metric: boolean;
}

type Side = "users" | "items";

let arenaIds = 0;

class AlsTrainer {
  readonly users: Float32Array;
  readonly items: Float32Array;
  private readonly userItems: SharedCsr;
  private readonly itemUsers: SharedCsr;
  private readonly arena: Arena;
  private readonly arenaId = ++arenaIds;
  private readonly pool: WorkerPool<AlsTask> | null;
  private readonly counter: Int32Array;
  private readonly gramBlocks: Float64Array;
  private readonly gram: Float64Array;
  private readonly inverse: Float64Array;
  /** B in float32 for the sweeps' CG steps. */
  private readonly gram32: Float32Array;
  private readonly scratch: ThreadScratch[];
  private readonly plans: Record<"users:warm" | "items:warm" | "users:converged", Plan>;
  private readonly projected: Float32Array;
  private readonly metric: Float64Array;

  constructor(private readonly input: AlsTrainingInput) {
    const { k, threads, userItems, itemUsers } = input;
    const shared = threads > 1;
    const nUsers = userItems.rows;
    const nItems = userItems.cols;
    // Against items for the user half-steps, against users for the item half-steps.
    // The kernels take rows of whole float32x4 lanes.
    const kernels = k % 4 === 0 && kernelsAvailable();
    const cgSpeedup = kernels ? KERNEL_SPEEDUP : 1;
    this.plans = {
      "users:warm": planHalfStep(userItems.indptr, nItems, k, true, cgSpeedup),
      "items:warm": planHalfStep(itemUsers.indptr, nUsers, k, true, cgSpeedup),
      "users:converged": planHalfStep(userItems.indptr, nItems, k, false, cgSpeedup),
    };
    const plans = [
      { plan: this.plans["users:warm"], rows: nItems },
      { plan: this.plans["items:warm"], rows: nUsers },
      { plan: this.plans["users:converged"], rows: nItems },
    ];
    const projectedRows = Math.max(0, ...plans.filter((p) => p.plan.projected).map((p) => p.rows));
    const metricRows = Math.max(0, ...plans.filter((p) => p.plan.metric).map((p) => p.rows));
    const blocks = Math.ceil(Math.max(nUsers, nItems) / GRAM_BLOCK);

    const size = new ArenaSize()
      .add(4, (nUsers + nItems) * k)
      .add(4, 2 * (nUsers + nItems + 2))
      .add(4, 4 * userItems.nnz)
      .add(4, 1)
      .add(8, (blocks + 2) * k * k)
      .add(4, k * k)
      .add(4, projectedRows * k)
      .add(8, metricRows * metricRows);
    const woodburyRows = Math.max(1, ...Object.values(this.plans).map((plan) => plan.woodburyMax));
    for (let t = 0; t < threads; t++) size.add(8, 5 * k).add(4, k).add(8, woodburyRows);
    const wasm = kernels ? Arena.wasm(size.bytes) : null;
    this.arena = wasm ?? Arena.separate(shared);

    this.users = this.arena.copyOf(input.users);
    this.items = this.arena.copyOf(input.items);
    this.userItems = this.csr(userItems);
    this.itemUsers = this.csr(itemUsers);
    this.counter = this.arena.alloc(Int32Array, 1);
    this.gramBlocks = this.arena.alloc(Float64Array, blocks * k * k);
    this.gram = this.arena.alloc(Float64Array, k * k);
    this.inverse = this.arena.alloc(Float64Array, k * k);
    this.gram32 = this.arena.alloc(Float32Array, k * k);
    this.projected = this.arena.alloc(Float32Array, projectedRows * k);
    this.metric = this.arena.alloc(Float64Array, metricRows * metricRows);
    this.scratch = Array.from({ length: threads }, () => ({
      x: this.arena.alloc(Float64Array, k),
      r: this.arena.alloc(Float64Array, k),
      z: this.arena.alloc(Float64Array, k),
      p: this.arena.alloc(Float64Array, k),
      ap: this.arena.alloc(Float64Array, k),
      v32: this.arena.alloc(Float32Array, k),
      coef: this.arena.alloc(Float64Array, woodburyRows),
    }));
    this.pool = shared ? new WorkerPool<AlsTask>(import.meta.url, "als-worker", threads) : null;
  }

  /** Whether the WebAssembly kernels run the row passes (else plain TypeScript loops). */
  get usesKernels(): boolean {
    return this.arena.memory !== null;
  }

  /**
   * Re-solves every row of `side` against the other side's fixed factors: `cgSteps` CG steps per
   * row, or to convergence with 0. Returns YᵀY of the fixed factors.
   */
  async halfStep(side: Side, cgSteps: number): Promise<Float64Array> {
    const { k, regularization } = this.input;
    const [matrix, target, y] = side === "users" ? [this.userItems, this.users, this.items] : [this.itemUsers, this.items, this.users];
    const rows = y.length / k;
    const base = { y, rows, k, counter: this.counter, arena: { id: this.arenaId, memory: this.arena.memory }, scratch: this.scratch };
    const chunkOf = (n: number) => Math.max(1, Math.ceil(n / (this.scratch.length * UNITS_PER_THREAD)));

    await this.run({ ...base, kind: "gram", blocks: this.gramBlocks });
    const yty = new Float64Array(k * k);
    for (let b = 0; b < Math.ceil(rows / GRAM_BLOCK); b++) {
      const block = this.gramBlocks.subarray(b * k * k, (b + 1) * k * k);
      for (let i = 0; i < k * k; i++) yty[i] += block[i];
    }
    mirrorUpper(yty, k);
    const { gram, inverse } = this;
    gram.set(yty);
    for (let f = 0; f < k; f++) gram[f * k + f] += regularization;
    inverse.set(invertSpd(gram, k));

    const plan = this.plans[side === "items" ? "items:warm" : cgSteps > 0 ? "users:warm" : "users:converged"];
    const projected = plan.projected ? this.projected.subarray(0, rows * k) : null;
    const metric = plan.metric ? this.metric.subarray(0, rows * rows) : null;
    if (projected) await this.run({ ...base, kind: "project", inverse, out: projected, chunk: chunkOf(rows) });
    if (metric) await this.run({ ...base, kind: "metric", inverse, out: metric, chunk: chunkOf(rows) });
    this.gram32.set(gram);
    // Sweeps take their few CG steps with B in float32; the final, converged pass keeps float64.
    const gram32 = cgSteps > 0 ? this.gram32 : null;
    const system: PrecomputedSystem = { gram, inverse, projected, metric, woodburyMax: plan.woodburyMax, gram32 };
    await this.run({ ...base, kind: "solve", matrix, target, system, cgSteps, chunk: chunkOf(matrix.rows) });
    return yty;
  }

  async close(): Promise<void> {
    await this.pool?.close();
  }

  private async run(task: AlsTask): Promise<void> {
    Atomics.store(this.counter, 0, 0);
    if (this.pool) await this.pool.run(task);
    else runAlsTask(task, 0);
  }

  private csr(m: CsrMatrix): SharedCsr {
    return { rows: m.rows, indptr: this.arena.copyOf(m.indptr), indices: this.arena.copyOf(m.indices), data: this.arena.copyOf(m.data) };
  }
}

/**
 * Which solve each row gets, by estimated operations: CG for all rows; Woodbury for short rows
 * with G = Y B⁻¹ (n·k² to compute); or Woodbury for more rows with G and M (n²·k more, when n is
 * small). Sweeps (`warm`) cost ≈ 4k² + 8mk per CG row; converged solves take several more steps.
 * `cgSpeedup`: how much faster CG's operations run than the rest (woodburyBreakEven).
 */
export function planHalfStep(indptr: Int32Array, n: number, k: number, warm: boolean, cgSpeedup: number): Plan {
  const cgRow = (m: number) => ((warm ? 1 : 3) * (4 * k * k + 8 * m * k)) / cgSpeedup;
  const options: (Plan & { cost: number })[] = [];
  for (const [projected, metric] of [[false, false], [true, false], [true, true]] as const) {
    if (metric && n > METRIC_MAX_ROWS) continue;
    const woodburyMax = projected ? woodburyBreakEven(k, metric, cgSpeedup) : 0;
    let cost = (projected ? n * k * k : 0) + (metric ? n * n * k : 0);
    for (let r = 0; r + 1 < indptr.length; r++) {
      const m = indptr[r + 1] - indptr[r];
      cost += m <= woodburyMax ? (metric ? m * m + m ** 3 / 6 + 2 * m * k : (m * m * k) / 2 + m ** 3 / 6 + 4 * m * k) : cgRow(m);
    }
    options.push({ woodburyMax, projected, metric, cost });
  }
  const best = options.reduce((a, b) => (b.cost < a.cost ? b : a));
  return { woodburyMax: best.woodburyMax, projected: best.projected, metric: best.metric };
}

import { describe, expect, it } from "vitest";
import type { AlsTask } from "../../src/linalg/als-tasks.js";
import { defaultThreads, WorkerPool } from "../../src/util/worker-pool.js";

const ALS_TASKS = new URL("../../src/linalg/als-tasks.ts", import.meta.url).href;

/** A YᵀY task over `rows` rows of 64 factors, in shared memory. */
function gramTask(rows: number): AlsTask {
  const k = 64;
  return {
    kind: "gram",
    arena: { id: 1, memory: null },
    scratch: [],
    counter: new Int32Array(new SharedArrayBuffer(4)),
    y: new Float32Array(new SharedArrayBuffer(rows * k * 4)).fill(0.5),
    rows,
    k,
    blocks: new Float64Array(new SharedArrayBuffer(Math.ceil(rows / 4096) * k * k * 8)),
  };
}

describe("WorkerPool", () => {
  it("runs a task on every worker and resolves when all are done", async () => {
    const pool = new WorkerPool<AlsTask>(ALS_TASKS, "als-worker", 2);
    try {
      const task = gramTask(10_000);
      await pool.run(task);
      // Every block was claimed and summed: the first entry of block 0 is 4096 · 0.5².
      if (task.kind === "gram") expect(task.blocks[0]).toBe(4096 * 0.25);
      await pool.run(gramTask(100));
    } finally {
      await pool.close();
    }
  });

  it("rejects — does not hang — when a worker's task throws, and refuses tasks afterwards", async () => {
    const pool = new WorkerPool<AlsTask>(ALS_TASKS, "als-worker", 2);
    try {
      // A solve task without the per-thread scratch it needs: the worker throws a TypeError.
      const broken = { ...gramTask(10), kind: "solve", chunk: 1, cgSteps: 3, matrix: { rows: 10 } } as unknown as AlsTask;
      await expect(pool.run(broken)).rejects.toThrow(/worker \d: TypeError/);
      await expect(pool.run(gramTask(10))).rejects.toThrow(/worker \d: TypeError/);
    } finally {
      await pool.close();
    }
  });

  it("rejects when a worker dies in the middle of a task", async () => {
    const pool = new WorkerPool<AlsTask>(ALS_TASKS, "als-worker", 2);
    try {
      const running = pool.run(gramTask(400_000));
      await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
      await expect(running).rejects.toThrow(/als-worker worker 0 exited unexpectedly/);
    } finally {
      await pool.close();
    }
  });

  it("reads the thread count from MUSICREC_THREADS, else uses every core", () => {
    expect(defaultThreads({ MUSICREC_THREADS: "3" })).toBe(3);
    expect(defaultThreads({})).toBeGreaterThanOrEqual(1);
    expect(() => defaultThreads({ MUSICREC_THREADS: "0" })).toThrow(/MUSICREC_THREADS must be a whole number of threads from 1, got "0"/);
    expect(() => defaultThreads({ MUSICREC_THREADS: "many" })).toThrow(/MUSICREC_THREADS/);
  });
});

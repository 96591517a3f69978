/**
 * A fixed set of worker threads that all run the same task at once (data-parallel kernels over
 * SharedArrayBuffer memory: each worker claims its share of the work from a shared counter).
 * `run` resolves when every worker reported the task done and rejects — never hangs — when a
 * worker reports an error, throws, or exits; a failed pool refuses further tasks.
 *
 * Workers are ES modules next to the caller: `name.js` in the built package, `name.ts` loaded
 * through tsx's ESM hooks when the caller itself runs from the TypeScript sources (vitest).
 */
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { UserError } from "./errors.js";

/** What a worker posts back for each task. */
export type WorkerReply = { done: true } | { error: string };

export const THREADS_ENV = "MUSICREC_THREADS";

/** Threads for parallel training: $MUSICREC_THREADS when set, else every core the process may use. */
export function defaultThreads(env: NodeJS.ProcessEnv = process.env): number {
  const value = env[THREADS_ENV];
  if (value === undefined || value.trim() === "") return os.availableParallelism();
  return parseThreads(value, THREADS_ENV);
}

export function parseThreads(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new UserError(`${name} must be a whole number of threads from 1, got "${value}"`);
  return n;
}

export class WorkerPool<Task> {
  private readonly workers: Worker[];
  private pending: { left: number; resolve: () => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;
  private closed = false;

  /**
   * @param callerUrl `import.meta.url` of the module the worker file sits next to.
   * @param name the worker module's file name without extension.
   */
  constructor(callerUrl: string, name: string, size: number) {
    const entry = workerEntry(callerUrl, name);
    this.workers = Array.from({ length: size }, (_, index) => {
      const worker = new Worker(entry, { workerData: { index } });
      worker.on("message", (reply: WorkerReply) => this.onReply(index, reply));
      worker.on("error", (error) => this.fail(new Error(`${name} worker ${index} failed: ${error.message}`, { cause: error })));
      worker.on("messageerror", (error) => this.fail(new Error(`${name} worker ${index} sent an unreadable message: ${error.message}`)));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`${name} worker ${index} exited unexpectedly (code ${code})`));
      });
      return worker;
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Posts `task` to every worker; resolves once all of them finished it. */
  run(task: Task): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("worker pool used after close"));
    if (this.pending) return Promise.reject(new Error("worker pool runs one task at a time"));
    return new Promise<void>((resolve, reject) => {
      this.pending = { left: this.workers.length, resolve, reject };
      for (const worker of this.workers) worker.postMessage(task);
    });
  }

  /** Stops every worker (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private onReply(index: number, reply: WorkerReply): void {
    if ("error" in reply) {
      this.fail(new Error(`worker ${index}: ${reply.error}`));
      return;
    }
    const pending = this.pending;
    if (!pending) return;
    if (--pending.left === 0) {
      this.pending = null;
      pending.resolve();
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.failure ??= error;
    const pending = this.pending;
    this.pending = null;
    pending?.reject(this.failure);
    // The others may be blocked on work the failed one will never do: stop them all.
    void this.close();
  }
}

/** The worker module to start: the built `.js`, or the `.ts` source behind tsx's loader. */
export function workerEntry(callerUrl: string, name: string): URL {
  const base = new URL(`./${name}`, callerUrl);
  if (!callerUrl.endsWith(".ts")) return new URL(`${base.href}.js`);
  const boot = `import { register } from ${JSON.stringify(tsxApiUrl(callerUrl))};\nregister();\nawait import(${JSON.stringify(`${base.href}.ts`)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/** tsx's ESM API (a dev dependency, only there when running from the sources), by its own export map. */
function tsxApiUrl(callerUrl: string): string {
  const manifest = createRequire(callerUrl).resolve("tsx/package.json");
  const exports = JSON.parse(readFileSync(manifest, "utf8")).exports as Record<string, { import: { default: string } }>;
  return pathToFileURL(path.join(path.dirname(manifest), exports["./esm/api"].import.default)).href;
}

/**
 * Worker threads that score known listeners' recommendation requests for a server, each on its
 * own copy of the served bundle version (scoring-thread.ts).
 *
 * Why: scoring is synchronous CPU work (≈ 0.26 ms a HetRec hybrid request). On the event loop it
 * caps a server at one core however many there are, and the HTTP work of every request waits
 * behind it. With scoring on threads the main thread parses requests, resolves each listener's
 * history and feedback (small arrays: scoringInput) and sends bodies, while the threads build them
 * with the same code (userResponseJson), so answers are the same byte for byte.
 *
 * Cost: each thread holds the bundle once more in memory (HetRec: ≈ 50 MB; a large bundle can take
 * gigabytes), which is why a server's thread count is an option (`serve --scoring-threads`).
 *
 * A thread that fails makes the pool unusable (`usable` false; its pending jobs reject): callers
 * then score on the main thread. `close` lets jobs in flight finish before the threads stop, so a
 * bundle swap drops no request.
 */
import { Worker } from "node:worker_threads";
import { workerEntry } from "../util/worker-pool.js";
import type { UserHistory } from "../models/recommender.js";
import type { FeedbackRanking, RecommendQuery } from "./recommendation-service.js";

export interface ScoringThreadData {
  bundleDir: string;
  /** The bundle version (its id) the server serves. */
  version: string;
}

export interface ScoringJob {
  id: number;
  user: string;
  query: RecommendQuery;
  /** The history to score; absent: the user's own training row, taken from the thread's copy. */
  history?: Pick<UserHistory, "items" | "plays">;
  ranking: FeedbackRanking;
}

export type ScoringReply = { id: number; json: Uint8Array } | { id: number; error: string };

type ThreadMessage = ScoringReply | { ready: true } | { failed: string };

interface Pending {
  resolve: (json: Buffer) => void;
  reject: (error: Error) => void;
}

/** How long close() lets jobs in flight finish before the threads are stopped anyway. */
const CLOSE_GRACE_MS = 10_000;

export class ScoringThreads {
  private readonly pending = new Map<number, Pending>();
  /** Jobs in flight per thread (a job goes to the least busy one). */
  private readonly inFlight: number[];
  /** Which thread each pending job went to. */
  private readonly threadOf = new Map<number, number>();
  private nextId = 0;
  private failure: Error | null = null;
  private closing = false;

  private constructor(private readonly workers: Worker[]) {
    this.inFlight = workers.map(() => 0);
  }

  /** Starts `threads` scoring threads on the bundle version and resolves once every one is ready; rejects (and stops them) if one fails. */
  static async start(data: ScoringThreadData, threads: number): Promise<ScoringThreads> {
    const entry = workerEntry(import.meta.url, "scoring-thread");
    const workers = Array.from({ length: threads }, () => {
      const worker = new Worker(entry, { workerData: data });
      // The server's sockets keep the process alive; idle scoring threads never should.
      worker.unref();
      return worker;
    });
    const pool = new ScoringThreads(workers);
    try {
      await Promise.all(workers.map((worker, index) => pool.attach(worker, index)));
    } catch (error) {
      await pool.stop();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Whether jobs can be sent (no thread failed, not closing). */
  get usable(): boolean {
    return this.failure === null && !this.closing;
  }

  /** Jobs sent and not answered yet. */
  get busy(): number {
    return this.pending.size;
  }

  /** The API body of `user`'s recommendations, built on a thread from what the main thread resolved (RecommendationService.scoringInput). */
  userJson(user: string, query: RecommendQuery, history: UserHistory, ranking: FeedbackRanking): Promise<Buffer> {
    if (!this.usable) return Promise.reject(this.failure ?? new Error("the scoring threads are closing"));
    let thread = 0;
    for (let t = 1; t < this.inFlight.length; t++) if (this.inFlight[t] < this.inFlight[thread]) thread = t;
    const job: ScoringJob = {
      id: this.nextId++,
      user,
      query,
      history: history.trainingUser === undefined ? { items: history.items, plays: history.plays } : undefined,
      ranking,
    };
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      this.threadOf.set(job.id, thread);
      this.inFlight[thread]++;
      this.workers[thread].postMessage(job);
    });
  }

  /** Stops the threads once the jobs in flight are answered (at most CLOSE_GRACE_MS); idempotent. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const deadline = Date.now() + CLOSE_GRACE_MS;
    while (this.pending.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.stop();
  }

  private attach(worker: Worker, index: number): Promise<void> {
    return new Promise<void>((ready, failed) => {
      worker.on("message", (message: ThreadMessage) => {
        if ("ready" in message) ready();
        else if ("failed" in message) failed(new Error(`scoring thread ${index} could not load the bundle: ${message.failed}`));
        else this.settle(message);
      });
      const fail = (error: Error) => {
        failed(error);
        this.fail(error);
      };
      worker.on("error", (error) => fail(new Error(`scoring thread ${index} failed: ${error.message}`, { cause: error })));
      worker.on("messageerror", (error) => fail(new Error(`scoring thread ${index} sent an unreadable message: ${error.message}`)));
      worker.on("exit", (code) => {
        if (!this.closing) fail(new Error(`scoring thread ${index} exited unexpectedly (code ${code})`));
      });
    });
  }

  private settle(reply: ScoringReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    this.inFlight[this.threadOf.get(reply.id)!]--;
    this.threadOf.delete(reply.id);
    if ("json" in reply) pending.resolve(Buffer.from(reply.json.buffer, reply.json.byteOffset, reply.json.byteLength));
    else pending.reject(new Error(`scoring thread: ${reply.error}`));
  }

  private fail(error: Error): void {
    if (this.closing) return;
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
    void this.stop();
  }

  private async stop(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

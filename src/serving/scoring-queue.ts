/**
 * The model work of requests (API and pages), run one job at a time in arrival order, with
 * admission control.
 *
 * Why a queue: scoring is synchronous CPU work. Run straight from the handlers, a burst is served
 * in whatever order the sockets happen to be read, and under saturation some connections wait
 * seconds while others are served at once (the issue measured p50 133 ms but p99 3.3 s). Here
 * the model work of every request joins one FIFO queue and is answered in the order it came
 * (API answers already cached skip it); the queue runs in slices of at most `sliceMs` and yields to
 * I/O between them, so cached answers, health checks and other pages never wait behind a backlog.
 *
 * Jobs may also hand their work to scoring threads (src/service/scoring-threads.ts) and return a
 * promise: then up to `concurrency` jobs are in progress at once (several per thread keep a thread
 * busy while its previous answers travel back), still started in arrival order. It may change
 * while the server runs (the threads of a new bundle still loading, a thread failed).
 *
 * Why admission: a request that would wait longer than `maxWaitMs` — the oldest queued request
 * has already waited that long, or the jobs ahead of it times the recent average job time come to
 * more — is refused at once with 503 and Retry-After instead of joining a queue it would time out
 * in. Clients retry later; the ones admitted keep a bounded latency. The average learns from each
 * job but one job counts for at most four times the average, so a single pause of the process (the
 * machine busy elsewhere, a garbage collection) does not start refusals.
 */
import { UserError } from "../util/errors.js";

export interface ScoringQueueOptions {
  /** Refuse a request whose expected wait is this long or longer (0: admit only into an empty queue). */
  maxWaitMs?: number;
  /** Run queued jobs for at most this long before letting I/O in. */
  sliceMs?: number;
  /** What a refused client is told to wait (the Retry-After header). */
  retryAfterSeconds?: number;
  /** Jobs in progress at once, asked anew for each decision (default 1); more than one only helps jobs whose work runs on other threads. */
  concurrency?: number | (() => number);
}

export const DEFAULT_MAX_WAIT_MS = 1000;

/** 503: the server is busier than a request could wait for; try again after `retryAfterSeconds`. */
export class OverloadedError extends UserError {
  constructor(
    readonly retryAfterSeconds: number,
    expectedWaitMs: number,
  ) {
    super(`the server is overloaded (this request would wait about ${Math.round(expectedWaitMs)} ms for the models): try again in ${retryAfterSeconds} s`, 503);
  }
}

interface Job {
  enqueuedAt: number;
  work: () => unknown | Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class ScoringQueue {
  readonly maxWaitMs: number;
  private readonly sliceMs: number;
  private readonly retryAfterSeconds: number;
  private jobs: Job[] = [];
  private head = 0;
  private scheduled = false;
  /** Jobs started and not finished (only jobs returning a promise stay in progress past drain). */
  private running = 0;
  private readonly concurrencyNow: () => number;
  /** Recent average time of one job (exponentially weighted), the basis of the wait estimate. */
  averageJobMs = 1;
  /** Jobs run and requests refused since the server started. */
  served = 0;
  refused = 0;

  constructor(options: ScoringQueueOptions = {}) {
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.sliceMs = options.sliceMs ?? 10;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    const concurrency = options.concurrency ?? 1;
    this.concurrencyNow = typeof concurrency === "number" ? () => concurrency : concurrency;
  }

  /** Jobs that may be in progress at once now (at least 1). */
  get concurrency(): number {
    return Math.max(1, this.concurrencyNow());
  }

  /** Jobs waiting to run. */
  get queued(): number {
    return this.jobs.length - this.head;
  }

  /** Runs `work` after every job queued before it; rejects at once with OverloadedError when the wait would be too long. */
  run<T>(work: () => T | Promise<T>): Promise<T> {
    if (this.queued > 0) {
      const now = performance.now();
      const expectedWaitMs = Math.max(now - this.jobs[this.head].enqueuedAt, (this.queued * this.averageJobMs) / this.concurrency);
      if (expectedWaitMs >= this.maxWaitMs) {
        this.refused++;
        return Promise.reject(new OverloadedError(this.retryAfterSeconds, expectedWaitMs));
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ enqueuedAt: performance.now(), work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current I/O phase: every request read in it is queued before any of them runs.
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const sliceEnd = performance.now() + this.sliceMs;
    const concurrency = this.concurrency;
    while (this.head < this.jobs.length && this.running < concurrency) {
      const job = this.jobs[this.head];
      this.jobs[this.head++] = undefined as unknown as Job;
      const started = performance.now();
      this.running++;
      let result: unknown;
      let threw = false;
      try {
        result = job.work();
      } catch (error) {
        threw = true;
        this.finished(started);
        job.reject(error);
      }
      if (!threw && result instanceof Promise) {
        result.then(
          (value) => {
            this.finished(started);
            job.resolve(value);
            this.schedule();
          },
          (error: unknown) => {
            this.finished(started);
            job.reject(error);
            this.schedule();
          },
        );
        continue;
      }
      if (!threw) {
        this.finished(started);
        job.resolve(result);
      }
      if (performance.now() >= sliceEnd) break;
    }
    if (this.head === this.jobs.length) {
      this.jobs = [];
      this.head = 0;
    } else {
      if (this.head > 1024) {
        this.jobs = this.jobs.slice(this.head);
        this.head = 0;
      }
      if (this.running < concurrency) this.schedule();
    }
  }

  /** A job started at `started` is done: the running count and the average job time follow. */
  private finished(started: number): void {
    this.running--;
    this.averageJobMs += 0.05 * (Math.min(performance.now() - started, 4 * this.averageJobMs + 1) - this.averageJobMs);
    this.served++;
  }
}

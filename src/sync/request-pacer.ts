import { sleep } from "./sleep.js";

/**
 * Spaces the requests of one client at least `intervalMs` apart (Last.fm: a few per second,
 * MusicBrainz: one per second) and holds them while a server-announced pause lasts (ListenBrainz's
 * X-RateLimit-Remaining: 0). Requests of one client are sequential; this is not a queue.
 */
export class RequestPacer {
  private nextAt = 0;

  constructor(private readonly intervalMs: number) {}

  /**
   * Resolves when the next request may go; rejects when `signal` aborts the wait. The interval
   * counts from when a request actually went (a late timer must not squeeze the next one closer).
   */
  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.nextAt - Date.now();
    if (delay > 0) await sleep(delay, signal);
    this.nextAt = Date.now() + this.intervalMs;
  }

  /** No request before `time` (epoch ms). */
  pauseUntil(time: number): void {
    this.nextAt = Math.max(this.nextAt, time);
  }
}

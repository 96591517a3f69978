import pRetry, { AbortError } from "p-retry";
import { UserError } from "../util/errors.js";
import { formatClock } from "../util/duration.js";
import { RateLimitedError, RetryableError } from "./http-errors.js";
import type { HttpTiming } from "./http-timing.js";
import { sleep } from "./sleep.js";

export interface RetryOptions {
  timing: HttpTiming;
  /** Names the request in messages, e.g. `ListenBrainz listens of "rj" (page 3)`. */
  what: string;
  signal?: AbortSignal;
  /** Told about every wait (rate limit, retry), for the progress line. */
  onWait?: (message: string) => void;
}

/**
 * Runs one API request with p-retry: RetryableErrors are retried with exponential backoff
 * (timing.retries times); RateLimitedErrors wait what the server asked and do not use up retries,
 * up to timing.maxRateLimitWaits; anything else (a UserError such as "user not found", an abort)
 * ends at once. Giving up is a one-line UserError naming the request.
 */
export async function withRetries<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { timing, what, signal, onWait } = options;
  let rateLimitWaits = 0;
  try {
    return await pRetry(
      async () => {
        try {
          return await attempt();
        } catch (error) {
          if (error instanceof RetryableError || error instanceof RateLimitedError) throw error;
          throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      {
        // Counted here rather than by p-retry: rate-limit waits must not end a request whose retries are used up.
        retries: Number.POSITIVE_INFINITY,
        shouldRetry: ({ error, retriesConsumed }) => error instanceof RateLimitedError || retriesConsumed < timing.retries,
        minTimeout: timing.backoffMs,
        maxTimeout: timing.maxWaitMs,
        factor: 2,
        randomize: true,
        signal,
        onFailedAttempt: async ({ error, retriesConsumed }) => {
          if (error instanceof RateLimitedError) {
            rateLimitWaits++;
            if (rateLimitWaits > timing.maxRateLimitWaits) {
              throw new UserError(`${what}: still rate limited after ${timing.maxRateLimitWaits} waits; try again later`);
            }
            const wait = Math.min(error.waitMs, timing.maxWaitMs);
            onWait?.(`${error.message}: waiting ${formatClock(wait / 1000)}`);
            await sleep(wait, signal);
          } else if (retriesConsumed < timing.retries) {
            const left = timing.retries - retriesConsumed;
            onWait?.(`${error.message}: retrying (${left} ${left === 1 ? "retry" : "retries"} left)`);
          }
        },
        shouldConsumeRetry: ({ error }) => !(error instanceof RateLimitedError),
      },
    );
  } catch (error) {
    if (error instanceof RetryableError) {
      throw new UserError(`${what}: ${error.message} (gave up after ${timing.retries + 1} attempts; run again to resume)`);
    }
    throw error;
  }
}

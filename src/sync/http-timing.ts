import { UserError } from "../util/errors.js";

/**
 * How patient the HTTP clients are. Waits the server asks for (Retry-After, X-RateLimit-Reset-In)
 * are honoured as given, up to maxWaitMs; the waits musicrec chooses itself scale with backoffMs,
 * so tests (and impatient users) can shrink them with one setting.
 */
export interface HttpTiming {
  /** Whole request, headers and body. */
  timeoutMs: number;
  /** Retries after a transient failure (5xx, timeout, dropped connection, malformed page). */
  retries: number;
  /** First retry wait; doubles each retry (with jitter). */
  backoffMs: number;
  /** Longest single wait honoured, however long a server asks for. */
  maxWaitMs: number;
  /** Rate-limit responses do not use up retries, but a request gives up after this many of them. */
  maxRateLimitWaits: number;
  /** Overrides every service's minimum interval between requests (self-hosted mirrors, tests). */
  intervalMs: number | null;
}

export const DEFAULT_TIMING: HttpTiming = {
  timeoutMs: 30_000,
  retries: 5,
  backoffMs: 1_000,
  maxWaitMs: 15 * 60_000,
  maxRateLimitWaits: 20,
  intervalMs: null,
};

/** Wait after a rate-limit response that does not say how long: Last.fm's error 29 never does. */
export const rateLimitFallbackMs = (timing: HttpTiming): number => 30 * timing.backoffMs;

/** DEFAULT_TIMING with MUSICREC_HTTP_TIMEOUT_MS, MUSICREC_HTTP_RETRIES, MUSICREC_HTTP_BACKOFF_MS, MUSICREC_HTTP_INTERVAL_MS. */
export function timingFromEnv(env: NodeJS.ProcessEnv = process.env): HttpTiming {
  const number = (name: string): number | null => {
    const text = env[name];
    if (text == null || text.trim() === "") return null;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new UserError(`${name} must be a non-negative number, got "${text}"`);
    return value;
  };
  return {
    ...DEFAULT_TIMING,
    timeoutMs: number("MUSICREC_HTTP_TIMEOUT_MS") ?? DEFAULT_TIMING.timeoutMs,
    retries: number("MUSICREC_HTTP_RETRIES") ?? DEFAULT_TIMING.retries,
    backoffMs: number("MUSICREC_HTTP_BACKOFF_MS") ?? DEFAULT_TIMING.backoffMs,
    intervalMs: number("MUSICREC_HTTP_INTERVAL_MS"),
  };
}

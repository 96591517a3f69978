/** A failure worth retrying after a backoff: 5xx, timeout, refused or dropped connection, malformed page. */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryableError";
  }
}

/** The server asked to slow down (HTTP 429, MusicBrainz's 503, Last.fm error 29): wait, then retry. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly waitMs: number,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

/**
 * Milliseconds a Retry-After header asks to wait: delay-seconds or an HTTP date (RFC 9110
 * §10.2.3); null when absent or unreadable.
 */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | null {
  if (value == null || value.trim() === "") return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** One line describing a failed fetch: undici hides the useful part (ECONNRESET, "other side closed") in `cause`. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail =
    cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : cause == null ? null : String(cause);
  return detail == null || error.message.includes(detail) ? error.message : `${error.message} (${detail})`;
}

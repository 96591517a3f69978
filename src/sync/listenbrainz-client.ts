import { z } from "zod";
import { UserError } from "../util/errors.js";
import { RateLimitedError, retryAfterMs, RetryableError } from "./http-errors.js";
import type { ClientOptions } from "./client-options.js";
import { httpGet, type HttpResponse } from "./http-get.js";
import { rateLimitFallbackMs, type HttpTiming } from "./http-timing.js";
import { RequestPacer } from "./request-pacer.js";
import { withRetries } from "./with-retries.js";
import { userAgent } from "./user-agent.js";

export const LISTENBRAINZ_API_URL = "https://api.listenbrainz.org";
/** MAX_ITEMS_PER_GET of the ListenBrainz server. */
export const LISTENBRAINZ_MAX_COUNT = 1000;

/** A listen as the API returns it; musicrec reads `listened_at` here, the importer reads the rest. */
export type ListenRecord = Record<string, unknown> & { listened_at?: unknown };

const listensResponse = z.object({
  payload: z.object({
    listens: z.array(z.record(z.string(), z.unknown())),
    oldest_listen_ts: z.number().nullish(),
  }),
});

export interface ListensPage {
  /** Newest first. */
  listens: ListenRecord[];
  /** Unix seconds of the user's oldest listen (a walk back in time can stop there); null if not sent. */
  oldestListenTs: number | null;
}

/**
 * `GET /1/user/{user}/listens` of ListenBrainz (or a self-hosted instance): `count` ≤ 1000 listens
 * with `listened_at` < `max_ts`, newest first. Honours X-RateLimit-Remaining / -Reset-In before the
 * next request and 429 (Retry-After, else Reset-In); 5xx, timeouts and malformed pages are retried.
 */
export class ListenBrainzClient {
  private readonly pacer: RequestPacer;
  private readonly baseUrl: string;

  constructor(private readonly options: ClientOptions & { token?: string }) {
    this.baseUrl = options.apiUrl.replace(/\/+$/, "");
    this.pacer = new RequestPacer(options.timing.intervalMs ?? 0);
  }

  /** The request URL without the count, to name a stored page (the imports table's source). */
  describeRequest(user: string, maxTs: number | null): string {
    return this.url(user, maxTs, null).href;
  }

  async listens(user: string, page: { maxTs: number | null; count: number }): Promise<ListensPage> {
    const url = this.url(user, page.maxTs, page.count);
    const what = `ListenBrainz listens of "${user}"${page.maxTs == null ? "" : ` before ${page.maxTs}`} (${url.origin})`;
    const { timing, signal, onWait } = this.options;
    return withRetries(
      async () => {
        await this.pacer.wait(signal);
        const headers: Record<string, string> = { "User-Agent": userAgent(), Accept: "application/json" };
        if (this.options.token) headers.Authorization = `Token ${this.options.token}`;
        const response = await httpGet(url.href, { headers, timeoutMs: timing.timeoutMs, signal });
        this.respectRateLimit(response);
        return parseListens(response, user, timing);
      },
      { timing, what, signal, onWait },
    );
  }

  private url(user: string, maxTs: number | null, count: number | null): URL {
    const url = new URL(`${this.baseUrl}/1/user/${encodeURIComponent(user)}/listens`);
    if (count != null) url.searchParams.set("count", String(count));
    if (maxTs != null) url.searchParams.set("max_ts", String(maxTs));
    return url;
  }

  /** Documented headers: when no request is left in the window, wait until it resets. */
  private respectRateLimit(response: HttpResponse): void {
    const remaining = secondsHeader(response, "X-RateLimit-Remaining");
    const resetIn = secondsHeader(response, "X-RateLimit-Reset-In");
    if (remaining != null && remaining <= 0 && resetIn != null) {
      this.pacer.pauseUntil(Date.now() + Math.min(resetIn * 1000, this.options.timing.maxWaitMs));
    }
  }
}

function parseListens(response: HttpResponse, user: string, timing: HttpTiming): ListensPage {
  const { status } = response;
  if (status === 429) {
    const resetIn = secondsHeader(response, "X-RateLimit-Reset-In");
    const wait = retryAfterMs(response.headers.get("Retry-After")) ?? (resetIn == null ? null : resetIn * 1000) ?? rateLimitFallbackMs(timing);
    throw new RateLimitedError("rate limited (HTTP 429)", wait);
  }
  if (status >= 500) throw new RetryableError(`HTTP ${status}`);
  if (status === 404) throw new UserError(`ListenBrainz user "${user}" not found (HTTP 404: ${errorText(response)})`, 404);
  if (status === 401 || status === 403) {
    throw new UserError(`ListenBrainz refused the request (HTTP ${status}: ${errorText(response)}); check --token`);
  }
  if (status !== 200) throw new UserError(`ListenBrainz answered HTTP ${status}: ${errorText(response)}`);
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new RetryableError(`malformed JSON page (${response.text.length} bytes)`);
  }
  const parsed = listensResponse.safeParse(body);
  if (!parsed.success) throw new RetryableError('page without "payload.listens"');
  return { listens: parsed.data.payload.listens as ListenRecord[], oldestListenTs: parsed.data.payload.oldest_listen_ts ?? null };
}

/** A numeric header (X-RateLimit-*), null when absent or not a number. */
function secondsHeader(response: HttpResponse, name: string): number | null {
  const text = response.headers.get(name);
  const value = text == null || text.trim() === "" ? Number.NaN : Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The `error` text of a ListenBrainz error body (`{"code": 404, "error": "Cannot find user: x"}`). */
function errorText(response: HttpResponse): string {
  try {
    const body = JSON.parse(response.text) as { error?: unknown };
    if (typeof body.error === "string") return body.error;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return response.text.trim().slice(0, 200) || "no details";
}

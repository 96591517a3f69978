import { z } from "zod";
import { UserError } from "../util/errors.js";
import { RateLimitedError, retryAfterMs, RetryableError } from "./http-errors.js";
import type { ClientOptions } from "./client-options.js";
import { httpGet, type HttpResponse } from "./http-get.js";
import { rateLimitFallbackMs, type HttpTiming } from "./http-timing.js";
import { RequestPacer } from "./request-pacer.js";
import { userAgent } from "./user-agent.js";
import { withRetries } from "./with-retries.js";

export const LASTFM_API_URL = "https://ws.audioscrobbler.com/2.0/";
export const LIBREFM_API_URL = "https://libre.fm/2.0/";
/** Libre.fm (GNU FM) accepts any 32-character key for reading. */
export const LIBREFM_API_KEY = "musicrec".padEnd(32, "-");
/** Last.fm's maximum `limit` of user.getRecentTracks. */
export const LASTFM_PAGE_LIMIT = 200;
/** Last.fm's terms allow 5 requests per second; stay below. */
export const LASTFM_INTERVAL_MS = 250;

/** Error codes that mean "try again": operation failed, service offline, temporary error. */
const TRANSIENT_CODES = new Set([8, 11, 16]);
const RATE_LIMIT_CODE = 29;

/** A Last.fm error response (`{"error": 6, "message": "User not found"}`) that retrying will not fix. */
export class LastfmApiError extends UserError {
  constructor(
    readonly code: number,
    readonly apiMessage: string,
    service: string,
  ) {
    super(`${service} error ${code}: ${apiMessage}`);
  }
}

/** A track of a getRecentTracks page, as sent; the importer reads its fields. */
export type TrackRecord = Record<string, unknown>;

export interface RecentTracksPage {
  /** Newest first; the "now playing" entry, if any, comes first on page 1. */
  tracks: TrackRecord[];
  attr: Record<string, unknown>;
  totalPages: number;
}

const recentTracksResponse = z.object({
  recenttracks: z.object({
    track: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]).optional(),
    "@attr": z.record(z.string(), z.unknown()).default({}),
  }),
});

const topTagsResponse = z.object({
  toptags: z.object({
    tag: z.union([z.array(z.object({ name: z.string(), count: z.coerce.number() })), z.object({ name: z.string(), count: z.coerce.number() })]).optional(),
  }),
});

/** Whether a recent track is the "now playing" entry (no date, not a scrobble). */
export const isNowPlaying = (track: TrackRecord): boolean => (track["@attr"] as { nowplaying?: unknown } | undefined)?.nowplaying === "true";

/** A scrobble's Unix time (`date.uts`), NaN when missing. */
export function scrobbleTime(track: TrackRecord): number {
  const uts = (track.date as { uts?: unknown } | undefined)?.uts;
  return typeof uts === "string" && /^\d+$/.test(uts) ? Number(uts) : Number.NaN;
}

/**
 * Last.fm's web service 2.0 (`format=json`), also Libre.fm's compatible one. Requests are paced
 * under the documented rate; error codes 8, 11, 16 and HTTP 5xx are retried with backoff, 29
 * and HTTP 429 wait; any other error code is a LastfmApiError for the caller to word.
 */
export class LastfmClient {
  private readonly pacer: RequestPacer;

  constructor(private readonly options: ClientOptions & { apiKey: string; service: "Last.fm" | "Libre.fm" }) {
    this.pacer = new RequestPacer(options.timing.intervalMs ?? LASTFM_INTERVAL_MS);
  }

  /** The request URL without the API key, to name a stored page. */
  describeRequest(method: string, params: Record<string, string | number | undefined>): string {
    return this.url(method, params, null).href;
  }

  async recentTracks(user: string, page: { page: number; limit: number; from: number | null; to: number }): Promise<RecentTracksPage> {
    const params = { user, page: page.page, limit: page.limit, from: page.from ?? undefined, to: page.to };
    const what = `${this.options.service} recent tracks of "${user}" (page ${page.page})`;
    try {
      return await this.call("user.getRecentTracks", params, what, (body) => {
        const parsed = recentTracksResponse.safeParse(body);
        if (!parsed.success) throw new RetryableError('page without a "recenttracks" object');
        const { track, "@attr": attr } = parsed.data.recenttracks;
        // A documented Last.fm bug: now and then a page of another user's tracks.
        if (typeof attr.user === "string" && attr.user.toLowerCase() !== user.toLowerCase()) {
          throw new RetryableError(`a page of another user ("${attr.user}")`);
        }
        const tracks = track == null ? [] : Array.isArray(track) ? track : [track];
        return { tracks, attr, totalPages: Number(attr.totalPages ?? 0) || 0 };
      });
    } catch (error) {
      throw this.explain(error, user);
    }
  }

  /** An artist's top tags, most used first; null when the service does not know the artist. */
  async artistTopTags(artist: string): Promise<{ name: string; count: number }[] | null> {
    try {
      return await this.call("artist.getTopTags", { artist, autocorrect: 1 }, `${this.options.service} tags of "${artist}"`, (body) => {
        const parsed = topTagsResponse.safeParse(body);
        if (!parsed.success) throw new RetryableError('response without a "toptags" object');
        const { tag } = parsed.data.toptags;
        return tag == null ? [] : Array.isArray(tag) ? tag : [tag];
      });
    } catch (error) {
      if (error instanceof LastfmApiError && error.code === 6) return null;
      throw this.explain(error, null);
    }
  }

  /** One method call; `read` turns the body into the result and may throw a RetryableError for a bad page. */
  private async call<T>(method: string, params: Record<string, string | number | undefined>, what: string, read: (body: unknown) => T): Promise<T> {
    const { timing, signal, onWait } = this.options;
    const url = this.url(method, params, this.options.apiKey);
    return withRetries(
      async () => {
        await this.pacer.wait(signal);
        const response = await httpGet(url.href, { headers: { "User-Agent": userAgent(), Accept: "application/json" }, timeoutMs: timing.timeoutMs, signal });
        return read(this.parse(response, timing));
      },
      { timing, what, signal, onWait },
    );
  }

  private parse(response: HttpResponse, timing: HttpTiming): unknown {
    let body: unknown = null;
    try {
      body = JSON.parse(response.text);
    } catch {
      // Judged below: an error status, or a malformed page.
    }
    const error = body as { error?: unknown; message?: unknown } | null;
    if (error != null && typeof error.error === "number") {
      const code = error.error;
      const message = typeof error.message === "string" ? error.message : "no message";
      if (code === RATE_LIMIT_CODE) {
        throw new RateLimitedError(`rate limit exceeded (error 29)`, retryAfterMs(response.headers.get("Retry-After")) ?? rateLimitFallbackMs(timing));
      }
      if (TRANSIENT_CODES.has(code)) throw new RetryableError(`${this.options.service} error ${code}: ${message}`);
      throw new LastfmApiError(code, message, this.options.service);
    }
    if (response.status === 429) {
      throw new RateLimitedError("rate limited (HTTP 429)", retryAfterMs(response.headers.get("Retry-After")) ?? rateLimitFallbackMs(timing));
    }
    if (response.status >= 500) throw new RetryableError(`HTTP ${response.status}`);
    if (response.status !== 200) throw new UserError(`${this.options.service} answered HTTP ${response.status}: ${response.text.trim().slice(0, 200)}`);
    if (body == null) throw new RetryableError(`malformed JSON page (${response.text.length} bytes)`);
    return body;
  }

  /** One line for the errors a user can act on. */
  private explain(error: unknown, user: string | null): unknown {
    if (!(error instanceof LastfmApiError)) return error;
    const service = this.options.service;
    const said = `(error ${error.code}: ${error.apiMessage})`;
    if (error.code === 6 && user != null) return new UserError(`${service} user "${user}" not found ${said}`, 404);
    if (error.code === 17 && user != null) {
      return new UserError(`${service} user "${user}" keeps their listening history private ${said}; it must be public to sync`);
    }
    if (error.code === 10) return new UserError(`${service} rejected the API key ${said}; check --api-key or LASTFM_API_KEY`);
    if (error.code === 26) return new UserError(`${service} suspended this API key ${said}`);
    return error;
  }

  private url(method: string, params: Record<string, string | number | undefined>, apiKey: string | null): URL {
    const url = new URL(this.options.apiUrl);
    url.searchParams.set("method", method);
    for (const [name, value] of Object.entries(params)) if (value != null) url.searchParams.set(name, String(value));
    if (apiKey != null) url.searchParams.set("api_key", apiKey);
    url.searchParams.set("format", "json");
    return url;
  }
}

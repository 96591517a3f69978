import { z } from "zod";
import { UserError } from "../util/errors.js";
import { RateLimitedError, retryAfterMs, RetryableError } from "./http-errors.js";
import type { ClientOptions } from "./client-options.js";
import { httpGet, type HttpResponse } from "./http-get.js";
import { rateLimitFallbackMs, type HttpTiming } from "./http-timing.js";
import { RequestPacer } from "./request-pacer.js";
import { userAgent } from "./user-agent.js";
import { withRetries } from "./with-retries.js";

export const MUSICBRAINZ_API_URL = "https://musicbrainz.org/ws/2";
/** MusicBrainz allows one request per second per client. */
export const MUSICBRAINZ_INTERVAL_MS = 1000;

const counted = z.array(z.object({ name: z.string(), count: z.number() })).default([]);

const searchResponse = z.object({
  artists: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      "sort-name": z.string().optional(),
      score: z.coerce.number().default(0),
      aliases: z.array(z.object({ name: z.string() })).optional(),
    }),
  ),
});

const lookupResponse = z.object({ id: z.string(), genres: counted, tags: counted });

export interface ArtistMatch {
  id: string;
  name: string;
  sortName: string | null;
  aliases: string[];
  score: number;
}

/** `artist:"…"` with the Lucene characters of the name escaped. */
export const artistQuery = (name: string): string => `artist:"${name.replace(/[\\"]/g, "\\$&")}"`;

/**
 * The MusicBrainz web service 2 (`fmt=json`, keyless): artist search and artist lookup with
 * genres and tags. At most one request per second, a User-Agent naming musicrec (MusicBrainz
 * blocks anonymous ones); 503 / 429 (its rate limiting) wait, other 5xx are retried.
 */
export class MusicBrainzClient {
  private readonly pacer: RequestPacer;
  private readonly baseUrl: string;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.apiUrl.replace(/\/+$/, "");
    this.pacer = new RequestPacer(options.timing.intervalMs ?? MUSICBRAINZ_INTERVAL_MS);
  }

  async searchArtist(name: string): Promise<ArtistMatch[]> {
    const url = new URL(`${this.baseUrl}/artist`);
    url.searchParams.set("query", artistQuery(name));
    url.searchParams.set("limit", "5");
    url.searchParams.set("fmt", "json");
    const body = await this.get(url, `MusicBrainz search for "${name}"`, (parsed) => searchResponse.safeParse(parsed));
    return (body?.artists ?? []).map((artist) => ({
      id: artist.id,
      name: artist.name,
      sortName: artist["sort-name"] ?? null,
      aliases: artist.aliases?.map((alias) => alias.name) ?? [],
      score: artist.score,
    }));
  }

  /** Genres and tags of an artist with their vote counts; null for an unknown MBID. */
  async artistTags(mbid: string): Promise<{ genres: { name: string; count: number }[]; tags: { name: string; count: number }[] } | null> {
    const url = new URL(`${this.baseUrl}/artist/${encodeURIComponent(mbid)}`);
    url.searchParams.set("inc", "genres+tags");
    url.searchParams.set("fmt", "json");
    const body = await this.get(url, `MusicBrainz artist ${mbid}`, (parsed) => lookupResponse.safeParse(parsed));
    return body == null ? null : { genres: body.genres, tags: body.tags };
  }

  /** A GET with pacing and retries; null on 404. `read` validates the JSON (a bad page is retried). */
  private async get<T>(url: URL, what: string, read: (body: unknown) => { success: true; data: T } | { success: false }): Promise<T | null> {
    const { timing, signal, onWait } = this.options;
    return withRetries(
      async () => {
        await this.pacer.wait(signal);
        const response = await httpGet(url.href, { headers: { "User-Agent": userAgent(), Accept: "application/json" }, timeoutMs: timing.timeoutMs, signal });
        if (response.status === 404) return null;
        const body = parse(response, timing);
        const parsed = read(body);
        if (!parsed.success) throw new RetryableError("unexpected response shape");
        return parsed.data;
      },
      { timing, what, signal, onWait },
    );
  }
}

function parse(response: HttpResponse, timing: HttpTiming): unknown {
  const { status } = response;
  // MusicBrainz answers its rate limiting with 503 (and newer servers with 429).
  if (status === 503 || status === 429) {
    throw new RateLimitedError(`rate limited (HTTP ${status})`, retryAfterMs(response.headers.get("Retry-After")) ?? rateLimitFallbackMs(timing));
  }
  if (status >= 500) throw new RetryableError(`HTTP ${status}`);
  if (status !== 200) throw new UserError(`MusicBrainz answered HTTP ${status}: ${response.text.trim().slice(0, 200)}`);
  try {
    return JSON.parse(response.text);
  } catch {
    throw new RetryableError(`malformed JSON (${response.text.length} bytes)`);
  }
}

/**
 * Downloads one file over HTTP(S) with Node's fetch: into `<target>.part`, resumed with a Range
 * request after a dropped connection or an interrupted run, renamed to `target` only once every
 * byte the server announced has arrived. Connect (until the response headers) and idle (between
 * two chunks) timeouts, retries with exponential backoff (p-retry); an attempt that received bytes
 * does not use up a retry. Several URLs (mirrors) are tried in order.
 *
 * `<target>.part.json` remembers where the partial file came from (URL, ETag / Last-Modified,
 * size), so a resume asks `If-Range` and starts over when the file changed on the server.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout as sleep } from "node:timers/promises";
import pRetry, { AbortError } from "p-retry";
import { formatBytes } from "../util/format-bytes.js";
import { silentProgress, type Progress } from "../util/progress.js";

export interface DownloadOptions {
  /** Until the response headers arrive. */
  connectTimeoutMs?: number;
  /** Longest pause between two chunks of the body. */
  idleTimeoutMs?: number;
  /** Further attempts per URL after a failed one. */
  retries?: number;
  /** Wait before the first retry; doubles each time (at most 30 s). */
  retryDelayMs?: number;
  /** Give up at once when the host cannot be resolved or refuses connections (the demo's fast path). */
  failFastWhenUnreachable?: boolean;
  /** Stops the download (Ctrl-C, an overall time limit); the .part file stays for a later resume. */
  signal?: AbortSignal;
  progress?: Progress;
  /** Told about every failed attempt that will be retried, and about a mirror given up on. */
  onRetry?: (message: string) => void;
}

type Settings = DownloadOptions & Required<Pick<DownloadOptions, "connectTimeoutMs" | "idleTimeoutMs" | "retries" | "retryDelayMs">>;

export const DOWNLOAD_DEFAULTS = { connectTimeoutMs: 15_000, idleTimeoutMs: 30_000, retries: 5, retryDelayMs: 1_000 };

export type DownloadFailure = "unreachable" | "timeout" | "dropped" | "http" | "server" | "aborted";

export class DownloadError extends Error {
  constructor(
    message: string,
    readonly failure: DownloadFailure,
    /** Bytes arrived during the failed attempt (a resume continues from them). */
    readonly progressed = false,
  ) {
    super(message);
    this.name = "DownloadError";
  }

  get retryable(): boolean {
    return this.failure !== "http" && this.failure !== "aborted";
  }
}

export interface Downloaded {
  url: string;
  bytes: number;
}

interface PartMeta {
  url: string;
  validator: string | null;
  total: number | null;
}

const UNREACHABLE = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH", "EADDRNOTAVAIL"]);

/** The first of `urls` that delivers the whole file, saved at `target`. */
export async function downloadFile(urls: readonly string[], target: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const failures: DownloadError[] = [];
  for (const [i, url] of urls.entries()) {
    try {
      return await downloadFrom(url, target, options);
    } catch (error) {
      if (!(error instanceof DownloadError) || error.failure === "aborted") throw error;
      failures.push(new DownloadError(`${url}: ${error.message}`, error.failure));
      const last = i === urls.length - 1 || (options.failFastWhenUnreachable && error.failure === "unreachable");
      if (last) break;
      options.onRetry?.(`${url}: ${error.message}; trying the next location`);
    }
  }
  if (failures.length === 1) throw failures[0];
  throw new DownloadError(failures.map((failure) => failure.message).join("; "), failures[failures.length - 1].failure);
}

async function downloadFrom(url: string, target: string, options: DownloadOptions): Promise<Downloaded> {
  const settings: Settings = { ...DOWNLOAD_DEFAULTS, ...options };
  const part = `${target}.part`;
  const worthRetrying = (error: unknown) =>
    error instanceof DownloadError && error.retryable && !(settings.failFastWhenUnreachable && error.failure === "unreachable");
  try {
    return await pRetry(
      async () => {
        const bytes = await attempt(url, part, settings);
        fs.renameSync(part, target);
        fs.rmSync(`${part}.json`, { force: true });
        return { url, bytes };
      },
      {
        retries: settings.retries,
        minTimeout: settings.retryDelayMs,
        maxTimeout: 30_000,
        factor: 2,
        randomize: false,
        signal: options.signal,
        shouldConsumeRetry: ({ error }) => !(error instanceof DownloadError && error.progressed),
        shouldRetry: ({ error }) => worthRetrying(error),
        onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft > 0 && worthRetrying(error) && error instanceof DownloadError) {
            options.onRetry?.(`${error.message}; attempt ${attemptNumber + 1} ${error.progressed ? "resumes" : "retries"}`);
          }
        },
      },
    );
  } catch (error) {
    if (options.signal?.aborted) throw new DownloadError(`stopped (${reasonOf(options.signal)})`, "aborted");
    throw error;
  }
}

/** One request: resumes the .part file when it can, resolves when it holds the whole file. */
async function attempt(url: string, part: string, settings: Settings): Promise<number> {
  const progress = settings.progress ?? silentProgress;
  let meta = readMeta(part);
  const have = fs.existsSync(part) && meta?.url === url ? fs.statSync(part).size : 0;
  if (have === 0) meta = null;
  // identity: a compressed transfer would make Content-Length count other bytes than the file's.
  const headers: Record<string, string> = { "user-agent": "musicrec (dataset download)", "accept-encoding": "identity" };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    if (meta?.validator) headers["if-range"] = meta.validator;
  }
  const timeout = new AbortController();
  const signal = settings.signal ? AbortSignal.any([settings.signal, timeout.signal]) : timeout.signal;
  const connectTimer = setTimeout(
    () => timeout.abort(new DownloadError(`no response within ${settings.connectTimeoutMs / 1000} s`, "timeout")),
    settings.connectTimeoutMs,
  );
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: "follow" });
  } catch (error) {
    throw failureOf(error, timeout.signal, settings.signal, false);
  } finally {
    clearTimeout(connectTimer);
  }

  if (response.status === 416 && meta?.total != null && have === meta.total) {
    await response.body?.cancel();
    return have;
  }
  let offset: number;
  let total: number | null;
  if (response.status === 206 && have > 0) {
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get("content-range") ?? "");
    if (!range || Number(range[1]) !== have) {
      await response.body?.cancel();
      fs.rmSync(part, { force: true });
      throw new DownloadError(`the server answered the resume with another range (${response.headers.get("content-range")}); starting over`, "server");
    }
    offset = have;
    total = range[3] === "*" ? null : Number(range[3]);
  } else if (response.status === 200) {
    offset = 0;
    const length = response.headers.get("content-length");
    total = length == null ? null : Number(length);
  } else {
    await response.body?.cancel();
    if (response.status === 416) {
      fs.rmSync(part, { force: true });
      throw new DownloadError("the server refused to resume the partial file; starting over", "server");
    }
    if (response.status === 429 || response.status >= 500) {
      const wait = Number(response.headers.get("retry-after"));
      if (wait > 0 && wait <= 60) await sleep(wait * 1000, undefined, { signal: settings.signal });
      throw new DownloadError(`HTTP ${response.status} ${response.statusText}`.trim(), "server");
    }
    throw new DownloadError(`HTTP ${response.status} ${response.statusText}`.trim(), "http");
  }
  if (!response.body) throw new DownloadError("the response has no body", "server");
  const validator = response.headers.get("etag") ?? response.headers.get("last-modified");
  fs.writeFileSync(`${part}.json`, JSON.stringify({ url, validator, total } satisfies PartMeta));

  let received = 0;
  // Progress = the part file grew: a server that ignores Range and drops at the same point again
  // makes none, and then uses up the retries.
  const grew = () => offset + received > have;
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => timeout.abort(new DownloadError(`no data for ${settings.idleTimeoutMs / 1000} s`, "timeout", grew())),
      settings.idleTimeoutMs,
    );
  };
  const watch = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      armIdle();
      progress.update(offset + received);
      done(null, chunk);
    },
  });
  progress.start(`downloading ${path.basename(part, ".part")}`, total ?? undefined, { bytes: true, from: offset });
  armIdle();
  try {
    await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), watch, fs.createWriteStream(part, { flags: offset > 0 ? "a" : "w" }));
  } catch (error) {
    progress.done(`interrupted after ${formatBytes(offset + received)}`);
    throw failureOf(error, timeout.signal, settings.signal, grew());
  } finally {
    clearTimeout(idleTimer);
  }
  const bytes = offset + received;
  if (total != null && bytes < total) {
    progress.done(`interrupted after ${formatBytes(bytes)}`);
    throw new DownloadError(`the connection closed after ${formatBytes(bytes)} of ${formatBytes(total)}`, "dropped", grew());
  }
  if (total != null && bytes > total) {
    fs.rmSync(part, { force: true });
    throw new DownloadError(`received ${bytes} bytes, more than the ${total} announced; starting over`, "server");
  }
  progress.done(`${formatBytes(bytes)}${offset > 0 ? ` (resumed at ${formatBytes(offset)})` : ""}`);
  return bytes;
}

function readMeta(part: string): PartMeta | null {
  try {
    return JSON.parse(fs.readFileSync(`${part}.json`, "utf8")) as PartMeta;
  } catch {
    return null;
  }
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason.name === "TimeoutError" ? "time limit reached" : reason.message;
  return String(reason ?? "aborted");
}

/** A fetch or body error as a DownloadError saying what happened. */
function failureOf(error: unknown, timeout: AbortSignal, outer: AbortSignal | undefined, progressed: boolean): DownloadError | AbortError {
  if (outer?.aborted) return new AbortError(new DownloadError(`stopped (${reasonOf(outer)})`, "aborted", progressed));
  if (timeout.aborted && timeout.reason instanceof DownloadError) return timeout.reason;
  if (error instanceof DownloadError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code;
  if (code != null && UNREACHABLE.has(code)) {
    const what = code === "ECONNREFUSED" ? "connection refused" : code.startsWith("EAI") || code === "ENOTFOUND" ? "host not found" : "network unreachable";
    return new DownloadError(`${what} (${code}; offline?)`, "unreachable", progressed);
  }
  const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new DownloadError(`connection lost (${code ?? detail})`, "dropped", progressed);
}

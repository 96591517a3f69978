import { describeFetchError, RetryableError } from "./http-errors.js";

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The whole body: pages are at most a few MB. */
  text: string;
}

/**
 * One GET with a timeout over the whole exchange (a server that stalls mid-body times out too).
 * Network failures and timeouts become RetryableErrors; an abort through `signal` (Ctrl-C) is
 * rethrown as is, so nothing retries it. Any HTTP status is returned: the API clients judge it.
 */
export async function httpGet(
  url: string,
  options: { headers?: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { headers: options.headers, signal });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeout.aborted) throw new RetryableError(`no complete response within ${options.timeoutMs / 1000} s`);
    throw new RetryableError(`connection failed: ${describeFetchError(error)}`);
  }
}

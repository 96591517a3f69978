import { DEFAULT_TIMING, type HttpTiming } from "../../src/sync/http-timing.js";

/** Fast but real: retries and waits happen, in milliseconds. */
export const FAST: HttpTiming = { ...DEFAULT_TIMING, timeoutMs: 2_000, backoffMs: 5, retries: 3 };

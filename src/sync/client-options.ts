import type { HttpTiming } from "./http-timing.js";

/** What every API client is built with. */
export interface ClientOptions {
  /** Base URL of the API (the service's public one, a mirror, a self-hosted server). */
  apiUrl: string;
  timing: HttpTiming;
  /** Ctrl-C: aborts the request in flight and any wait. */
  signal?: AbortSignal;
  /** Told about every wait (rate limit, retry), for the progress line. */
  onWait?: (message: string) => void;
}

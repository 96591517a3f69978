import { UserError } from "../util/errors.js";
import { silentStatus, type StatusProgress } from "../util/progress.js";
import type { Store } from "../store/store.js";
import { checkApiUrl } from "./api-url.js";
import { DEFAULT_TIMING, type HttpTiming } from "./http-timing.js";
import { LASTFM_API_URL, LastfmClient, LIBREFM_API_KEY, LIBREFM_API_URL } from "./lastfm-client.js";
import { syncLastfm } from "./lastfm-sync.js";
import { LISTENBRAINZ_API_URL, ListenBrainzClient } from "./listenbrainz-client.js";
import { syncListenBrainz } from "./listenbrainz-sync.js";
import { PageStore } from "./page-store.js";
import { findAccount, type SyncAccount, type SyncService } from "./sync-accounts.js";
import { describeTotals, type SyncContext, type SyncTotals } from "./sync-context.js";

export const DEFAULT_API_URLS: Record<SyncService, string> = {
  listenbrainz: LISTENBRAINZ_API_URL,
  lastfm: LASTFM_API_URL,
  librefm: LIBREFM_API_URL,
};

export interface SyncRequest {
  service: SyncService;
  /** The user name on the service. */
  account: string;
  /** Default: the service's public API (DEFAULT_API_URLS). */
  apiUrl?: string;
  /** Store the listens under this user name (default: the one used before, else the account name). */
  listener?: string;
  /** ListenBrainz user token (optional: listens are public; it raises the rate limit). */
  token?: string;
  /** Last.fm API key (required for Last.fm; Libre.fm takes any). */
  apiKey?: string;
  /**
   * Walk the whole history again, not just what is newer than the last sync: catches listens
   * submitted late with an older time (an offline player's cache). Stored listens count as duplicates.
   */
  full?: boolean;
}

export interface SyncOptions {
  timing?: HttpTiming;
  status?: StatusProgress;
  signal?: AbortSignal;
  /** Listens per request (default: the service's maximum); tests use small pages. */
  pageSize?: number;
}

/** What `musicrec sync --json` prints for one account. */
export interface SyncResult {
  source: SyncService;
  user: string;
  listener: string;
  imported: number;
  duplicates: number;
  skipped: number;
  rejected: number;
  pages: number;
  seconds: number;
}

/**
 * Pulls the listens of one account that the store does not have yet and remembers the account
 * for `musicrec sync` without arguments. Incremental: only listens newer than the newest one of a
 * completed sync are fetched; an interrupted sync (Ctrl-C, kill, network) resumes where its last
 * stored page left off. Errors are one-line UserErrors; pages stored before one stay stored.
 */
export async function syncAccount(store: Store, request: SyncRequest, options: SyncOptions = {}): Promise<SyncResult> {
  const started = Date.now();
  const apiUrl = checkApiUrl(request.apiUrl ?? DEFAULT_API_URLS[request.service]);
  const timing = options.timing ?? DEFAULT_TIMING;
  const status = options.status ?? silentStatus;
  if (request.account.trim() === "") throw new UserError("the user name is empty");
  const known = await findAccount(store, request.service, apiUrl, request.account);
  const listener = request.listener ?? known?.listener ?? request.account;
  // Listens stored under another name do not count for this one: start over.
  const account: SyncAccount =
    known != null && known.listener === listener && !request.full
      ? known
      : { service: request.service, apiUrl, account: request.account, listener, syncedUntil: null, walk: null };
  const client = { apiUrl, timing, signal: options.signal, onWait: (message: string) => status.note(message) };
  const pages = new PageStore(store);
  const context: SyncContext = { store, pages, status, signal: options.signal };
  status.start(`${request.service} ${request.account}${account.walk == null ? "" : " (resuming)"}`);
  let totals: SyncTotals;
  try {
    if (request.service === "listenbrainz") {
      totals = await syncListenBrainz(context, account, new ListenBrainzClient({ ...client, token: request.token }), options.pageSize);
    } else {
      const lastfm = request.service === "lastfm";
      const apiKey = lastfm ? request.apiKey : (request.apiKey ?? LIBREFM_API_KEY);
      if (apiKey == null || apiKey.trim() === "") {
        throw new UserError("Last.fm needs an API key: --api-key KEY or LASTFM_API_KEY (create one at https://www.last.fm/api/account/create)");
      }
      totals = await syncLastfm(context, account, new LastfmClient({ ...client, apiKey, service: lastfm ? "Last.fm" : "Libre.fm" }), options.pageSize);
    }
  } finally {
    pages.close();
  }
  status.done(describeTotals(totals));
  return {
    source: request.service,
    user: request.account,
    listener,
    imported: totals.imported,
    duplicates: totals.duplicates,
    skipped: totals.skipped,
    rejected: totals.rejected,
    pages: totals.pages,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

import { z } from "zod";
import { isNowPlaying, LASTFM_PAGE_LIMIT, scrobbleTime, type LastfmClient, type TrackRecord } from "./lastfm-client.js";
import { addOutcome, describeTotals, emptyTotals, prefetch, type SyncContext, type SyncTotals } from "./sync-context.js";
import { completedWalk, type SyncAccount } from "./sync-accounts.js";

/**
 * Where an unfinished Last.fm sync stands: pages 1 .. page-1 of the window (synced_until, to] are
 * stored. `to` is fixed when the walk starts, so new scrobbles do not shift the page numbers of a
 * walk that is resumed later; synced_until becomes `top` (the newest scrobble seen) only when the
 * last page is stored.
 */
const walkSchema = z.object({ page: z.number().int().min(1), to: z.number(), top: z.number().nullable() });
type Walk = z.infer<typeof walkSchema>;

/**
 * Pulls a Last.fm or Libre.fm history with user.getRecentTracks, newest page first, `limit` 200,
 * `from` = synced_until (scrobbles at or before it are dropped before the import, whether the
 * service counts `from` in or not), each page stored with its position in one transaction. The
 * "now playing" entry goes to the importer, which counts it as skipped.
 */
export async function syncLastfm(
  context: SyncContext,
  start: SyncAccount,
  client: LastfmClient,
  limit: number = LASTFM_PAGE_LIMIT,
): Promise<SyncTotals> {
  const stop = start.syncedUntil;
  const resumed = walkSchema.safeParse(start.walk);
  let account = start;
  let walk: Walk = resumed.success ? resumed.data : { page: 1, to: Math.floor(Date.now() / 1000), top: null };
  const firstPage = walk.page;
  const totals = emptyTotals();
  const fetch = (page: number) => client.recentTracks(account.account, { page, limit, from: stop, to: walk.to });
  let nextPage = fetch(walk.page);
  for (;;) {
    const page = await nextPage;
    context.signal?.throwIfAborted();
    totals.pages++;
    const scrobbles = page.tracks.filter((track) => !isNowPlaying(track));
    const times = scrobbles.map(scrobbleTime).filter(Number.isFinite);
    const top = times.length === 0 ? walk.top : Math.max(walk.top ?? -Infinity, ...times);
    const finished = scrobbles.length === 0 || walk.page >= page.totalPages;
    const kept = page.tracks.filter((track) => isNowPlaying(track) || !(stop != null && scrobbleTime(track) <= stop));
    const next: SyncAccount = finished
      ? completedWalk(account, top)
      : { ...account, walk: { page: walk.page + 1, to: walk.to, top } satisfies Walk };
    const source = client.describeRequest("user.getRecentTracks", { user: account.account, page: walk.page, from: stop ?? undefined, to: walk.to });
    const document = kept.length > 0 ? { recenttracks: { track: kept satisfies TrackRecord[], "@attr": page.attr } } : null;
    // The next page downloads while this one is stored.
    if (!finished) nextPage = prefetch(fetch(walk.page + 1));
    addOutcome(totals, await context.pages.save({ format: "lastfm-api", document, source }, next));
    account = next;
    if (finished) return totals;
    const remaining = page.totalPages - firstPage + 1;
    context.status.update(describeTotals(totals), remaining > 0 ? (walk.page - firstPage + 1) / remaining : null);
    walk = { page: walk.page + 1, to: walk.to, top };
  }
}

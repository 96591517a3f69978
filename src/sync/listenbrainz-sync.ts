import { z } from "zod";
import { UserError } from "../util/errors.js";
import { LISTENBRAINZ_MAX_COUNT, type ListenBrainzClient, type ListenRecord } from "./listenbrainz-client.js";
import { addOutcome, describeTotals, emptyTotals, prefetch, type SyncContext, type SyncTotals } from "./sync-context.js";
import { completedWalk, type SyncAccount } from "./sync-accounts.js";

/**
 * Where an unfinished ListenBrainz sync stands: every listen in [maxTs - 1, top] is stored (plus,
 * as always, every one at or before synced_until). The walk goes back in time from the newest
 * listen; synced_until becomes `top` only when the walk reaches synced_until or the first listen.
 */
const walkSchema = z.object({ maxTs: z.number().nullable(), top: z.number().nullable() });
type Walk = z.infer<typeof walkSchema>;

const listenTime = (listen: ListenRecord): number => (typeof listen.listened_at === "number" ? listen.listened_at : Number.NaN);

/** Identity of a listen, to drop the ones at a page boundary that the previous page already had. */
const listenKey = (listen: ListenRecord): string =>
  `${String(listen.listened_at)}\u0000${JSON.stringify(listen.recording_msid ?? listen.track_metadata ?? null)}`;

/**
 * Pulls a ListenBrainz history back in time, page by page (`max_ts`), from the newest listen down
 * to synced_until (or the user's first listen), each page stored with its position in one
 * transaction. `max_ts` excludes its own second, so each next page starts one second above the
 * oldest listen seen: listens sharing that second are never cut off by the page size; the ones
 * fetched twice are dropped before the import (after a resume, the import counts them as duplicates).
 */
export async function syncListenBrainz(
  context: SyncContext,
  start: SyncAccount,
  client: ListenBrainzClient,
  pageSize: number = LISTENBRAINZ_MAX_COUNT,
): Promise<SyncTotals> {
  const stop = start.syncedUntil;
  const resumed = walkSchema.safeParse(start.walk);
  let account = start;
  let walk: Walk = resumed.success ? resumed.data : { maxTs: null, top: null };
  let boundary = new Set<string>();
  let floor = stop;
  let from = walk.maxTs;
  const totals = emptyTotals();
  const fetch = (maxTs: number | null) => client.listens(account.account, { maxTs, count: pageSize });
  let nextPage = fetch(walk.maxTs);
  for (;;) {
    const page = await nextPage;
    context.signal?.throwIfAborted();
    totals.pages++;
    const times = page.listens.map(listenTime).filter(Number.isFinite);
    if (page.listens.length > 0 && times.length === 0) {
      throw new UserError(`ListenBrainz listens of "${account.account}": a page without listened_at timestamps; cannot page further`);
    }
    const newest = Math.max(...times);
    const oldest = Math.min(...times);
    const top = times.length === 0 ? walk.top : Math.max(walk.top ?? newest, newest);
    if (page.oldestListenTs != null) floor = Math.max(stop ?? page.oldestListenTs, page.oldestListenTs);
    const finished =
      times.length === 0 || (stop != null && oldest <= stop) || (page.oldestListenTs != null && oldest <= page.oldestListenTs);
    const kept = page.listens.filter((listen) => !(stop != null && listenTime(listen) <= stop) && !boundary.has(listenKey(listen)));
    // One second above the oldest listen, unless the whole page sat in that second (then skip it).
    const maxTs = walk.maxTs == null || oldest + 1 < walk.maxTs ? oldest + 1 : oldest;
    const next: SyncAccount = finished
      ? completedWalk(account, top)
      : { ...account, walk: { maxTs, top } satisfies Walk };
    const source = client.describeRequest(account.account, walk.maxTs);
    // The next page downloads while this one is stored.
    if (!finished) nextPage = prefetch(fetch(maxTs));
    addOutcome(totals, await context.pages.save({ format: "listenbrainz-api", document: kept.length > 0 ? { payload: { listens: kept } } : null, source }, next));
    account = next;
    if (finished) return totals;
    walk = { maxTs, top };
    boundary = new Set(page.listens.filter((listen) => listenTime(listen) === oldest).map(listenKey));
    // This run's share of the time span between where it started and where the walk will end.
    from ??= top;
    const fraction = from != null && floor != null && from > floor ? (from - maxTs) / (from - floor) : null;
    context.status.update(describeTotals(totals), fraction);
  }
}

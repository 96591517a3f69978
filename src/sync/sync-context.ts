import type { Store } from "../store/store.js";
import type { StatusProgress } from "../util/progress.js";
import type { PageOutcome, PageStore } from "./page-store.js";

/** What a service's sync walk works with. */
export interface SyncContext {
  store: Store;
  pages: PageStore;
  status: StatusProgress;
  /** Ctrl-C: stops between pages (a page in flight is dropped, a page being stored is finished). */
  signal?: AbortSignal;
}

/** Running totals of one sync. */
export interface SyncTotals extends PageOutcome {
  /** Pages fetched (retries of a page not counted). */
  pages: number;
}

export const emptyTotals = (): SyncTotals => ({ imported: 0, duplicates: 0, skipped: 0, rejected: 0, pages: 0 });

export function addOutcome(totals: SyncTotals, outcome: PageOutcome): void {
  totals.imported += outcome.imported;
  totals.duplicates += outcome.duplicates;
  totals.skipped += outcome.skipped;
  totals.rejected += outcome.rejected;
}

/** "3 pages, 2,841 new listens" for the status line. */
export function describeTotals(totals: SyncTotals): string {
  const plural = (count: number, word: string) => `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;
  return `${plural(totals.pages, "page")}, ${plural(totals.imported, "new listen")}`;
}

/**
 * A request started ahead (the next page, while this one is stored). Its failure surfaces when it
 * is awaited; until then it must not count as an unhandled rejection.
 */
export function prefetch<T>(request: Promise<T>): Promise<T> {
  request.catch(() => {});
  return request;
}

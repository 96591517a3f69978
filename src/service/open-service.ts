import fs from "node:fs";
import { LibraryIndex } from "../library/library-index.js";
import { Store } from "../store/store.js";
import { loadBundle } from "../models/bundle.js";
import { bundleDirFor } from "../util/config.js";
import { currentOpinions, everyonePlayedSince } from "../store/feedback.js";
import { RecommendationService } from "./recommendation-service.js";
import type { RecentPlay } from "./listener-feedback.js";
import { fixedOpinions, OpinionBook } from "./opinion-book.js";

/** The service over the bundle trained next to the store `dbPath` (a 409 UserError when none). */
export async function openService(dbPath: string, cacheEntries?: number): Promise<RecommendationService> {
  return new RecommendationService(await loadBundle(bundleDirFor(dbPath)), cacheEntries);
}

/**
 * Attaches the local library (`musicrec library scan`) of the store `dbPath` to the service,
 * matched against the bundle's catalogue; the store is only read.
 */
export async function attachLibrary(service: RecommendationService, dbPath: string): Promise<LibraryIndex> {
  const store = await Store.open(dbPath, { readOnly: true });
  try {
    const library = await LibraryIndex.load(store, service.training.catalog);
    service.useLibrary(library);
    return library;
  } finally {
    store.close();
  }
}

/**
 * Attaches every listener's current bans and loved tracks (`musicrec feedback`, ListenBrainz
 * feedback) of the store `dbPath`; none when the bundle is used without its store.
 */
export async function attachOpinions(service: RecommendationService, dbPath: string): Promise<OpinionBook> {
  if (!fs.existsSync(dbPath)) return OpinionBook.empty;
  const store = await Store.open(dbPath, { readOnly: true });
  try {
    const book = new OpinionBook(await currentOpinions(store));
    service.useOpinions(fixedOpinions(book));
    return book;
  } finally {
    store.close();
  }
}

/** The items `user` played within the last `withinMs` (by the store's play dates; undated plays are not recent). */
export async function readRecentPlays(dbPath: string, user: string, withinMs: number, now = Date.now()): Promise<RecentPlay[]> {
  return (await readEveryonesRecentPlays(dbPath, withinMs, now, user)).get(user) ?? [];
}

/** readRecentPlays of every listener (or one) in one read, by listener name. */
export async function readEveryonesRecentPlays(dbPath: string, withinMs: number, now = Date.now(), user?: string): Promise<Map<string, RecentPlay[]>> {
  const store = await Store.open(dbPath, { readOnly: true });
  try {
    return await everyonePlayedSince(store, new Date(now - withinMs), user);
  } finally {
    store.close();
  }
}

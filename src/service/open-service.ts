import { LibraryIndex } from "../library/library-index.js";
import { Store } from "../store/store.js";
import { loadBundle } from "../models/bundle.js";
import { bundleDirFor } from "../util/config.js";
import { RecommendationService } from "./recommendation-service.js";

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

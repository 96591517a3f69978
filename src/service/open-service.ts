import { loadBundle } from "../models/bundle.js";
import { bundleDirFor } from "../util/config.js";
import { RecommendationService } from "./recommendation-service.js";

/** The service over the bundle trained next to the store `dbPath` (a 409 UserError when none). */
export async function openService(dbPath: string, cacheEntries?: number): Promise<RecommendationService> {
  return new RecommendationService(await loadBundle(bundleDirFor(dbPath)), cacheEntries);
}

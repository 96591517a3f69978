/**
 * What the pages and the API serve from one model bundle, built once per bundle: the query
 * service (with its own response cache), the user picker's index and the example listeners.
 */
import type { ModelName } from "../models/recommender.js";
import { PAGE_MODELS } from "../service/model-info.js";
import { RecommendationService, type ServingModels } from "../service/recommendation-service.js";
import { UserSearch } from "./user-search.js";

export interface ServedModels {
  service: RecommendationService;
  users: UserSearch;
  /** Models shown side by side on the pages: the trained ones of PAGE_MODELS (all trained ones if none). */
  pageModels: ModelName[];
  /** The most active users, offered as examples on the home page. */
  exampleUsers: string[];
}

const EXAMPLE_USERS = 8;

export function serveModels(bundle: ServingModels, cacheEntries?: number): ServedModels {
  const service = new RecommendationService(bundle, cacheEntries);
  const plays = bundle.training.plays;
  const users = new UserSearch(bundle.training.userNames, (user) => plays.rowNnz(user));
  const byActivity = Array.from(bundle.training.userNames, (_, i) => i).sort((a, b) => plays.rowNnz(b) - plays.rowNnz(a) || a - b);
  const pageModels = PAGE_MODELS.filter((m) => service.modelNames.includes(m));
  return {
    service,
    users,
    pageModels: pageModels.length > 0 ? pageModels : service.modelNames,
    exampleUsers: byActivity.slice(0, EXAMPLE_USERS).map((i) => bundle.training.userNames[i]),
  };
}

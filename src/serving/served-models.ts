/**
 * What the pages and the API serve from one model bundle, built once per bundle: the query
 * service (with its own response cache), the user picker's index and the example listeners.
 */
import { MODEL_ORDER, PAGE_MODELS } from "../service/model-info.js";
import { RecommendationService, type ListenerContext, type RecommendQuery, type ServingModels } from "../service/recommendation-service.js";
import type { ScoringThreads } from "../service/scoring-threads.js";
import { SeedSearch } from "./seed-search.js";
import { UserSearch } from "./user-search.js";

export interface ServedModels {
  service: RecommendationService;
  users: UserSearch;
  /** The radio page's seed picker. */
  seeds: SeedSearch;
  /** Models shown side by side on the pages: the trained ones of PAGE_MODELS and every imported one (all models if none). */
  pageModels: string[];
  /** The most active users, offered as examples on the home page. */
  exampleUsers: string[];
  /** Threads scoring known listeners' recommendations on copies of this bundle (serve --scoring-threads), when started. */
  threads: ScoringThreads | null;
}

const EXAMPLE_USERS = 8;

export function serveModels(bundle: ServingModels, cacheEntries?: number): ServedModels {
  const service = new RecommendationService(bundle, cacheEntries);
  const plays = bundle.training.plays;
  const users = new UserSearch(bundle.training.userNames, (user) => plays.rowNnz(user));
  const byActivity = Array.from(bundle.training.userNames, (_, i) => i).sort((a, b) => plays.rowNnz(b) - plays.rowNnz(a) || a - b);
  const pageModels = service.modelNames.filter((m) => (PAGE_MODELS as readonly string[]).includes(m) || !(MODEL_ORDER as readonly string[]).includes(m));
  return {
    service,
    users,
    seeds: new SeedSearch(bundle.training),
    pageModels: pageModels.length > 0 ? pageModels : service.modelNames,
    exampleUsers: byActivity.slice(0, EXAMPLE_USERS).map((i) => bundle.training.userNames[i]),
    threads: null,
  };
}

/** Scoring threads that can take jobs for these models (0: everything is scored on the main thread). */
export function scoringThreadCount(served: ServedModels): number {
  return served.threads?.usable ? served.threads.size : 0;
}

/**
 * The API body of a known user's recommendations: built on a scoring thread when this bundle has
 * usable ones (the same bytes; kept in the response cache as if built here), else on this thread.
 * A libraryOnly query stays here (the local library is matched on this thread), and so does
 * everything once a thread failed or the threads are closing after a swap.
 */
export function userRecommendationsJson(served: ServedModels, user: string, query: RecommendQuery, context: ListenerContext = {}): Buffer | Promise<Buffer> {
  const { service, threads } = served;
  if (!threads?.usable || query.libraryOnly) return service.forUserJson(user, query, context);
  const { history, ranking } = service.scoringInput(user, query, context);
  // A query no model can answer is a 400 from here, as it would be from the main thread's scoring.
  service.checkQuery(query);
  return threads.userJson(user, query, history, ranking).then(
    (json) => {
      service.rememberUserJson(user, query, json);
      return json;
    },
    (error: unknown) => {
      if (threads.usable) throw error;
      return service.forUserJson(user, query, context);
    },
  );
}

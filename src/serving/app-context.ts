/**
 * Everything the server needs, injected: the loaded models (read-only), the dataset views the
 * pages show (from the store in production, from a small in-memory store in tests) and the
 * history-file reader used by uploads. `musicrec serve` builds it from the store and the bundle.
 */
import type { FormatName } from "../ingest/formats.js";
import type { ParsedHistory } from "../ingest/read-history.js";
import { MODEL_ORDER, PAGE_MODELS } from "../service/model-info.js";
import { RecommendationService, type ServingModels } from "../service/recommendation-service.js";
import { UserSearch } from "./user-search.js";
import type { InsightsData } from "./pages/insights-page.js";
import type { ListenerProfile } from "./pages/recommendations-page.js";

export interface HistoryFileOptions {
  format?: FormatName;
  user?: string;
}

export interface DatasetSource {
  insights(): Promise<InsightsData>;
  /** Null for a user the store does not know. */
  profile(user: string): Promise<ListenerProfile | null>;
  /** Adds an uploaded history file to the store; returns a one-line summary for the page. */
  importHistory(file: string, options: HistoryFileOptions): Promise<string>;
}

export type HistoryReader = (file: string, options: HistoryFileOptions) => Promise<ParsedHistory>;

export interface AppContext {
  service: RecommendationService;
  users: UserSearch;
  /** Models shown side by side on the pages: the trained ones of PAGE_MODELS and every imported one (all models if none). */
  pageModels: string[];
  /** The most active users, offered as examples on the home page. */
  exampleUsers: string[];
  dataset: DatasetSource;
  readHistory: HistoryReader;
}

const EXAMPLE_USERS = 8;

export function createAppContext(
  bundle: ServingModels,
  dataset: DatasetSource,
  readHistory: HistoryReader,
  cacheEntries?: number,
): AppContext {
  const service = new RecommendationService(bundle, cacheEntries);
  const plays = bundle.training.plays;
  const users = new UserSearch(bundle.training.userNames, (user) => plays.rowNnz(user));
  const byActivity = Array.from(bundle.training.userNames, (_, i) => i).sort((a, b) => plays.rowNnz(b) - plays.rowNnz(a) || a - b);
  const pageModels = service.modelNames.filter((m) => (PAGE_MODELS as readonly string[]).includes(m) || !(MODEL_ORDER as readonly string[]).includes(m));
  return {
    service,
    users,
    pageModels: pageModels.length > 0 ? pageModels : service.modelNames,
    exampleUsers: byActivity.slice(0, EXAMPLE_USERS).map((i) => bundle.training.userNames[i]),
    dataset,
    readHistory,
  };
}

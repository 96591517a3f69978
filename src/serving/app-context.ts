/**
 * Everything the server needs, injected: the models being served (swappable, live-models.ts),
 * the dataset views the pages show (from the store in production, from a small in-memory store
 * in tests), the history-file reader used by uploads, who may write (write-access.ts) and the
 * refresh, when there is one. `musicrec serve` builds it from the store and the bundle.
 *
 * A handler reads the served models once (`context.models.current`, or the `service`, `users`,
 * ... shorthands at the start of the handler) and keeps them to its end: never at registration,
 * or it would keep serving the first bundle after a swap.
 */
import type { FormatName } from "../ingest/formats.js";
import type { ParsedHistory } from "../ingest/read-history.js";
import type { RefreshRunner } from "../service/refresh-runner.js";
import type { RecommendationService, ServingModels } from "../service/recommendation-service.js";
import { LiveModels, type PrepareModels } from "./live-models.js";
import { ScoringQueue } from "./scoring-queue.js";
import type { UserSearch } from "./user-search.js";
import type { InsightsData } from "./pages/insights-page.js";
import type { ListenerProfile } from "./pages/recommendations-page.js";
import { WriteAccess } from "./write-access.js";
import type { ListenerStore } from "./listener-store.js";

export interface HistoryFileOptions {
  format?: FormatName;
  user?: string;
}

export interface DatasetSource {
  insights(): Promise<InsightsData>;
  /** Null for a user the store does not know (or when the store is busy for longer than a page waits). */
  profile(user: string): Promise<ListenerProfile | null>;
  /** Adds an uploaded history file to the store; returns a one-line summary for the page. */
  importHistory(file: string, options: HistoryFileOptions): Promise<string>;
  /** Forgets cached reads (after a model swap). */
  invalidate?(): void;
}

export type HistoryReader = (file: string, options: HistoryFileOptions) => Promise<ParsedHistory>;

export interface AppContext {
  /** The models being served; swapped when a new bundle is saved. */
  models: LiveModels;
  /** Shorthands for models.current.*: read once per request. */
  readonly service: RecommendationService;
  readonly users: UserSearch;
  readonly pageModels: string[];
  readonly exampleUsers: string[];
  dataset: DatasetSource;
  readHistory: HistoryReader;
  writes: WriteAccess;
  /** Listeners' bans, loved tracks and recent plays in the store; null when the server has no store (then bans are not served). */
  listeners: ListenerStore | null;
  /** Null when the server cannot refresh its models (tests, a bundle without a store path). */
  refresh: RefreshRunner | null;
  /** What /api/health reports about the bundle watcher (the last bundle that failed to load). */
  bundleError: () => { id: string; message: string; at: string } | null;
  /** Why the demo serves synthetic data, for the page banner (set by `musicrec demo`). */
  syntheticReason?: string;
  /** Where the API's model work waits its turn, and is refused (503) when the wait would be too long. */
  scoring: ScoringQueue;
}

export interface AppContextOptions {
  cacheEntries?: number;
  writes?: WriteAccess;
  /** Every served bundle honours the bans and loved tracks it keeps. */
  listeners?: ListenerStore;
  refresh?: RefreshRunner | null;
  bundleError?: AppContext["bundleError"];
  /** Runs on each bundle's models before they serve (await `models.prepared` for the first). */
  prepare?: PrepareModels;
  /** Why the demo serves synthetic data, for the page banner. */
  syntheticReason?: string;
  scoring?: ScoringQueue;
}

export function createAppContext(
  bundle: ServingModels,
  dataset: DatasetSource,
  readHistory: HistoryReader,
  options: AppContextOptions = {},
): AppContext {
  const listeners = options.listeners ?? null;
  const models = new LiveModels(bundle, options.cacheEntries, async (served) => {
    if (listeners) served.service.useOpinions(listeners.opinions);
    await served.service.prepareModels();
    await options.prepare?.(served);
  });
  return {
    models,
    get service() {
      return models.current.service;
    },
    get users() {
      return models.current.users;
    },
    get pageModels() {
      return models.current.pageModels;
    },
    get exampleUsers() {
      return models.current.exampleUsers;
    },
    dataset,
    readHistory,
    writes: options.writes ?? new WriteAccess({ host: "127.0.0.1" }),
    listeners,
    refresh: options.refresh ?? null,
    bundleError: options.bundleError ?? (() => null),
    syntheticReason: options.syntheticReason,
    scoring: options.scoring ?? new ScoringQueue(),
  };
}

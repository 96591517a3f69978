/**
 * Starts the web app over a store file and its trained bundle: what `musicrec serve` and
 * `musicrec demo` do once the data and the models exist. The caller decides when to stop it
 * (the CLI on SIGINT/SIGTERM).
 *
 * The server holds no lock on the store: it loads the bundle, reads what the pages show through
 * brief opens (store-access.ts) and lets `import`, `train` and `sync` run beside it. A
 * BundleWatcher notices each newly saved bundle and swaps it in (live-models.ts); the response
 * cache and the dataset summary follow. With a refresh, a RefreshRunner runs sync and train in
 * child processes on a schedule or on POST /api/refresh.
 */
import fs from "node:fs";
import os from "node:os";
import { bundleDirFor } from "../util/config.js";
import { formatDuration } from "../util/duration.js";
import { UserError } from "../util/errors.js";
import { readHistoryFile } from "../ingest/read-history.js";
import { bundleBytes, loadBundle } from "../models/bundle.js";
import { LibraryIndex } from "../library/library-index.js";
import { briefStoreAccess, type StoreAccess } from "../store/store-access.js";
import { BundleWatcher } from "../service/bundle-watcher.js";
import { RefreshRunner, type CliCommand, type RefreshStep } from "../service/refresh-runner.js";
import { ScoringThreads } from "../service/scoring-threads.js";
import { DEFAULT_CACHE_ENTRIES, type RecommendationService } from "../service/recommendation-service.js";
import { DEFAULT_K } from "./api-schemas.js";
import { createAppContext, type AppContext } from "./app-context.js";
import { RequestLoad } from "./request-load.js";
import { ScoringQueue } from "./scoring-queue.js";
import { scoringThreadCount } from "./served-models.js";
import { buildServer } from "./server.js";
import { StoreDataset } from "./store-dataset.js";
import { ListenerStore } from "./listener-store.js";
import { WriteAccess } from "./write-access.js";

export interface RefreshSetup {
  /** How to run the musicrec CLI in a child process. */
  cli: CliCommand;
  /** The steps of one refresh, decided when it starts (reading the store through the server's access). */
  plan: (store: StoreAccess) => Promise<RefreshStep[]>;
  /** Refresh on this schedule; without, only POST /api/refresh starts one. */
  everyMs?: number;
}

export interface ListenOptions {
  host: string;
  port: number;
  /** Cached API responses (0 disables the cache, e.g. to measure raw model latency). */
  cacheEntries?: number;
  /** Answer 503 with Retry-After to a request that would wait longer than this for the models (default 1 s). */
  maxWaitMs?: number;
  logger?: boolean;
  /** The write token (API Bearer, web forms); without it only loopback web forms write. */
  token?: string;
  refresh?: RefreshSetup;
  /** How often the bundle folder is polled besides being watched (default 2 s). */
  pollMs?: number;
  /** Where the server's own lines go (default stdout, prefixed "musicrec: "). */
  log?: (line: string) => void;
  /** Why the demo serves synthetic data, shown in the page banner. */
  syntheticReason?: string;
  /** Worker threads scoring recommendation requests, each holding a copy of the bundle (default defaultScoringThreads(); 0: all on the main thread). */
  scoringThreads?: number;
}

/** Jobs handed to each scoring thread at once (a thread wakes per message: one at a time left it idle a third of the time). */
const JOBS_PER_SCORING_THREAD = 8;
/** Saved models larger than this get no scoring threads by default: each thread holds another copy in memory. */
export const LARGE_BUNDLE_BYTES = 256 * 1024 * 1024;

/**
 * Scoring threads by default: two on a machine with two cores or more (bench:serve on 2 cores with
 * HetRec: 4,001–4,307 uncached requests/s against 3,355–3,471 on the main thread alone), none where
 * there is one core or where each copy of the models would take much memory.
 */
export function defaultScoringThreads(bundleBytes: number, cores = os.availableParallelism()): number {
  return cores >= 2 && bundleBytes <= LARGE_BUNDLE_BYTES ? 2 : 0;
}

export interface RunningServer {
  url: string;
  context: AppContext;
  /** Stops listening, watching and any refresh in progress. */
  close(): Promise<void>;
}

export async function serveStore(dbPath: string, options: ListenOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => process.stdout.write(`musicrec: ${line}\n`));
  const bundleDir = bundleDirFor(dbPath);
  if (!fs.existsSync(bundleDir)) {
    throw new UserError(`no trained models at ${bundleDir}: run \`musicrec train\` first (or \`musicrec demo\` for the built-in demo data)`);
  }
  const bundle = await loadBundle(bundleDir);
  const savedBytes = bundle.id === undefined ? 0 : await bundleBytes(bundleDir, bundle.id);
  const scoringThreads = options.scoringThreads ?? defaultScoringThreads(savedBytes);
  const store = briefStoreAccess(dbPath);
  // One brief open for writing brings an older store's schema up to date (new tables), as every command does.
  await store.write(async () => {});
  const dataset = new StoreDataset(store, log);
  const listeners = new ListenerStore(store, log);
  await listeners.opinions.reload();
  const writes = new WriteAccess({ token: options.token, host: options.host });
  const plan = options.refresh?.plan;
  const refresh = options.refresh && plan ? new RefreshRunner({ cli: options.refresh.cli, dbPath, plan: () => plan(store), log }) : null;
  const watcher = new BundleWatcher(bundleDir, {
    servingId: bundle.id ?? null,
    onBundle: async (loaded, timing) => {
      await context.models.swap(loaded);
      log(
        `switched to the new models ${loaded.id} (trained ${loaded.trainedAt}): loaded in ${formatDuration(timing.loadMs)}, ` +
          `serving ${formatDuration(Date.now() - timing.savedAt)} after it was saved; requests in flight finished on the old ones`,
      );
    },
    onError: (id, error) =>
      log(`new model bundle ${id} could not be loaded, still serving ${context.service.bundle.id}: ${error instanceof Error ? error.message : String(error)}`),
    pollMs: options.pollMs,
  });
  const context = createAppContext(bundle, dataset, readHistoryFile, {
    cacheEntries: options.cacheEntries,
    // Several jobs in flight per usable scoring thread: each has the next one at hand while answers travel back.
    scoring: new ScoringQueue({ maxWaitMs: options.maxWaitMs, concurrency: () => JOBS_PER_SCORING_THREAD * scoringThreadCount(context.models.current) }),
    writes,
    listeners,
    refresh,
    bundleError: () => watcher.lastError,
    syntheticReason: options.syntheticReason,
    // The local library (`musicrec library scan`) matched to each bundle's catalogue, before it serves.
    prepare: async (served) => {
      const { service } = served;
      try {
        service.useLibrary(await store.read((opened) => LibraryIndex.load(opened, service.training.catalog)));
      } catch (error) {
        log(`local library not attached (libraryOnly requests will say so): ${error instanceof Error ? error.message : String(error)}`);
      }
      // Each bundle gets threads of its own, loaded before it serves; the old ones close after a swap.
      const version = service.bundle.id;
      if (scoringThreads > 0 && version !== undefined) {
        try {
          served.threads = await ScoringThreads.start({ bundleDir, version }, scoringThreads);
        } catch (error) {
          log(`scoring on the main thread: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    },
  });
  await context.models.prepared;
  context.models.onSwap(({ previous }) => void previous.threads?.close());
  const threads = scoringThreadCount(context.models.current);
  log(
    threads > 0
      ? `scoring recommendation requests on ${threads} worker thread${threads === 1 ? "" : "s"} (--scoring-threads; each holds a copy of the models)`
      : options.scoringThreads === undefined && savedBytes > LARGE_BUNDLE_BYTES
        ? `scoring on the main thread: the models take ${Math.round(savedBytes / 2 ** 20)} MB, so no copies for scoring threads by default (--scoring-threads N to use N)`
        : "scoring on the main thread",
  );
  const load = new RequestLoad();
  const cacheOn = (options.cacheEntries ?? DEFAULT_CACHE_ENTRIES) > 0;
  let warming = new AbortController();
  context.models.onSwap(({ current }) => {
    dataset.invalidate();
    warming.abort();
    warming = new AbortController();
    if (cacheOn) void warmCache(current.service, load, warming.signal, log);
  });

  const app = await buildServer(context, { logger: options.logger, load });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UserError(`port ${options.port} on ${options.host} is in use: choose another with --port`);
    if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") throw new UserError(`cannot listen on host ${options.host}: not an address of this machine`);
    throw error;
  }
  const shown = options.host.includes(":") ? `[${options.host}]` : options.host;
  const port = (app.server.address() as { port: number }).port;
  const url = `http://${shown}:${port}/`;
  log(
    `serving ${bundle.training.userNames.length.toLocaleString("en")} users and ${bundle.training.catalog.keys.length.toLocaleString("en")} items` +
      `${bundle.synthetic ? " (synthetic demo data)" : ""} at ${url}  (API docs: /docs; Ctrl-C stops)`,
  );
  log(writes.describe());
  watcher.start();
  if (refresh && options.refresh?.everyMs) {
    refresh.schedule(options.refresh.everyMs);
    log(`refreshing the models every ${formatDuration(options.refresh.everyMs)} (next at ${refresh.nextAt})`);
  }
  dataset.insights().catch((error: unknown) => log(`dataset summary not ready: ${error instanceof Error ? error.message : String(error)}`));
  if (cacheOn) void warmCache(context.service, load, warming.signal, log);
  return {
    url,
    context,
    async close() {
      warming.abort();
      await Promise.all([watcher.stop(), refresh?.stop()]);
      await app.close();
      await context.models.current.threads?.close();
    },
  };
}

/** Precomputes the default request of every user in the background; a failure only costs speed. */
async function warmCache(service: RecommendationService, load: RequestLoad, signal: AbortSignal, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const query = { model: service.defaultModel, k: DEFAULT_K, perArtist: 0, newArtistsOnly: false };
  try {
    const warmed = await service.warmUp(query, { busy: () => load.busy, signal });
    if (signal.aborted) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(`precomputed ${service.defaultModel} recommendations of ${warmed.toLocaleString("en")} users (${seconds}s)`);
  } catch (error) {
    log(`precomputing recommendations failed, serving without: ${error instanceof Error ? error.message : String(error)}`);
  }
}

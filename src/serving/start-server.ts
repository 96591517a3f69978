/**
 * Starts the web app over a store file and its trained bundle: what `musicrec serve` and
 * `musicrec demo` do once the data and the models exist. The caller decides when to stop it
 * (the CLI on SIGINT/SIGTERM).
 */
import fs from "node:fs";
import { bundleDirFor } from "../util/config.js";
import { UserError } from "../util/errors.js";
import { readHistoryFile } from "../ingest/read-history.js";
import { loadBundle } from "../models/bundle.js";
import { LibraryIndex } from "../library/library-index.js";
import { Store } from "../store/store.js";
import { DEFAULT_K } from "./api-schemas.js";
import { createAppContext, type AppContext } from "./app-context.js";
import { DEFAULT_CACHE_ENTRIES } from "../service/recommendation-service.js";
import { RequestLoad } from "./request-load.js";
import { buildServer } from "./server.js";
import { StoreDataset } from "./store-dataset.js";

export interface ListenOptions {
  host: string;
  port: number;
  /** Cached API responses (0 disables the cache, e.g. to measure raw model latency). */
  cacheEntries?: number;
  logger?: boolean;
  /** Why the demo serves synthetic data, shown in the page banner. */
  syntheticReason?: string;
}

export interface RunningServer {
  url: string;
  /** Stops listening and closes the store. */
  close(): Promise<void>;
}

export async function serveStore(dbPath: string, options: ListenOptions): Promise<RunningServer> {
  const bundleDir = bundleDirFor(dbPath);
  if (!fs.existsSync(bundleDir)) {
    throw new UserError(`no trained models at ${bundleDir}: run \`musicrec train\` first (or \`musicrec demo\` for the built-in demo data)`);
  }
  const store = await Store.open(dbPath);
  try {
    const bundle = await loadBundle(bundleDir);
    const context: AppContext = {
      ...createAppContext(bundle, new StoreDataset(store), readHistoryFile, options.cacheEntries),
      syntheticReason: options.syntheticReason,
    };
    context.service.useLibrary(await LibraryIndex.load(store, bundle.training.catalog));
    const load = new RequestLoad();
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
    process.stdout.write(
      `musicrec: serving ${bundle.training.userNames.length.toLocaleString("en")} users and ${bundle.training.catalog.keys.length.toLocaleString("en")} items` +
        `${bundle.synthetic ? " (synthetic demo data)" : ""} at ${url}  (API docs: /docs; Ctrl-C stops)\n`,
    );
    if ((options.cacheEntries ?? DEFAULT_CACHE_ENTRIES) > 0) void warmCache(context, load);
    return {
      url,
      async close() {
        await app.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** Precomputes the default request of every user in the background; a failure only costs speed. */
async function warmCache(context: AppContext, load: RequestLoad): Promise<void> {
  const started = Date.now();
  const query = { model: context.service.defaultModel, k: DEFAULT_K, perArtist: 0, newArtistsOnly: false };
  try {
    const warmed = await context.service.warmUp(query, { busy: () => load.busy });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(`musicrec: precomputed ${context.service.defaultModel} recommendations of ${warmed.toLocaleString("en")} users (${seconds}s)\n`);
  } catch (error) {
    process.stderr.write(`musicrec: precomputing recommendations failed, serving without: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

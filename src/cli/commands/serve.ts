import type { Command } from "commander";
import { dbPathOf, nonNegativeInt, port } from "../options.js";
import { selfCommand } from "../self-command.js";
import { DEFAULT_CACHE_ENTRIES } from "../../service/recommendation-service.js";
import type { RefreshStep } from "../../service/refresh-runner.js";
import { serveStore, type ListenOptions } from "../../serving/start-server.js";
import { checkedToken, TOKEN_ENV } from "../../serving/write-access.js";
import type { Store } from "../../store/store.js";
import type { StoreAccess } from "../../store/store-access.js";
import { parseDuration } from "../../util/duration.js";
import { UserError } from "../../util/errors.js";

export const DEFAULT_PORT = 5000;
export const DEFAULT_HOST = "127.0.0.1";
/** The shortest --refresh: a retrain more often than this would mostly keep the CPU busy. */
const MIN_REFRESH_MS = 60_000;

interface ServeFlags {
  port: string;
  host: string;
  cacheSize: string;
  maxWait: string;
  scoringThreads?: string;
  log?: boolean;
  token?: string;
  refresh?: string;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and JSON API (docs at /docs) over the store and its trained models; switches to newly trained models by itself")
    .option("--port <n>", "port to listen on", String(DEFAULT_PORT))
    .option("--host <address>", "address to listen on (0.0.0.0 for every interface; then writes need --token)", DEFAULT_HOST)
    .option("--cache-size <n>", "API responses kept in memory (0 disables the cache)", String(DEFAULT_CACHE_ENTRIES))
    .option("--token <token>", `token for changes: API Authorization: Bearer, web upload-to-store (default $${TOKEN_ENV})`)
    .option("--refresh <every>", "sync the remembered sources and retrain every so often, e.g. 6h, 24h (in the background; the new models replace the old when ready)")
    .option("--max-wait <duration>", "answer 503 with Retry-After (overloaded) to a request that would wait longer than this for the models", "1s")
    .option(
      "--scoring-threads <n>",
      "worker threads scoring recommendation requests beside the main thread, each holding a copy of the models in memory (default: 2 with two cores or more when the saved models take at most 256 MB, else 0; 0: score on the main thread)",
    )
    .option("--log", "log every request")
    .action(async (flags: ServeFlags, command: Command) => {
      const dbPath = dbPathOf(command);
      const everyMs = flags.refresh === undefined ? undefined : parseDuration(flags.refresh, "--refresh");
      if (everyMs !== undefined && everyMs < MIN_REFRESH_MS) throw new UserError(`--refresh must be at least 1m, got "${flags.refresh}"`);
      await serveUntilStopped(dbPath, {
        host: flags.host,
        port: port(flags.port),
        cacheEntries: nonNegativeInt(flags.cacheSize, "--cache-size"),
        maxWaitMs: parseDuration(flags.maxWait, "--max-wait"),
        scoringThreads: flags.scoringThreads === undefined ? undefined : nonNegativeInt(flags.scoringThreads, "--scoring-threads"),
        logger: Boolean(flags.log),
        token: flags.token !== undefined ? checkedToken(flags.token, "--token") : checkedToken(process.env[TOKEN_ENV], TOKEN_ENV),
        refresh: { cli: selfCommand(), plan: (store) => refreshPlan(program, store), everyMs },
      });
    });
}

/**
 * One refresh: `sync` of the remembered sources when this musicrec has the command and the store
 * remembers any, then `train --like-current` (the models, level, k-core and parameters of the
 * bundle being served).
 */
async function refreshPlan(program: Command, store: StoreAccess): Promise<RefreshStep[]> {
  const steps: RefreshStep[] = [];
  if (program.commands.some((c) => c.name() === "sync") && (await store.read(remembersSources))) steps.push({ name: "sync", args: ["sync"] });
  steps.push({ name: "train", args: ["train", "--like-current"] });
  return steps;
}

/** True when the store remembers accounts synced before (the sync command's table, absent before the first sync). */
async function remembersSources(store: Store): Promise<boolean> {
  const table = await store.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'sync_accounts'");
  return table !== 0 && Number(await store.scalar("SELECT count(*) FROM sync_accounts")) > 0;
}

/** Serves until SIGINT/SIGTERM, then stops the server (and any refresh in progress) and exits. */
export async function serveUntilStopped(dbPath: string, options: ListenOptions): Promise<void> {
  const server = await serveStore(dbPath, options);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

import type { Command } from "commander";
import { dbPathOf, nonNegativeInt, port } from "../options.js";
import { DEFAULT_CACHE_ENTRIES } from "../../service/recommendation-service.js";
import { serveStore, type ListenOptions } from "../../serving/start-server.js";

export const DEFAULT_PORT = 5000;
export const DEFAULT_HOST = "127.0.0.1";

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and JSON API (docs at /docs) over the store and its trained models")
    .option("--port <n>", "port to listen on", String(DEFAULT_PORT))
    .option("--host <address>", "address to listen on (0.0.0.0 for every interface)", DEFAULT_HOST)
    .option("--cache-size <n>", "API responses kept in memory (0 disables the cache)", String(DEFAULT_CACHE_ENTRIES))
    .option("--log", "log every request")
    .action(async (options: { port: string; host: string; cacheSize: string; log?: boolean }, command: Command) => {
      await serveUntilStopped(dbPathOf(command), {
        host: options.host,
        port: port(options.port),
        cacheEntries: nonNegativeInt(options.cacheSize, "--cache-size"),
        logger: Boolean(options.log),
      });
    });
}

/** Serves until SIGINT/SIGTERM, then closes the server and the store and exits. */
export async function serveUntilStopped(dbPath: string, options: ListenOptions): Promise<void> {
  const server = await serveStore(dbPath, options);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

import type { Command } from "commander";
import { UserError } from "../../util/errors.js";
import { dbPathOf } from "../options.js";
import { DEFAULT_CACHE_ENTRIES } from "../../serving/recommendation-service.js";
import { serveStore } from "../../serving/start-server.js";

export const DEFAULT_PORT = 5000;
export const DEFAULT_HOST = "127.0.0.1";

/** "5000" -> 5000; anything else is a UserError naming the flag. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`invalid --port "${text}": expected an integer 0-65535`);
  return port;
}

function parseCacheSize(text: string): number {
  const size = Number(text);
  if (!Number.isInteger(size) || size < 0) throw new UserError(`invalid --cache-size "${text}": expected a non-negative integer`);
  return size;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("serve the web app and JSON API (docs at /docs) over the store and its trained models")
    .option("--port <n>", "port to listen on", String(DEFAULT_PORT))
    .option("--host <address>", "address to listen on (0.0.0.0 for every interface)", DEFAULT_HOST)
    .option("--cache-size <n>", "API responses kept in memory (0 disables the cache)", String(DEFAULT_CACHE_ENTRIES))
    .option("--log", "log every request")
    .action(async (options: { port: string; host: string; cacheSize: string; log?: boolean }, command: Command) => {
      await serveStore(dbPathOf(command), {
        host: options.host,
        port: parsePort(options.port),
        cacheEntries: parseCacheSize(options.cacheSize),
        logger: Boolean(options.log),
      });
    });
}

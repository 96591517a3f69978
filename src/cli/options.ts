import type { Command } from "commander";
import { resolveDbPath } from "../util/config.js";

/** The store path from the global --db option of any subcommand. */
export function dbPathOf(command: Command): string {
  return resolveDbPath(command.optsWithGlobals().db as string | undefined);
}

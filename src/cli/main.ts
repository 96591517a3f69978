#!/usr/bin/env node
import { Command } from "commander";
import { UserError } from "../util/errors.js";
import { COMMANDS } from "./commands/index.js";
import { applyLockWait, applyThreads } from "./options.js";

const program = new Command()
  .name("musicrec")
  .description("Self-hosted music recommender for your Last.fm / ListenBrainz / Spotify listening history")
  .version("0.1.0")
  .option("--db <file>", "store file (default: $MUSICREC_DB or ./data/musicrec.duckdb)")
  .option("--lock-wait <duration>", "how long to wait while another musicrec process uses the store, e.g. 30s, 10m, 0 (default: $MUSICREC_LOCK_WAIT or 60s)")
  .option("--threads <n>", "threads for training ALS and tuning the hybrid (default: $MUSICREC_THREADS or every core); results do not depend on it")
  .showHelpAfterError()
  .hook("preAction", (command) => {
    applyLockWait(command.opts().lockWait as string | undefined);
    applyThreads(command.opts().threads as string | undefined);
  });

for (const register of COMMANDS) register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof UserError) {
    process.stderr.write(`musicrec: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`musicrec: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(70);
});

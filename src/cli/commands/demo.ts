import { spawn } from "node:child_process";
import fs from "node:fs";
import type { Command } from "commander";
import { bundleDirFor } from "../../config.js";
import { UserError } from "../../errors.js";
import { loadDemoDataset } from "../../ingest/demo-dataset.js";
import { serveStore } from "../../serving/start-server.js";
import { Store } from "../../store/store.js";
import { dbPathOf } from "../options.js";
import { progressFor } from "../progress.js";
import { DEFAULT_HOST, DEFAULT_PORT, parsePort } from "./serve.js";

/**
 * `musicrec demo` (what `npm start` runs): an empty store gets the built-in synthetic dataset,
 * a store without a trained bundle gets `musicrec train` with its defaults, then the app is served.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("serve the web app, first loading the synthetic demo dataset into an empty store and training when no models exist")
    .option("--port <n>", "port to listen on", String(DEFAULT_PORT))
    .option("--host <address>", "address to listen on", DEFAULT_HOST)
    .action(async (options: { port: string; host: string }, command: Command) => {
      const port = parsePort(options.port);
      const dbPath = dbPathOf(command);
      const started = Date.now();
      const store = await Store.open(dbPath);
      try {
        if (await store.isEmpty()) {
          process.stdout.write(`musicrec: ${dbPath} is empty: loading the built-in SYNTHETIC demo dataset (import your own with \`musicrec import FILE\`)\n`);
          await loadDemoDataset(store, progressFor({}));
        }
      } finally {
        store.close();
      }
      if (!fs.existsSync(bundleDirFor(dbPath))) {
        process.stdout.write("musicrec: no trained models yet: running `musicrec train` with the default models\n");
        await runTrain(dbPath);
      }
      process.stdout.write(`musicrec: ready after ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      await serveStore(dbPath, { host: options.host, port });
    });
}

/** Runs `musicrec train` as a child process of this same CLI (tsx or built), sharing the terminal. */
function runTrain(dbPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, process.argv[1], "--db", dbPath, "train"], { stdio: "inherit" });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new UserError(`musicrec train failed (exit ${code}); see the messages above`))));
  });
}

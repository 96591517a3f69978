import fs from "node:fs";
import type { Command } from "commander";
import { bundleDirFor } from "../../util/config.js";
import { loadDemoDataset } from "../../ingest/demo-dataset.js";
import { trainBundle } from "../../models/train-bundle.js";
import { Store } from "../../store/store.js";
import { dbPathOf, port } from "../options.js";
import { progressFor } from "../../util/progress.js";
import { DEFAULT_HOST, DEFAULT_PORT, serveUntilStopped } from "./serve.js";

/**
 * `musicrec demo` (what `npm start` runs): an empty store gets the built-in synthetic dataset,
 * a store without a trained bundle is trained with `musicrec train`'s defaults, then the app is served.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("serve the web app, first loading the synthetic demo dataset into an empty store and training when no models exist")
    .option("--port <n>", "port to listen on", String(DEFAULT_PORT))
    .option("--host <address>", "address to listen on", DEFAULT_HOST)
    .action(async (options: { port: string; host: string }, command: Command) => {
      const listenPort = port(options.port);
      const dbPath = dbPathOf(command);
      const started = Date.now();
      const progress = progressFor({});
      const store = await Store.open(dbPath);
      try {
        if (await store.isEmpty()) {
          process.stdout.write(`musicrec: ${dbPath} is empty: loading the built-in SYNTHETIC demo dataset (import your own with \`musicrec import FILE\`)\n`);
          await loadDemoDataset(store, progress);
        }
      } finally {
        store.close();
      }
      if (!fs.existsSync(bundleDirFor(dbPath))) {
        process.stdout.write("musicrec: no trained models yet: training the default models (as `musicrec train`)\n");
        await trainBundle(dbPath, {}, progress);
      }
      process.stdout.write(`musicrec: ready after ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      await serveUntilStopped(dbPath, { host: options.host, port: listenPort });
    });
}

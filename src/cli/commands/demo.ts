import fs from "node:fs";
import type { Command } from "commander";
import { bundleDirFor, datasetsDirFor } from "../../util/config.js";
import { datasetNamed } from "../../datasets/catalog.js";
import { DEMO_DATASET_NAME, demoChoice, loadDemoData } from "../../datasets/demo-data.js";
import { trainBundle } from "../../models/train-bundle.js";
import { Store } from "../../store/store.js";
import { dbPathOf, port } from "../options.js";
import { progressFor } from "../../util/progress.js";
import { DEFAULT_HOST, DEFAULT_PORT, serveUntilStopped } from "./serve.js";

const GET_REAL_DATA =
  "for real data: musicrec datasets fetch hetrec2011-lastfm-2k | musicrec sync lastfm YOUR-NAME | musicrec import FILE, then musicrec train";

/**
 * `musicrec demo` (what `npm start` runs): an empty store gets the HetRec 2011 set when it can be
 * fetched within a short time, else the built-in synthetic dataset (MUSICREC_DEMO=synthetic
 * forces it); a store without a trained bundle is trained with `musicrec train`'s defaults, then
 * the app is served.
 */
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description(
      "serve the web app; an empty store first gets the real HetRec 2011 Last.fm set (the synthetic demo set when offline or MUSICREC_DEMO=synthetic), untrained models are trained",
    )
    .option("--port <n>", "port to listen on", String(DEFAULT_PORT))
    .option("--host <address>", "address to listen on", DEFAULT_HOST)
    .action(async (options: { port: string; host: string }, command: Command) => {
      const listenPort = port(options.port);
      const dbPath = dbPathOf(command);
      demoChoice(); // a bad MUSICREC_DEMO fails before anything is written
      const started = Date.now();
      const progress = progressFor({});
      let syntheticReason: string | undefined;
      const store = await Store.open(dbPath);
      try {
        if (await store.isEmpty()) {
          process.stdout.write(
            demoChoice() === "auto"
              ? `musicrec: ${dbPath} is empty: fetching the HetRec 2011 Last.fm dataset (a few MB; MUSICREC_DEMO=synthetic skips this)\n`
              : `musicrec: ${dbPath} is empty: loading the built-in SYNTHETIC demo dataset (MUSICREC_DEMO=synthetic; ${GET_REAL_DATA})\n`,
          );
          const demo = await loadDemoData(store, {
            cacheDir: datasetsDirFor(dbPath),
            progress,
            log: (line) => process.stderr.write(`musicrec: ${line}\n`),
          });
          if (demo.kind === "hetrec") {
            process.stdout.write(
              `musicrec: imported HetRec 2011: ${demo.import.users.toLocaleString("en")} listeners, ${demo.import.items.toLocaleString("en")} artists ` +
                `with their tags. Licence: ${datasetNamed(DEMO_DATASET_NAME)!.licence}\n`,
            );
          } else {
            syntheticReason = demo.reason;
            if (demoChoice() === "auto") {
              process.stdout.write(`musicrec: ${demo.reason}: loaded the built-in SYNTHETIC demo dataset instead (${GET_REAL_DATA})\n`);
            }
          }
        }
      } finally {
        store.close();
      }
      if (!fs.existsSync(bundleDirFor(dbPath))) {
        process.stdout.write("musicrec: no trained models yet: training the default models (as `musicrec train`)\n");
        await trainBundle(dbPath, {}, progress);
      }
      process.stdout.write(`musicrec: ready after ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
      await serveUntilStopped(dbPath, { host: options.host, port: listenPort, syntheticReason });
    });
}

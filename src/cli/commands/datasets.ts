import type { Command } from "commander";
import { PUBLIC_DATASETS, datasetNamed, type PublicDataset } from "../../datasets/catalog.js";
import { DOWNLOAD_DEFAULTS } from "../../datasets/download.js";
import { datasetUrls, fetchDataset } from "../../datasets/fetch-dataset.js";
import { Store } from "../../store/store.js";
import { datasetsDirFor } from "../../util/config.js";
import { UserError } from "../../util/errors.js";
import { progressFor } from "../../util/progress.js";
import { dbPathOf, nonNegativeInt, positiveNumber } from "../options.js";
import { importReport } from "./import.js";

interface FetchFlags {
  from?: string;
  cache?: string;
  connectTimeout: string;
  idleTimeout: string;
  retries: string;
  json?: boolean;
}

function describe(dataset: PublicDataset): string {
  return [
    `${dataset.name}: ${dataset.title} (${dataset.publisher})`,
    `  level     ${dataset.level === "artist" ? "artists (play counts per user, no timestamps)" : "tracks (scrobbles with timestamps)"}`,
    `  contents  ${dataset.contents}`,
    `  README    ${dataset.documented}`,
    `  archive   ${dataset.archive.file}, ${dataset.archive.size}`,
    `  from      ${datasetUrls(dataset).join(" | ")}`,
    `  about     ${dataset.homepage}`,
    `  licence   ${dataset.licence}`,
  ].join("\n");
}

function findDataset(name: string): PublicDataset {
  const dataset = datasetNamed(name);
  if (!dataset) throw new UserError(`unknown dataset "${name}": expected one of ${PUBLIC_DATASETS.map((d) => d.name).join(", ")} (see musicrec datasets list)`);
  return dataset;
}

export function registerDatasets(program: Command): void {
  const datasets = program.command("datasets").description("public Last.fm datasets: list them, fetch one (download, verify, import)");

  datasets
    .command("list")
    .description("the public datasets musicrec can fetch, with their contents, size and licence")
    .option("--json", "print them as JSON")
    .action((flags: { json?: boolean }) => {
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(PUBLIC_DATASETS.map((d) => ({ ...d, urls: datasetUrls(d) })), null, 2)}\n`);
        return;
      }
      process.stdout.write(`${PUBLIC_DATASETS.map(describe).join("\n\n")}\n\nFetch one with: musicrec datasets fetch NAME\n`);
    });

  datasets
    .command("fetch")
    .description("download a public dataset (resuming an interrupted download), verify it against the release, then import it")
    .argument("<name>", `one of ${PUBLIC_DATASETS.map((d) => d.name).join(", ")}`)
    .option("--from <file-or-url>", "a local archive (or unpacked folder) or another URL instead of the official download")
    .option("--cache <dir>", "where archives are downloaded and unpacked (default: $MUSICREC_DATASETS_CACHE or a datasets folder next to the store)")
    .option("--connect-timeout <s>", "seconds to wait for the server's response", String(DOWNLOAD_DEFAULTS.connectTimeoutMs / 1000))
    .option("--idle-timeout <s>", "seconds without data before the connection counts as dropped", String(DOWNLOAD_DEFAULTS.idleTimeoutMs / 1000))
    .option("--retries <n>", "further attempts after a failed one (a resumed transfer that made progress is free)", String(DOWNLOAD_DEFAULTS.retries))
    .option("--json", "print {dataset, source, folder, verification, import, licence} as JSON")
    .action(async (name: string, flags: FetchFlags, command: Command) => {
      const dataset = findDataset(name);
      const download = {
        connectTimeoutMs: positiveNumber(flags.connectTimeout, "--connect-timeout") * 1000,
        idleTimeoutMs: positiveNumber(flags.idleTimeout, "--idle-timeout") * 1000,
        retries: nonNegativeInt(flags.retries, "--retries"),
      };
      const dbPath = dbPathOf(command);
      const stop = new AbortController();
      // Ctrl-C stops a download cleanly (the part received stays for a resume); later phases are
      // left to the transaction: an import cut short changes nothing.
      const onInterrupt = () => {
        if (stop.signal.aborted) process.exit(130);
        stop.abort(new Error("interrupted"));
        setTimeout(() => process.exit(130), 2000).unref();
      };
      process.on("SIGINT", onInterrupt);
      const store = await Store.open(dbPath);
      try {
        const result = await fetchDataset(store, dataset, {
          from: flags.from,
          cacheDir: flags.cache ?? datasetsDirFor(dbPath),
          download: { ...download, signal: stop.signal },
          progress: progressFor({ json: flags.json }),
          log: (line) => process.stderr.write(`musicrec: ${line}\n`),
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...result, licence: dataset.licence }, null, 2)}\n`);
          return;
        }
        const warnings = result.verification.warnings.map((warning) => `warning: ${warning}\n`).join("");
        process.stdout.write(
          `${dataset.name} from ${result.source}, unpacked in ${result.folder}\n` +
            `verified: ${result.verification.passed.join("; ")}\n${warnings}` +
            importReport(result.import) +
            `\nLicence: ${dataset.licence}\nNext: musicrec train, then musicrec serve (or npm start).\n`,
        );
      } finally {
        process.off("SIGINT", onInterrupt);
        store.close();
      }
    });
}

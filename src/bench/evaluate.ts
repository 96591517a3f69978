/**
 * `npm run bench:evaluate [-- HETREC_DIR]`: evaluates every model on HetRec 2011 Last.fm-2k with the
 * random protocol (seed 0, K = 10, no k-core) and prints the wall time per model and in total,
 * then the results table. The data is imported once into a store under the OS temp directory
 * and reused by later runs.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Store } from "../store/store.js";
import { importPaths } from "../ingest/import-files.js";
import { terminalProgress } from "../util/progress.js";
import { MODEL_NAMES } from "../models/recommender.js";
import { evaluateModels } from "../evaluation/evaluate.js";
import { splitSource } from "../evaluation/protocols.js";
import { evaluationModel } from "../evaluation/models.js";
import { terminalTable } from "../evaluation/result-table.js";
import { printRuntimeHeader } from "./runtime-header.js";
import { hetrecDir as defaultHetrecDir, scratchDir } from "./bench-paths.js";

const positional = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : undefined;
const hetrecDir = positional ? path.resolve(positional) : defaultHetrecDir();
const storePath = path.join(scratchDir("evaluate"), "hetrec.duckdb");

async function main(): Promise<void> {
  printRuntimeHeader("bench:evaluate");
  if (!fs.existsSync(hetrecDir)) {
    process.stderr.write(`bench:evaluate: HetRec data not found at ${hetrecDir} (pass the folder as an argument or with --hetrec, or set MUSICREC_HETREC)\n`);
    process.exit(1);
  }
  const progress = terminalProgress();
  const store = await Store.open(storePath);
  try {
    if (await store.isEmpty()) {
      progress.start(`importing ${hetrecDir} into ${storePath}`);
      const summary = await importPaths(store, [hetrecDir]);
      progress.done(`${summary.events.toLocaleString("en")} events`);
    }
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const source = await splitSource(store, { protocol: "random", testFraction: 0.2, lastN: 1, minUserItems: 1, minItemUsers: 1 });
    const result = await evaluateModels(source, { models: MODEL_NAMES, k: 10, seeds: [0], createModel: evaluationModel, progress });
    const total = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;

    process.stdout.write(`\nHetRec 2011 Last.fm-2k, random protocol (20% per user), seed 0, ${result.users} users × ${result.items} artists\n\n`);
    process.stdout.write("model        fit s  rank s  total s\n");
    for (const r of result.results) {
      const cells = [r.fitSeconds, r.rankSeconds, r.fitSeconds + r.rankSeconds].map((s) => s.toFixed(1).padStart(6));
      process.stdout.write(`${r.model.padEnd(10)} ${cells.join("  ")}\n`);
    }
    // The work is single-threaded: CPU time is what the wall time would be on an otherwise idle machine.
    const load = os.loadavg()[0].toFixed(1);
    process.stdout.write(`all models (load + split + fit + rank): ${total.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (target < 60 s wall)\n`);
    process.stdout.write(`${os.cpus().length} CPUs, load average ${load}: with other jobs running, wall time exceeds CPU time\n\n`);
    process.stdout.write(`${terminalTable(result)}\n`);
  } finally {
    store.close();
  }
}

await main();

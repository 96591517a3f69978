/**
 * `npm run bench:import [-- --lines N] [--users U] [--dir DIR] [--memory 1GB]`: generates Last.fm-1K-size synthetic
 * TSVs (default 19M lines over 1,000 users, ~2.5 GB, plus one of half the size to show that memory
 * does not grow with the file), imports each into a fresh store in a child process, and runs
 * Debian's pandas (`/usr/bin/python3`, `pandas.read_csv`) on the same file in the same run.
 * Prints rows/s and peak RSS side by side. Generated files are reused by later runs. DuckDB's
 * memory_limit (--memory) caps what the import holds; beyond it DuckDB spills to disk.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { terminalProgress } from "../util/progress.js";
import { generateDataset } from "../ingest/generate/generate.js";
import { importPaths } from "../ingest/import-files.js";
import { markerPathOf } from "../ingest/synthetic-marker.js";
import { Store } from "../store/store.js";
import { printRuntimeHeader } from "./runtime-header.js";

const PYTHON = "/usr/bin/python3";
const PANDAS_SCRIPT = `
import csv, json, resource, sys, time
import pandas as pd
started = time.perf_counter()
frame = pd.read_csv(sys.argv[1], sep="\\t", header=None, quoting=csv.QUOTE_NONE,
                    names=["user", "timestamp", "artist_mbid", "artist", "track_mbid", "track"])
seconds = time.perf_counter() - started
print(json.dumps({"rows": len(frame), "seconds": seconds, "maxRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

interface Measurement {
  rows: number;
  seconds: number;
  maxRssMb: number;
}

function flag(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

/** Child mode: import one file into a fresh store, report own wall time and peak RSS. */
async function importChild(file: string, db: string, memoryLimit: string): Promise<void> {
  for (const suffix of ["", ".wal"]) fs.rmSync(`${db}${suffix}`, { force: true });
  const store = await Store.open(db, { memoryLimit });
  const started = performance.now();
  const summary = await importPaths(store, [file], { format: "lfm1k" });
  const seconds = (performance.now() - started) / 1000;
  store.close();
  const result: Measurement & { imported: number; rejected: number } = {
    rows: summary.imported + summary.duplicates + summary.rejected,
    imported: summary.imported,
    rejected: summary.rejected,
    seconds,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** The generated file for `lines`, reused when a previous run left one with the same settings. */
async function datasetFile(dir: string, lines: number, users: number): Promise<string> {
  const file = path.join(dir, `lfm1k-synthetic-${users}u-${lines}.tsv`);
  const marker = markerPathOf(file);
  if (fs.existsSync(file) && fs.existsSync(marker)) {
    const settings = JSON.parse(fs.readFileSync(marker, "utf8")) as { scrobbles: number; users: number; seed: number };
    if (settings.scrobbles === lines && settings.users === users && settings.seed === 1) return file;
  }
  await generateDataset({ output: file, format: "lfm1k", users, scrobbles: lines, seed: 1, progress: terminalProgress() });
  return file;
}

const runJson = <T>(command: string, args: string[]): T =>
  JSON.parse(execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 }).trim().split("\n").pop()!) as T;

async function main(): Promise<void> {
  if (process.argv[2] === "--child-import") return importChild(process.argv[3], process.argv[4], process.argv[5]);
  printRuntimeHeader("bench:import");
  const memoryLimit = flag("memory", "1GB");
  const lines = Number(flag("lines", "19000000"));
  const users = Number(flag("users", "1000"));
  const dir = path.resolve(flag("dir", path.join(os.tmpdir(), "musicrec-bench-import")));
  if (!Number.isInteger(lines) || lines < 2 * users) throw new Error(`--lines must be an integer >= 2 × --users, got ${lines}`);
  fs.mkdirSync(dir, { recursive: true });
  const self = fileURLToPath(import.meta.url);
  const rows: string[] = [];
  const results: unknown[] = [];
  for (const size of [Math.round(lines / 2), lines]) {
    const file = await datasetFile(dir, size, users);
    const megabytes = fs.statSync(file).size / 1e6;
    process.stderr.write(`importing ${file} (${megabytes.toFixed(0)} MB) ...\n`);
    const imported = runJson<Measurement & { imported: number; rejected: number }>(process.execPath, [self, "--child-import", file, path.join(dir, "bench.duckdb"), memoryLimit]);
    process.stderr.write(`pandas.read_csv ${file} ...\n`);
    const pandas = runJson<Measurement>(PYTHON, ["-c", PANDAS_SCRIPT, file]);
    results.push({ lines: size, megabytes, memoryLimit, import: imported, pandas });
    const rate = (m: Measurement) => `${Math.round(m.rows / m.seconds).toLocaleString("en").padStart(10)}/s`;
    rows.push(
      [
        size.toLocaleString("en").padStart(11),
        megabytes.toFixed(0).padStart(6),
        imported.seconds.toFixed(1).padStart(7),
        rate(imported),
        imported.maxRssMb.toFixed(0).padStart(7),
        pandas.seconds.toFixed(1).padStart(7),
        rate(pandas),
        pandas.maxRssMb.toFixed(0).padStart(7),
        `${(pandas.seconds / imported.seconds).toFixed(2)}×`.padStart(8),
      ].join(" "),
    );
  }
  fs.rmSync(path.join(dir, "bench.duckdb"), { force: true });
  fs.rmSync(path.join(dir, "bench.duckdb.wal"), { force: true });
  process.stdout.write(`\nmusicrec import (DuckDB, ${os.cpus().length} CPUs, memory_limit ${memoryLimit}) vs pandas.read_csv on the same synthetic Last.fm-1K-format TSV (${users} users)\n`);
  process.stdout.write("      lines     MB  import s     import rows/s  RSS MB  pandas s     pandas rows/s  RSS MB  speedup\n");
  process.stdout.write(`${rows.join("\n")}\n`);
  process.stdout.write("(import = parse, validate, dedupe, write users/items/events in one transaction; pandas = read_csv only)\n");
  const output = path.resolve("bench-output", "import.json");
  fs.mkdirSync(path.dirname(output), { recursive: true });
  fs.writeFileSync(output, `${JSON.stringify({ measuredAt: new Date().toISOString(), cpus: os.cpus().length, results }, null, 2)}\n`);
}

await main();

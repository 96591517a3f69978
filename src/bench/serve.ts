/**
 * `npm run bench:serve`: the recommendations API under concurrent load on the HetRec model.
 * Imports HetRec (--hetrec DIR / $MUSICREC_HETREC, default ../shared/data/hetrec2011-lastfm-2k) into a temp store and trains the default models
 * when no bundle is there yet (with the real CLI), starts `musicrec serve` as a child process and
 * drives GET /api/users/{user}/recommendations with autocannon at 100 connections, cycling over
 * every user — once with the response cache off (every request runs the model) and once with
 * it on and warmed (the server's default). Each run follows an unrecorded 3 s warm-up at the same
 * load. Prints requests/s and p50/p99 latency.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { bundleDirFor } from "../util/config.js";
import { loadBundle } from "../models/bundle.js";
import { DEFAULT_CACHE_ENTRIES } from "../service/recommendation-service.js";
import { printRuntimeHeader } from "./runtime-header.js";
import { hetrecDir, scratchDir } from "./bench-paths.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const cli = path.join(repoRoot, "dist/cli/main.js");
const hetrec = hetrecDir();
const workDir = scratchDir("serve");
const db = path.join(workDir, "hetrec.duckdb");

const CONNECTIONS = 100;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = 3;
const MODEL = process.env.BENCH_MODEL ?? "hybrid";

function runCli(args: string[]): void {
  process.stderr.write(`$ musicrec ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [cli, "--db", db, ...args], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`musicrec ${args[0]} failed (exit ${result.status})`);
}

async function startServer(cacheSize: number): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [cli, "--db", db, "serve", "--port", "0", "--cache-size", String(cacheSize)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /at (http:\/\/[^\s]+?)\/\s/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`musicrec serve exited (${code}) before listening`)));
  });
  return { child, base };
}

async function load(base: string, users: string[], seconds: number): Promise<autocannon.Result> {
  let next = 0;
  const pathOf = () => `/api/users/${encodeURIComponent(users[next++ % users.length])}/recommendations?model=${MODEL}&k=10`;
  return autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: pathOf() }) }],
  });
}

/** Waits until the server has precomputed the default recommendations of every user. */
async function waitForWarmCache(base: string): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${base}/api/health`)).json()) as { cache: { warmedUsers: number } };
    if (health.cache.warmedUsers > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function measure(label: string, cacheSize: number, users: string[]): Promise<void> {
  const { child, base } = await startServer(cacheSize);
  try {
    if (cacheSize > 0) await waitForWarmCache(base);
    // Unrecorded warm-up at the same concurrency: JIT compilation and connection set-up.
    await load(base, users, WARMUP_SECONDS);
    const result = await load(base, users, SECONDS);
    const failures = result.errors + result.timeouts + result.non2xx;
    process.stdout.write(
      `${label.padEnd(34)} ${result.requests.average.toFixed(0).padStart(8)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms` +
        `   p99 ${String(result.latency.p99).padStart(4)} ms   max ${String(result.latency.max).padStart(5)} ms` +
        `   requests ${result.requests.total}   failures ${failures}\n`,
    );
  } finally {
    child.kill("SIGTERM");
  }
}

/** A bundle from an older musicrec may not load any more: train again then. */
async function loadBundleOrRetrain() {
  try {
    return await loadBundle(bundleDirFor(db));
  } catch (error) {
    process.stderr.write(`cannot load the bundle (${error instanceof Error ? error.message : String(error)}): training again\n`);
    runCli(["train"]);
    return loadBundle(bundleDirFor(db));
  }
}

async function main(): Promise<void> {
  printRuntimeHeader("bench:serve");
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  if (!fs.existsSync(bundleDirFor(db))) {
    if (!fs.existsSync(hetrec)) throw new Error(`HetRec data not found at ${hetrec}`);
    fs.mkdirSync(workDir, { recursive: true });
    runCli(["import", hetrec]);
    runCli(["train"]);
  }
  const users = (await loadBundleOrRetrain()).training.userNames;
  process.stdout.write(
    `bench:serve — GET /api/users/{user}/recommendations?model=${MODEL}&k=10, ${users.length} users in turn, ` +
      `${CONNECTIONS} connections, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up, ${os.cpus().length} CPUs, ` +
      `load average ${os.loadavg()[0].toFixed(1)}, store ${db}\n`,
  );
  await measure("response cache off (model per request)", 0, users);
  await measure("response cache on, warmed (default)", DEFAULT_CACHE_ENTRIES, users);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:serve failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

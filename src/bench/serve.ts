/**
 * `npm run bench:serve`: the recommendations API under concurrent load on the HetRec model.
 * Imports HetRec (--hetrec DIR / $MUSICREC_HETREC, default ../shared/data/hetrec2011-lastfm-2k) into a temp store and trains the default models
 * when no bundle is there yet (with the real CLI), starts `musicrec serve` as a child process and
 * drives GET /api/users/{user}/recommendations with autocannon at 100 connections, cycling over
 * every user — with the response cache off (every request runs the model) scored on the main
 * thread (--scoring-threads 0) and on the default scoring threads, once with the cache on
 * and warmed (the server's default), and once during a retrain: the same load on a default server
 * while `musicrec train --like-current` runs beside it and the server swaps to the new bundle
 * (failed requests must be 0; the swap should follow the end of training within 10 s). The first
 * two runs follow an unrecorded 3 s warm-up at the same load. Prints requests/s, p50/p99/max
 * latency, failures and 503s (overload refusals, counted apart), with the load average of the
 * machine, next to the figures measured before the uncached path was made fast (issue 9).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { bundleDirFor } from "../util/config.js";
import { bundleBytes, loadBundle } from "../models/bundle.js";
import { defaultScoringThreads } from "../serving/start-server.js";
import { DEFAULT_CACHE_ENTRIES, RecommendationService, type ServingModels } from "../service/recommendation-service.js";
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

/** Measured with this bench before the uncached request path was reworked (issue 9; 2 CPUs, load not recorded). */
const EARLIER = [
  "response cache off, earlier code                    472 req/s   p50  133 ms   p99 3343 ms   max  9900 ms   failures 6",
  "response cache on, earlier code                   17396 req/s                 p99   14 ms",
];

function runCli(args: string[]): void {
  process.stderr.write(`$ musicrec ${args.join(" ")}\n`);
  const result = spawnSync(process.execPath, [cli, "--db", db, ...args], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`musicrec ${args[0]} failed (exit ${result.status})`);
}

async function startServer(cacheSize: number, extra: string[] = []): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [cli, "--db", db, "serve", "--port", "0", "--cache-size", String(cacheSize), ...extra], {
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

function loadOptions(base: string, users: string[], seconds: number): autocannon.Options {
  let next = 0;
  const pathOf = () => `/api/users/${encodeURIComponent(users[next++ % users.length])}/recommendations?model=${MODEL}&k=10`;
  return {
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: pathOf() }) }],
  };
}

async function load(base: string, users: string[], seconds: number): Promise<autocannon.Result> {
  return autocannon(loadOptions(base, users, seconds));
}

function report(label: string, result: autocannon.Result, extra = ""): void {
  const refused = result.statusCodeStats?.["503"]?.count ?? 0;
  const failures = result.errors + result.timeouts + result.non2xx - refused;
  process.stdout.write(
    `${label.padEnd(48)} ${result.requests.average.toFixed(0).padStart(6)} req/s   p50 ${String(result.latency.p50).padStart(4)} ms` +
      `   p99 ${String(result.latency.p99).padStart(4)} ms   max ${String(result.latency.max).padStart(5)} ms` +
      `   failures ${failures}   503 ${refused}   requests ${result.requests.total}   load ${os.loadavg()[0].toFixed(1)}${extra}\n`,
  );
}

/** Waits until the server has precomputed the default recommendations of every user. */
async function waitForWarmCache(base: string): Promise<void> {
  for (;;) {
    const health = (await (await fetch(`${base}/api/health`)).json()) as { cache: { warmedUsers: number } };
    if (health.cache.warmedUsers > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function measure(label: string, cacheSize: number, users: string[], extra: string[] = []): Promise<void> {
  const { child, base } = await startServer(cacheSize, extra);
  try {
    if (cacheSize > 0) await waitForWarmCache(base);
    // Unrecorded warm-up at the same concurrency: JIT compilation and connection set-up.
    await load(base, users, WARMUP_SECONDS);
    report(label, await load(base, users, SECONDS));
  } finally {
    child.kill("SIGTERM");
  }
}

async function bundleId(base: string): Promise<string> {
  const health = (await (await fetch(`${base}/api/health`)).json()) as { bundle: { id: string } };
  return health.bundle.id;
}

/**
 * Requests loop on a default server while `musicrec train --like-current` runs beside it; the
 * load goes on until a few seconds after the server has switched to the new bundle.
 */
async function duringRetrain(users: string[]): Promise<void> {
  const { child, base } = await startServer(DEFAULT_CACHE_ENTRIES);
  try {
    await waitForWarmCache(base);
    const before = await bundleId(base);
    let instance: autocannon.Instance | undefined;
    const done = new Promise<autocannon.Result>((resolve, reject) => {
      instance = autocannon(loadOptions(base, users, 3600), (error, result) => (error ? reject(error) : resolve(result)));
    });
    const started = Date.now();
    const trainer = spawn(process.execPath, [cli, "--db", db, "train", "--like-current"], { stdio: ["ignore", "ignore", "pipe"] });
    let trainerErrors = "";
    trainer.stderr!.on("data", (chunk: Buffer) => (trainerErrors += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => trainer.once("exit", resolve));
    const trainedAt = Date.now();
    if (code !== 0) throw new Error(`musicrec train failed (exit ${code}) during the retrain run:\n${trainerErrors}`);
    let swappedAt = 0;
    while (Date.now() - trainedAt < 60_000) {
      if ((await bundleId(base)) !== before) {
        swappedAt = Date.now();
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Keep the load on the new models for a while (the cache is warming again).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    instance!.stop();
    const swap = swappedAt ? `${((swappedAt - trainedAt) / 1000).toFixed(1)} s after train finished` : "NOT within 60 s of train finishing";
    report("during retrain and swap (cache on)", await done, `\n${"".padEnd(49)}train took ${((trainedAt - started) / 1000).toFixed(1)} s; swapped ${swap}`);
  } finally {
    child.kill("SIGTERM");
  }
}

/**
 * The model work of one uncached request without HTTP, in this process: every user's response
 * body built once (after one unrecorded pass for the JIT). CPU time per request is the figure that
 * depends least on what else the machine runs; the server's throughput limit is about its inverse.
 */
function modelWorkPerRequest(bundle: ServingModels): void {
  const service = new RecommendationService(bundle, 0);
  const query = { model: MODEL, k: 10, perArtist: 0, newArtistsOnly: false };
  for (const user of bundle.training.userNames) service.forUserJson(user, query);
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (const user of bundle.training.userNames) service.forUserJson(user, query);
  const used = process.cpuUsage(cpu);
  const perRequest = (ms: number) => (ms / bundle.training.userNames.length).toFixed(3);
  process.stdout.write(
    `model work per uncached request (in process, no HTTP): ${perRequest((used.user + used.system) / 1000)} ms CPU, ` +
      `${perRequest(performance.now() - wall)} ms wall   load ${os.loadavg()[0].toFixed(1)}\n`,
  );
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
  const bundle = await loadBundleOrRetrain();
  const users = bundle.training.userNames;
  process.stdout.write(
    `bench:serve — GET /api/users/{user}/recommendations?model=${MODEL}&k=10, ${users.length} users in turn, ` +
      `${CONNECTIONS} connections, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up, ${os.cpus().length} CPUs, ` +
      `load average ${os.loadavg()[0].toFixed(1)}, store ${db}\n`,
  );
  modelWorkPerRequest(bundle);
  await measure("response cache off, main thread scores", 0, users, ["--scoring-threads", "0"]);
  await measure(`response cache off, ${defaultScoringThreads(await bundleBytes(bundleDirFor(db), bundle.id!))} scoring threads (default)`, 0, users);
  await measure("response cache on, warmed (default)", DEFAULT_CACHE_ENTRIES, users);
  await duringRetrain(users);
  process.stdout.write(`\nfor comparison, measured earlier with this bench (same data, 100 connections, 2 CPUs; before the request path was reworked, load not recorded):\n`);
  for (const line of EARLIER) process.stdout.write(`${line}\n`);
  process.stdout.write("targets (issue 9): cache off ≥ 3,000 req/s with p99 ≤ 50 ms; cache on p99 ≤ 10 ms; during retrain 0 failures, swap ≤ 10 s after train\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:serve failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

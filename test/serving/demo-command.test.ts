/**
 * `musicrec demo` end to end (what `npm start` runs). No test reaches the internet: the HetRec
 * download is pointed (MUSICREC_DATASETS_URL) at a local stand-in host, or at a port that refuses.
 * Online, an empty store gets the real HetRec set; offline it falls back to the synthetic set and
 * the page banner says why and how to get real data; a second start reuses the store and bundle.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closedPort, startArchiveServer } from "../datasets/archive-server.js";
import { HETREC_FOLDER, HETREC_SKIP_MESSAGE, hasHetrec, makeZip } from "../datasets/fixtures.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

/** The environment without the settings that would change what the demo loads. */
function withoutDemoSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { MUSICREC_DATASETS_CACHE: _cache, MUSICREC_DATASETS_URL: _url, MUSICREC_DEMO: _demo, MUSICREC_DB: _db, ...rest } = env;
  return rest;
}

/** Starts `musicrec demo` on a free port; resolves with its base URL and everything it printed. */
function startDemo(db: string, env: NodeJS.ProcessEnv): Promise<{ base: string; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), "--db", db, "demo", "--port", "0"], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...withoutDemoSettings(process.env), ...env },
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", () => {
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      const stop = () =>
        new Promise<void>((done) => {
          child.removeAllListeners("exit");
          child.once("exit", () => done());
          child.kill("SIGTERM");
        });
      if (match) resolve({ base: match[1], output: () => output, stop });
    });
    child.once("exit", (code) => reject(new Error(`musicrec demo exited (${code}):\n${output}`)));
  });
}

afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

describe("musicrec demo offline", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-demo-test-"));
  const db = path.join(dir, "store.duckdb");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("falls back to the synthetic dataset at once when the dataset host refuses, trains, and says why on the page", async () => {
    const env = { MUSICREC_DATASETS_URL: `http://127.0.0.1:${await closedPort()}/` };
    const started = Date.now();
    const { base, output, stop } = await startDemo(db, env);
    expect(output()).toContain("is empty: fetching the HetRec 2011 Last.fm dataset");
    expect(output()).toMatch(/the HetRec 2011 dataset could not be fetched \(cannot download hetrec2011-lastfm-2k: .*connection refused.*\): loaded the built-in SYNTHETIC demo dataset instead/);
    expect(output()).toContain("musicrec datasets fetch hetrec2011-lastfm-2k | musicrec sync lastfm YOUR-NAME | musicrec import FILE");
    expect(output()).toContain("training the default models");
    const health = (await (await fetch(`${base}/api/health`)).json()) as { models: string[] };
    expect(health).toMatchObject({ status: "ok", synthetic: true, users: expect.any(Number) });
    expect(health.models).toEqual(expect.arrayContaining(["svd", "content", "hybrid", "als"]));
    const page = await (await fetch(base)).text();
    expect(page).toContain("Demo data.");
    expect(page).toMatch(/served because the HetRec 2011 dataset could not be fetched \(.*connection refused/);
    expect(page).toContain("<code>musicrec datasets fetch hetrec2011-lastfm-2k</code>");
    expect(page).toContain("<code>musicrec sync lastfm YOUR-NAME</code>");
    expect(Date.now() - started).toBeLessThan(120_000);
    await stop(); // releases the store for the next start
  });

  it("reuses the store and the trained bundle on the next start, without fetching", async () => {
    const { base, output } = await startDemo(db, { MUSICREC_DATASETS_URL: "http://127.0.0.1:9/" });
    expect(output()).not.toContain("HetRec");
    expect(output()).not.toContain("SYNTHETIC demo dataset");
    expect(output()).not.toContain("training the default models");
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect(await (await fetch(base)).text()).toContain("Demo data.");
  });
});

describe.skipIf(!hasHetrec)("musicrec demo online (a local stand-in for the HetRec host)", () => {
  if (!hasHetrec) it.skip(HETREC_SKIP_MESSAGE, () => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-demo-hetrec-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("fetches, verifies and imports HetRec into an empty store and serves 1,892 real listeners with tags", async () => {
    const zip = fs.readFileSync(makeZip(path.join(dir, "hetrec2011-lastfm-2k.zip"), HETREC_FOLDER));
    const server = await startArchiveServer({ "hetrec2011-lastfm-2k.zip": zip });
    try {
      const { base, output, stop } = await startDemo(path.join(dir, "store.duckdb"), { MUSICREC_DATASETS_URL: server.base });
      expect(server.requests.map((r) => r.path)).toEqual(["hetrec2011-lastfm-2k.zip"]);
      expect(output()).toContain("imported HetRec 2011: 1,892 listeners, 17,632 artists with their tags. Licence: Made available for NON-COMMERCIAL use");
      expect(output()).not.toContain("SYNTHETIC");
      // The models serve the listeners left by train's default k-core filter; the store has all 1,892.
      const health = (await (await fetch(`${base}/api/health`)).json()) as { users: number; synthetic: boolean };
      expect(health).toMatchObject({ synthetic: false, users: expect.any(Number) });
      expect(health.users).toBeGreaterThan(1_800);
      expect(await (await fetch(base)).text()).not.toContain("Demo data.");
      const insights = await (await fetch(`${base}/insights`)).text();
      expect(insights).toMatch(/1,892<\/[a-z]+>\s*<[^>]+>listeners/);
      expect(insights).toContain("Britney Spears");
      await stop();
    } finally {
      await server.close();
    }
  });
});

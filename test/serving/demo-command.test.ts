/**
 * `musicrec demo` end to end (what `npm start` runs): an empty store gets the synthetic dataset,
 * `musicrec train` runs, the app serves and says the data is synthetic; a second start reuses
 * the store and the bundle.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];

/** Starts `musicrec demo` on a free port; resolves with its base URL and everything it printed. */
function startDemo(db: string): Promise<{ base: string; output: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), "--db", db, "demo", "--port", "0"], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
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

describe("musicrec demo", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-demo-test-"));
  const db = path.join(dir, "store.duckdb");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("loads the synthetic dataset into an empty store, trains, and serves it labelled as demo data", async () => {
    const { base, output, stop } = await startDemo(db);
    expect(output()).toContain("loading the built-in SYNTHETIC demo dataset");
    expect(output()).toContain("training the default models");
    const health = (await (await fetch(`${base}/api/health`)).json()) as { models: string[] };
    expect(health).toMatchObject({ status: "ok", synthetic: true, users: expect.any(Number) });
    expect(health.models).toEqual(expect.arrayContaining(["svd", "content", "hybrid", "als"]));
    expect(await (await fetch(base)).text()).toContain("Demo data.");
    await stop(); // releases the store for the next start
  });

  it("reuses the store and the trained bundle on the next start", async () => {
    const { base, output } = await startDemo(db);
    expect(output()).not.toContain("SYNTHETIC demo dataset");
    expect(output()).not.toContain("training the default models");
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});

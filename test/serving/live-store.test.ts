/**
 * `musicrec serve` beside the other commands, end to end with child processes on a small
 * generated store: while the server runs and a client loops requests (API and pages, which read
 * the store), `musicrec import`, `stats` and `train` all succeed, the server switches to the new
 * bundle within 10 s of `train` finishing, an authenticated POST /api/refresh retrains in the
 * background (a second one gets 409) and swaps again, and the client sees no failed request.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const TOKEN = "live-store-test-token-0123456789";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-live-test-"));
const db = path.join(dir, "store.duckdb");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
  fs.rmSync(dir, { recursive: true, force: true });
});

const cliArgs = (args: string[]) => ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), "--db", db, "--lock-wait", "60s", ...args];

/** Runs a musicrec command to its end; resolves with its exit code and output. */
function musicrec(...args: string[]): Promise<{ code: number | null; output: string; endedAt: number }> {
  const child = spawn(process.execPath, cliArgs(args), { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, output, endedAt: Date.now() })));
}

function startServer(): Promise<{ base: string; output: () => string }> {
  const child = spawn(process.execPath, cliArgs(["serve", "--port", "0", "--token", TOKEN]), { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (match) resolve({ base: match[1], output: () => output });
    });
    child.once("exit", (code) => reject(new Error(`musicrec serve exited (${code}):\n${output}`)));
  });
}

interface Health {
  users: number;
  bundle: { id: string; swaps: number };
  refresh: { running: { startedAt: string } | null; last: { ok: boolean; message: string } | null };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("musicrec serve while import, stats and train run", () => {
  it("lets every command through, swaps to the new bundle, and fails no request", { timeout: 300_000 }, async () => {
    const extra = path.join(dir, "extra.csv");
    const setup = [
      await musicrec("generate", "-o", path.join(dir, "base.csv"), "--users", "60", "--scrobbles", "6000", "--seed", "1", "--import"),
      await musicrec("generate", "-o", extra, "--users", "80", "--scrobbles", "3000", "--seed", "2"),
      await musicrec("train", "--models", "svd,als,popularity", "--factors", "8", "--iterations", "4", "--min-user-items", "2", "--min-item-users", "2"),
    ];
    for (const step of setup) expect(step.code, step.output).toBe(0);

    const { base, output } = await startServer();
    const health = async () => (await (await fetch(`${base}/api/health`)).json()) as Health;
    const first = await health();
    const users = ((await (await fetch(`${base}/api/users?query=&limit=30`)).json()) as { users: { name: string }[] }).users.map((u) => u.name);
    expect(users.length).toBeGreaterThan(5);

    let running = true;
    let requests = 0;
    const failures: string[] = [];
    const client = (async () => {
      for (let i = 0; running; i++) {
        const user = encodeURIComponent(users[i % users.length]);
        const url = [`${base}/api/users/${user}/recommendations?k=${1 + (i % 30)}`, `${base}/recommendations?user=${user}`, `${base}/insights`][i % 3];
        try {
          const response = await fetch(url);
          await response.arrayBuffer();
          if (response.status !== 200) failures.push(`${response.status} ${url}`);
        } catch (error) {
          failures.push(`${(error as Error).message} ${url}`);
        }
        requests++;
      }
    })();

    const imported = await musicrec("import", extra);
    expect(imported.code, imported.output).toBe(0);
    const stats = await musicrec("stats");
    expect(stats.code, stats.output).toBe(0);
    const trained = await musicrec("train", "--like-current");
    expect(trained.code, trained.output).toBe(0);
    expect(trained.output).toContain("trained popularity, svd, als"); // the bundle's models, not every model
    const swapped = await waitFor("the swap after train", async () => {
      const h = await health();
      return h.bundle.id !== first.bundle.id && h;
    }, 30_000);
    const swapSeconds = (Date.now() - trained.endedAt) / 1000;
    expect(swapSeconds).toBeLessThan(10);
    expect(swapped.users).toBeGreaterThan(first.users);

    // A refresh retrains in a child process of the server; one at a time.
    const refresh = () => fetch(`${base}/api/refresh`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    const started = await refresh();
    expect(started.status).toBe(202);
    const second = await refresh();
    expect(second.status).toBe(409);
    expect(((await second.json()) as { startedAt: string }).startedAt).toBe(((await started.json()) as { startedAt: string }).startedAt);
    const refreshed = await waitFor("the swap after the refresh", async () => {
      const h = await health();
      return h.bundle.swaps === 2 && h.refresh.last && h;
    }, 120_000);
    expect(refreshed.refresh.last).toMatchObject({ ok: true });

    running = false;
    await client;
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(10);
    expect(output()).toContain(`switched to the new models ${swapped.bundle.id}`);
    expect(output()).toContain("refresh: done");
    process.stdout.write(`live-store: ${requests} requests, 0 failed; swap ${swapSeconds.toFixed(1)} s after train finished\n`);
  });
});

/**
 * A running server follows the bundle on disk: a client looping requests while a new bundle is
 * saved sees no failure and the new models afterwards; a broken new bundle is reported and the
 * old one keeps serving; a failed refresh keeps the old models. In-process (serveStore on a
 * real store file, port 0); the child-process version with the CLI is live-store.test.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStore, type RunningServer } from "../../src/serving/start-server.js";
import { bundleDirFor } from "../../src/util/config.js";
import { fixtureStoreFile, trainFixtureBundle } from "./fixture-context.js";
import { fixtureExportCsv } from "./fixture-data.js";

const TOKEN = "hot-swap-test-token-0123456789";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-swap-test-"));
const db = path.join(dir, "store.duckdb");
const lines: string[] = [];
let server: RunningServer;

const train = () => trainFixtureBundle(db);

interface Health {
  users: number;
  bundle: { id: string; swaps: number; swappedAt: string | null; trainedAt: string; lastError: { id: string; message: string } | null };
  refresh: { running: unknown; last: { ok: boolean; message: string } | null } | null;
  load: { scoringThreads: number };
}
const health = async (): Promise<Health> => (await (await fetch(`${server.url}api/health`)).json()) as Health;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Clients looping requests (API, pages, health) until stopped; every non-200 or network error counts as a failure. */
function loopRequests(clients: number, users: string[]) {
  let running = true;
  const failures: string[] = [];
  /** Bundle ids in the order /api/health reported them. */
  const idsSeen: string[] = [];
  let requests = 0;
  const paths = (i: number) => [
    `api/users/${encodeURIComponent(users[i % users.length])}/recommendations?model=svd&k=${1 + (i % 20)}`,
    `recommendations?user=${encodeURIComponent(users[i % users.length])}`,
    "api/health",
  ];
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let i = c; running; i++) {
      const url = `${server.url}${paths(i)[i % 3]}`;
      try {
        const response = await fetch(url);
        const body = await response.text();
        if (response.status !== 200) failures.push(`${response.status} ${url}`);
        else if (url.endsWith("api/health")) {
          const id = (JSON.parse(body) as Health).bundle.id;
          if (idsSeen.at(-1) !== id) idsSeen.push(id);
        }
      } catch (error) {
        failures.push(`${(error as Error).message} ${url}`);
      }
      requests++;
    }
  });
  return {
    idsSeen,
    async stop() {
      running = false;
      await Promise.all(loops);
      return { failures, requests, idsSeen };
    },
  };
}

beforeAll(async () => {
  await fixtureStoreFile(db);
  await train();
  server = await serveStore(db, {
    host: "127.0.0.1",
    port: 0,
    pollMs: 200,
    token: TOKEN,
    log: (line) => lines.push(line),
    refresh: {
      cli: { file: process.execPath, args: ["-e", "console.error('musicrec: the refresh broke'); process.exit(3)", "--"] },
      plan: async () => [{ name: "train", args: ["train", "--like-current"] }],
    },
  });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("hot swap", () => {
  it("serves a newly saved bundle with no failed request, and while the store gets new plays", async () => {
    const before = await health();
    expect(before.bundle).toMatchObject({ swaps: 0, swappedAt: null, lastError: null });
    // Requests are scored on worker threads wherever there are two cores (the default), the old bundle's and then the new one's.
    const threads = os.availableParallelism() >= 2 ? 2 : 0;
    expect(before.load.scoringThreads).toBe(threads);
    expect((await fetch(`${server.url}api/users/alice/recommendations`)).status).toBe(404);

    const users = server.context.service.training.userNames;
    const load = loopRequests(6, users);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Add a listener (as an upload to the store does) and retrain on the store the server is reading.
    const file = path.join(dir, "alice.csv");
    fs.writeFileSync(file, fixtureExportCsv());
    await server.context.dataset.importHistory(file, { format: "lastfm-export", user: "alice" });
    await train();
    const trainedAt = Date.now();
    const after = await waitFor("the swap", async () => {
      const h = await health();
      return h.bundle.id !== before.bundle.id && h;
    });
    const swapSeconds = (Date.now() - trainedAt) / 1000;
    await waitFor("a client served by the new bundle", async () => load.idsSeen.includes(after.bundle.id), 30_000);
    const { failures, requests, idsSeen } = await load.stop();

    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(10);
    // The clients were served by the old bundle, then by the new one, never back.
    expect(idsSeen).toEqual([before.bundle.id, after.bundle.id]);
    expect(swapSeconds).toBeLessThan(10);
    expect(after.bundle.swaps).toBe(1);
    expect(after.bundle.swappedAt).not.toBeNull();
    expect(after.users).toBe(before.users + 1);
    const alice = await fetch(`${server.url}api/users/alice/recommendations?model=svd`);
    expect(alice.status).toBe(200);
    expect(lines.some((l) => l.startsWith(`switched to the new models ${after.bundle.id}`))).toBe(true);
    expect(after.load.scoringThreads).toBe(threads);
    if (threads > 0) expect(lines).toContain(`scoring recommendation requests on ${threads} worker threads (--scoring-threads; each holds a copy of the models)`);
  });

  it("keeps serving the old bundle when a new one is broken, and says so in /api/health", async () => {
    const before = await health();
    const bundleDir = bundleDirFor(db);
    fs.mkdirSync(path.join(bundleDir, "v99990101T000000000Z-1"));
    fs.writeFileSync(path.join(bundleDir, "v99990101T000000000Z-1", "manifest.json"), "{ not json");
    fs.writeFileSync(path.join(bundleDir, "CURRENT"), "v99990101T000000000Z-1\n");
    const after = await waitFor("the load error", async () => {
      const h = await health();
      return h.bundle.lastError && h;
    });
    expect(after.bundle.id).toBe(before.bundle.id);
    expect(after.bundle.lastError!.id).toBe("v99990101T000000000Z-1");
    expect(lines.some((l) => l.includes("new model bundle v99990101T000000000Z-1 could not be loaded, still serving"))).toBe(true);
    const response = await fetch(`${server.url}api/users/alice/recommendations?model=svd`);
    expect(response.status).toBe(200);
    // The next good save is picked up again.
    await train();
    const healed = await waitFor("the next swap", async () => {
      const h = await health();
      return h.bundle.swaps === before.bundle.swaps + 1 && h;
    });
    expect(healed.bundle.lastError).toBeNull();
  });
});

describe("refresh", () => {
  it("logs a failed refresh, reports it in /api/health and keeps the old models", async () => {
    const before = await health();
    const started = await fetch(`${server.url}api/refresh`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(started.status).toBe(202);
    const outcome = await server.context.refresh!.settled();
    expect(outcome).toMatchObject({ ok: false });
    expect(outcome!.message).toBe("train failed (exit 3): the refresh broke");
    const after = await health();
    expect(after.refresh!.last).toMatchObject({ ok: false, message: "train failed (exit 3): the refresh broke" });
    expect(after.bundle.id).toBe(before.bundle.id);
    expect(lines).toContain("refresh: FAILED, the current models keep serving: train failed (exit 3): the refresh broke");
    expect((await fetch(`${server.url}api/users/alice/recommendations?model=svd`)).status).toBe(200);
  });
});

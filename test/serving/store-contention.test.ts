/**
 * The server and another process on one store file: while a CLI-like process holds the store for
 * writing (an import, a train loading its plays), the server keeps answering — the API from the
 * loaded models, pages without the listener's profile after a short wait — and a write of its own
 * (an upload added to the store) waits and lands once the other process lets go; then the page
 * has its profile again. The other direction (a CLI command waiting for the store) is
 * test/store/store-lock.test.ts; all commands beside a running server, test/serving/live-store.test.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStore, type RunningServer } from "../../src/serving/start-server.js";
import { Store } from "../../src/store/store.js";
import { fixtureStoreFile, trainFixtureBundle } from "./fixture-context.js";
import { fixtureExportCsv } from "./fixture-data.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-contention-test-"));
const db = path.join(dir, "store.duckdb");
const children: ChildProcess[] = [];
let server: RunningServer;

/** Another process that opens the store for writing and holds it for `ms`; resolves once it holds it, with when it let go. */
async function holdStore(ms: number): Promise<{ released: Promise<number> }> {
  const script = `
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(${JSON.stringify(db)});
    process.stdout.write("held\\n");
    setTimeout(() => { instance.closeSync(); process.stdout.write("released\\n"); process.exit(0); }, ${ms});`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: path.resolve(import.meta.dirname, "../.."), stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  let output = "";
  const released = new Promise<number>((resolve) => child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()).includes("released") && resolve(Date.now())));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", () => output.includes("held") && resolve());
    child.once("exit", (code) => (output.includes("held") ? undefined : reject(new Error(`holder exited with ${code}`))));
  });
  return { released };
}

beforeAll(async () => {
  await fixtureStoreFile(db);
  await trainFixtureBundle(db);
  server = await serveStore(db, { host: "127.0.0.1", port: 0, cacheEntries: 0, log: () => {} });
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the server beside a process holding the store", () => {
  it("answers from memory, shows pages without the profile, and its own write waits for the store", async () => {
    const [user, other] = server.context.service.training.userNames;
    const page = (name = user) => fetch(`${server.url}recommendations?user=${encodeURIComponent(name)}`).then(async (r) => ({ status: r.status, html: await r.text() }));
    const withProfile = await page(other);
    expect(withProfile.status).toBe(200);
    expect(withProfile.html).toContain("Top artists");

    const { released } = await holdStore(2500);
    const api = await fetch(`${server.url}api/users/${encodeURIComponent(user)}/recommendations?model=svd&k=5`);
    expect(api.status).toBe(200);
    expect(((await api.json()) as { items: unknown[] }).items).toHaveLength(5);
    const held = await page();
    expect(held.status).toBe(200);
    expect(held.html).not.toContain("Top artists");

    // (A profile read before is kept until the store changes: served as it was.)
    expect((await page(other)).html).toContain("Top artists");

    // An upload added to the store while it is held: waits for the holder, then lands.
    const file = path.join(dir, "alice.csv");
    fs.writeFileSync(file, fixtureExportCsv());
    const summary = await server.context.dataset.importHistory(file, { format: "lastfm-export", user: "alice" });
    const landedAt = Date.now();
    expect(summary).toMatch(/^Added \d+ plays to the store/);
    expect(landedAt).toBeGreaterThanOrEqual(await released);
    const store = await Store.open(db, { readOnly: true });
    try {
      expect(Number(await store.scalar("SELECT count(*) FROM users WHERE name = 'alice'"))).toBe(1);
    } finally {
      store.close();
    }
    expect((await page()).html).toContain("Top artists");
  });
});

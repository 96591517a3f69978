/**
 * Store.open against a store another process holds: it waits with one message naming the
 * holder and gets in once the holder lets go, or gives up after the lock wait with a clear error.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";
import { lockHolderOf, StoreBusyError } from "../../src/store/store-lock.js";
import { parseDuration } from "../../src/util/duration.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-lock-test-"));
const db = path.join(dir, "store.duckdb");
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Another process that opens the store for writing and holds it for `ms`; resolves once it holds it. */
function holdStore(ms: number): Promise<ChildProcess> {
  const script = `
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(${JSON.stringify(db)});
    process.stdout.write("held\\n");
    setTimeout(() => { instance.closeSync(); process.exit(0); }, ${ms});`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    cwd: path.resolve(import.meta.dirname, "../.."),
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`holder exited with ${code}`)));
  });
}

describe("Store.open while another process holds the store", () => {
  it("creates the store first", async () => {
    (await Store.open(db)).close();
  });

  it("waits, saying once who holds it, and opens when the holder is done", async () => {
    const holder = await holdStore(1500);
    const messages: string[] = [];
    const started = Date.now();
    const store = await Store.open(db, { readOnly: true, lockWaitMs: 30_000, onBusy: (m) => messages.push(m) });
    store.close();
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`store .*store\\.duckdb is busy \\(used by PID ${holder.pid}: .*node.*\\); waiting up to 30 s`));
  });

  it("gives up after the lock wait with an error naming the holder and the flag", async () => {
    const holder = await holdStore(5000);
    const attempt = Store.open(db, { lockWaitMs: 300, onBusy: () => {} });
    await expect(attempt).rejects.toThrow(StoreBusyError);
    await expect(attempt).rejects.toThrow(new RegExp(`busy \\(used by PID ${holder.pid}.*for more than 300 ms: .*--lock-wait or MUSICREC_LOCK_WAIT`));
    holder.kill("SIGKILL");
  });

  it("recognises DuckDB's lock conflict message", () => {
    const message = 'IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242). See also https://duckdb.org/docs/stable/connect/concurrency';
    expect(lockHolderOf(new Error(message))).toEqual({ pid: 4242 });
    expect(lockHolderOf(new Error("IO Error: Cannot open file: permission denied"))).toBeNull();
  });

  it("reads durations for --lock-wait and --refresh", () => {
    expect(parseDuration("30s", "--lock-wait")).toBe(30_000);
    expect(parseDuration("24h", "--refresh")).toBe(86_400_000);
    expect(parseDuration("1h30m", "--refresh")).toBe(5_400_000);
    expect(parseDuration("0", "--lock-wait")).toBe(0);
    expect(() => parseDuration("soon", "--refresh")).toThrow('--refresh must be a duration like 30s, 30m, 6h or 24h, got "soon"');
    expect(() => parseDuration("10", "--refresh")).toThrow(/duration/);
  });
});

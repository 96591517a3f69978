import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach } from "vitest";
import { Store } from "../../src/store/store.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const fixture = (name: string): string => path.join(repoRoot, "test/fixtures/ingest", name);
export const sharedData = path.resolve(repoRoot, "../shared/data");

export const openMemoryStore = (): Promise<Store> => Store.open(":memory:");

/** A fresh scratch folder for files a test writes. */
export function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-ingest-test-"));
}

/** Every table's full content, to prove that a failed import changed nothing. */
export async function snapshot(store: Store): Promise<string> {
  const tables = ["users", "artists", "items", "events", "spellings", "item_mbids", "artist_tags", "artist_tag_lookups", "imports", "feedback", "sync_accounts"];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = await store.all(`SELECT * FROM ${table} ORDER BY ALL`);
    parts.push(`${table}:${JSON.stringify(rows, (_, value) => (typeof value === "bigint" ? value.toString() : value))}`);
  }
  return parts.join("\n");
}

export async function tableCounts(store: Store): Promise<{ users: number; artists: number; items: number; events: number }> {
  const [row] = await store.all(
    "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM artists) AS artists, (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM events) AS events",
  );
  return { users: Number(row.users), artists: Number(row.artists), items: Number(row.items), events: Number(row.events) };
}

/**
 * A fresh in-memory store and scratch folder for every test of the file: `fresh.store`,
 * `fresh.dir`, and `fresh.write(name, content)` to put a file (and its folders) in the scratch folder.
 */
export function freshStorePerTest(): { readonly store: Store; readonly dir: string; write(name: string, content: string | Buffer): string } {
  let store: Store | undefined;
  let dir = "";
  beforeEach(async () => {
    store = await openMemoryStore();
    dir = scratchDir();
  });
  afterEach(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get store() {
      return store!;
    },
    get dir() {
      return dir;
    },
    write(name, content) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
  };
}

import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importPaths } from "../../src/ingest/import-files.js";
import { loadInteractions } from "../../src/store/load-interactions.js";
import type { Store } from "../../src/store/store.js";
import { openMemoryStore, sharedData, snapshot, tableCounts } from "./helpers.js";

const hetrec = path.join(sharedData, "hetrec2011-lastfm-2k");
const kaggle = path.join(sharedData, "kaggle-lastfm-excerpt", "Last.fm_data.head.csv");

describe.skipIf(!fs.existsSync(hetrec))(`HetRec 2011 Last.fm-2k${fs.existsSync(hetrec) ? "" : ` (skipped: ${hetrec} is absent)`}`, () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
    await importPaths(store, [hetrec]);
  });
  afterAll(() => store.close());

  it("imports exactly 1,892 users, 17,632 artists and 92,834 user–artist play counts", async () => {
    expect(await tableCounts(store)).toEqual({ users: 1892, artists: 17632, items: 17632, events: 92834 });
    // The play counts are HetRec's weights, untouched.
    const expected = fs
      .readFileSync(path.join(hetrec, "user_artists.dat"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .reduce((sum, line) => sum + Number(line.split("\t")[2]), 0);
    expect(await store.scalar("SELECT sum(plays) FROM events")).toBe(expected);
    expect(await store.scalar("SELECT plays FROM events e JOIN users u USING (user_id) JOIN artists a ON a.artist_id = e.item_id WHERE u.name = '2' AND a.name = 'Duran Duran'")).toBe(13883);
  });

  it("attaches Latin-1 tags to artists, weighted by the number of taggings", async () => {
    expect(await store.scalar("SELECT count(DISTINCT artist_id) FROM artist_tags")).toBeGreaterThan(12000);
    const tags = await store.all("SELECT tag FROM artist_tags WHERE tag IN ('rock français', 'tropicália', 'español') GROUP BY tag ORDER BY tag");
    expect(tags.map((row) => row.tag)).toEqual(["español", "rock français", "tropicália"]);
    const data = await loadInteractions(store);
    expect(data.catalog.level).toBe("artist");
    expect(data.plays.length).toBe(92834);
    const madonna = data.catalog.artists.indexOf("Madonna");
    expect(data.catalog.tags[madonna].slice(0, 2)).toEqual(["pop", "dance"]);
  });

  it("importing it again changes nothing", async () => {
    const before = await snapshot(store);
    const again = await importPaths(store, [hetrec]);
    expect(again).toMatchObject({ imported: 0, duplicates: 92834 });
    expect((await snapshot(store)).replace(/imports:.*$/s, "")).toBe(before.replace(/imports:.*$/s, ""));
  });
});

describe.skipIf(!fs.existsSync(kaggle))(`Kaggle Last.fm excerpt${fs.existsSync(kaggle) ? "" : ` (skipped: ${kaggle} is absent)`}`, () => {
  it("imports 92 scrobbles of Babs_05 with accents and quotes intact, idempotently", async () => {
    const store = await openMemoryStore();
    const first = await importPaths(store, [kaggle]);
    expect(first).toMatchObject({ imported: 92, rejected: 0, users: 1, events: 92 });
    expect(await store.all("SELECT name FROM users")).toEqual([{ name: "Babs_05" }]);
    const tracks = (await store.all("SELECT a.name || ' – ' || i.track AS label FROM items i JOIN artists a USING (artist_id)")).map((r) => r.label);
    expect(tracks).toContain('Ludwig van Beethoven – Bagatelle No. 25 in A Minor, "Für Elise", WoO 59');
    expect(tracks).toContain("Black M – Cesar (feat. Maître Gims)");
    expect(tracks).toContain("LÉON – Die for You");
    expect(await store.scalar("SELECT count(*) FROM items WHERE album = 'Beethoven: Bagatelle No. 25 in A Minor, WoO 59 \"Für Elise\"'")).toBe(1);
    const before = await snapshot(store);
    expect(await importPaths(store, [kaggle])).toMatchObject({ imported: 0, duplicates: 92 });
    expect((await snapshot(store)).replace(/imports:.*$/s, "")).toBe(before.replace(/imports:.*$/s, ""));
    store.close();
  });
});

import fs from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detectFormat, resolveInputs } from "../../src/ingest/detect.js";
import { importPaths } from "../../src/ingest/import-files.js";
import type { Store } from "../../src/store/store.js";
import { fixture, openMemoryStore, scratchDir, tableCounts } from "./helpers.js";

let store: Store;
beforeEach(async () => {
  store = await openMemoryStore();
});
afterEach(() => store.close());

/** (user, artist, track, album, ISO time, plays) of every stored event, in time order. */
async function events(): Promise<string[]> {
  const rows = await store.all(`
    SELECT u.name AS user, a.name AS artist, i.track, i.album, strftime(e.played_at, '%Y-%m-%dT%H:%M:%S') AS at, e.plays
    FROM events e JOIN users u USING (user_id) JOIN items i USING (item_id) JOIN artists a USING (artist_id)
    ORDER BY e.played_at, u.name, i.key`);
  return rows.map((r) => [r.user, r.artist, r.track, r.album, r.at, r.plays].join(" | "));
}

describe("format detection", () => {
  it.each([
    ["kaggle.csv", "kaggle"],
    ["lastfm-export-uts.csv", "lastfm-export"],
    ["lastfm-export-headerless.csv", "lastfm-export"],
    ["lastfm-export-r.csv", "lastfm-export"],
    ["lfm1k.tsv", "lfm1k"],
    ["lfm360k.tsv", "lfm360k"],
    ["listenbrainz.jsonl", "listenbrainz"],
    ["listenbrainz-array.json", "listenbrainz"],
    ["spotify-extended.json", "spotify"],
    ["spotify-account.json", "spotify"],
  ])("%s is %s", (file, format) => {
    expect(detectFormat(fixture(file))).toBe(format);
  });

  it("recognises a HetRec folder and expands other folders into their files, recursively", () => {
    expect(resolveInputs([fixture("hetrec-mini")])).toEqual([{ path: fixture("hetrec-mini"), format: "hetrec" }]);
    const inputs = resolveInputs([fixture(".")]);
    expect(inputs.map((input) => input.format)).toContain("spotify");
    expect(inputs).toContainEqual({ path: fixture("hetrec-mini"), format: "hetrec" });
  });
});

describe("kaggle", () => {
  it("imports with quotes, accents and case/whitespace-insensitive identity; each row is one play", async () => {
    const summary = await importPaths(store, [fixture("kaggle.csv")]);
    expect(summary.files[0]).toMatchObject({ format: "kaggle", imported: 6, duplicates: 0, users: 2, items: 3 });
    expect(await events()).toEqual([
      "bob | Sigur Rós | Hoppípolla | Takk... | 2021-01-29T09:00:00 | 1",
      "bob | Sigur Rós | Hoppípolla | Takk... | 2021-01-29T09:00:00 | 1",
      "bob | Björk | Jóga | Homogenic | 2021-01-29T09:05:00 | 1",
      'alice | Ludwig van Beethoven | Bagatelle No. 25 in A Minor, "Für Elise", WoO 59 | Beethoven: Bagatelle No. 25 in A Minor, WoO 59 "Für Elise" | 2021-01-30T14:21:00 | 1',
      "alice | Björk | Jóga | Homogenic | 2021-01-31T23:30:00 | 1",
      "alice | Björk | Jóga | Homogenic | 2021-01-31T23:36:00 | 1",
    ]);
  });

  it("--user keeps only that user's rows and counts the others as skipped", async () => {
    const summary = await importPaths(store, [fixture("kaggle.csv")], { user: "bob" });
    expect(summary.imported).toBe(3);
    expect(summary.files[0].skipped).toEqual({ "other user than --user": 3 });
  });
});

describe("lastfm-export", () => {
  it("reads uts timestamps and names the listener after the file (or --user)", async () => {
    await importPaths(store, [fixture("lastfm-export-uts.csv")]);
    expect(await events()).toEqual([
      "lastfm-export-uts | Radiohead | Airbag | OK Computer | 2021-01-31T23:06:40 | 1",
      "lastfm-export-uts | Radiohead | Paranoid Android | OK Computer | 2021-01-31T23:11:40 | 1",
      "lastfm-export-uts | Radiohead | Airbag | OK Computer | 2021-01-31T23:16:40 | 1",
    ]);
    const other = await openMemoryStore();
    await importPaths(other, [fixture("lastfm-export-uts.csv")], { user: "rj" });
    expect(await other.all("SELECT name FROM users")).toEqual([{ name: "rj" }]);
    other.close();
  });

  it("reads the headerless artist,album,track,date form", async () => {
    await importPaths(store, [fixture("lastfm-export-headerless.csv")]);
    expect((await events())[0]).toBe(
      "lastfm-export-headerless | Crosby, Stills & Nash | Suite: Judy Blue Eyes | Crosby Stills & Nash | 2021-01-30T10:00:00 | 1",
    );
  });

  it("reads an R-style index column with separate date and time columns", async () => {
    await importPaths(store, [fixture("lastfm-export-r.csv")]);
    expect(await events()).toEqual([
      "lastfm-export-r | Portishead | Glory Box | Dummy | 2021-01-31T20:10:00 | 1",
      "lastfm-export-r | Portishead | Roads | Dummy | 2021-01-31T20:15:00 | 1",
    ]);
  });
});

describe("lfm1k", () => {
  it("reads the headerless TSV with quotes and CJK names as plain text", async () => {
    const summary = await importPaths(store, [fixture("lfm1k.tsv")]);
    expect(summary.files[0]).toMatchObject({ format: "lfm1k", imported: 4, users: 2, items: 4 });
    expect((await events())[0]).toBe('user_000002 | Underworld | Boy, Boy, Boy "Live" |  | 2009-05-03T15:48:25 | 1');
    expect(await store.scalar("SELECT count(*) FROM artists WHERE name = '坂本龍一'")).toBe(1);
  });
});

describe("lfm360k", () => {
  it("imports artist play counts per user (artist-level items, no timestamps); re-importing adds nothing", async () => {
    const summary = await importPaths(store, [fixture("lfm360k.tsv")]);
    expect(summary.files[0]).toMatchObject({ format: "lfm360k", imported: 5, duplicates: 0, users: 2, items: 3 });
    const rows = await store.all(`
      SELECT left(u.name, 6) AS user, a.name AS artist, i.track, e.played_at, e.plays
      FROM events e JOIN users u USING (user_id) JOIN items i USING (item_id) JOIN artists a USING (artist_id) ORDER BY u.name, a.name`);
    expect(rows.map((r) => [r.user, r.artist, r.track, r.played_at, r.plays].join(" | "))).toEqual([
      "000063 | Radiohead |  |  | 120",
      "000063 | Sigur Rós |  |  | 48",
      "000063 | björk |  |  | 31",
      "00009f | Radiohead |  |  | 7",
      "00009f | Sigur Rós |  |  | 5",
    ]);
    expect((await importPaths(store, [fixture("lfm360k.tsv")])).files[0]).toMatchObject({ imported: 0, duplicates: 5 });
  });

  it("--user imports one listener and counts the other rows as skipped", async () => {
    const summary = await importPaths(store, [fixture("lfm360k.tsv")], { user: "00009fb2c8aa4a0f5d5e3f0d2bfc5d8d5e3cf1d0" });
    expect(summary.files[0]).toMatchObject({ imported: 2, users: 1, skipped: { "other user than --user": 3 } });
    await expect(importPaths(store, [fixture("lfm360k.tsv")], { user: "alice" })).rejects.toThrow(/--user alice is not one of its listeners/);
  });
});

describe("listenbrainz", () => {
  it("reads JSON lines (Unix or ISO listened_at, user_name) and skips blank lines", async () => {
    const summary = await importPaths(store, [fixture("listenbrainz.jsonl")]);
    expect(summary.files[0]).toMatchObject({ imported: 3, users: 1, items: 2, skipped: { "blank line": 1 } });
    expect((await events())[0]).toBe("carol | Ólafur Arnalds | Saman |  | 2021-01-30T10:00:00 | 1");
  });

  it("reads a JSON array export", async () => {
    const summary = await importPaths(store, [fixture("listenbrainz-array.json")], { user: "erin" });
    expect(summary.files[0]).toMatchObject({ imported: 2, items: 2 });
    expect(await store.all("SELECT name FROM users")).toEqual([{ name: "erin" }]);
  });
});

describe("spotify", () => {
  it("counts plays of 30 s or more; skips shorter streams and podcasts", async () => {
    const summary = await importPaths(store, [fixture("spotify-extended.json")]);
    expect(summary.files[0].skipped).toEqual({
      "podcast, audiobook or video (no track metadata)": 1,
      "skip (played under 30 s)": 1,
    });
    expect(await events()).toEqual([
      "dave | Massive Attack | Angel | Mezzanine | 2021-01-30T20:00:00 | 1",
      "dave | Massive Attack | Teardrop | Mezzanine | 2021-01-31T23:36:12 | 1",
    ]);
  });

  it("also reads the older account-data StreamingHistory form", async () => {
    const summary = await importPaths(store, [fixture("spotify-account.json")]);
    expect(summary.files[0]).toMatchObject({ imported: 1, skipped: { "skip (played under 30 s)": 1 } });
  });
});

describe("hetrec", () => {
  it("imports artist-level play counts, keeps HetRec's case-variant artists apart and reads Latin-1 tags", async () => {
    const summary = await importPaths(store, [fixture("hetrec-mini")]);
    expect(summary.files[0]).toMatchObject({ imported: 5, users: 3, items: 4, skipped: { "tagging of an artist absent from artists.dat": 1 } });
    expect(await tableCounts(store)).toEqual({ users: 3, artists: 4, items: 4, events: 5 });
    expect(await store.all("SELECT key, name FROM artists WHERE key LIKE 'настя%' ORDER BY key")).toEqual([
      { key: "настя", name: "Настя" },
      { key: "настя #3", name: "НАСТЯ" },
    ]);
    expect(await store.scalar("SELECT count(*) FROM events WHERE played_at IS NOT NULL")).toBe(0);
    expect(await store.all("SELECT a.name, t.tag, t.weight FROM artist_tags t JOIN artists a USING (artist_id) ORDER BY ALL")).toEqual([
      { name: "Björk", tag: "français", weight: 1 },
      { name: "Björk", tag: "müsic", weight: 2 },
      { name: "MALICE MIZER", tag: "j-rock", weight: 2 },
    ]);
  });
});

describe("idempotence and display spelling", () => {
  it("re-importing every fixture adds nothing", async () => {
    const files = ["kaggle.csv", "lastfm-export-uts.csv", "lfm1k.tsv", "listenbrainz.jsonl", "spotify-extended.json", "hetrec-mini"].map(fixture);
    const first = await importPaths(store, files);
    const before = await tableCounts(store);
    const second = await importPaths(store, files);
    expect(second.imported).toBe(0);
    expect(second.duplicates).toBe(first.imported + first.duplicates);
    expect(await tableCounts(store)).toEqual(before);
    // Ids and keys stay unique without indexes: dense 0..n-1, one row per key.
    for (const [table, id] of [["items", "item_id"], ["artists", "artist_id"], ["users", "user_id"]]) {
      const [row] = await store.all(
        `SELECT count(*) AS n, count(DISTINCT ${id}) AS ids, min(${id}) AS low, max(${id}) AS high FROM ${table}`,
      );
      expect([Number(row.ids), Number(row.low), Number(row.high)], table).toEqual([Number(row.n), 0, Number(row.n) - 1]);
    }
    expect(await store.scalar("SELECT count(*) - count(DISTINCT key) FROM items")).toBe(0);
    expect(await store.scalar("SELECT count(*) - count(DISTINCT key) FROM artists")).toBe(0);
  });

  it("display names follow the most common spelling across imports", async () => {
    const dir = scratchDir();
    const first = `${dir}/first.csv`;
    const second = `${dir}/second.csv`;
    fs.writeFileSync(first, "artist,album,track,uts\nbjörk,homogenic,jóga,1600000000\n");
    fs.writeFileSync(second, "artist,album,track,uts\nBjörk,Homogenic,Jóga,1600000100\nBjörk,Homogenic,Jóga,1600000200\n");
    await importPaths(store, [first], { user: "u" });
    expect(await store.all("SELECT a.name, i.track, i.album FROM items i JOIN artists a USING (artist_id)")).toEqual([
      { name: "björk", track: "jóga", album: "homogenic" },
    ]);
    await importPaths(store, [second], { user: "u" });
    expect(await store.all("SELECT a.name, i.track, i.album FROM items i JOIN artists a USING (artist_id)")).toEqual([
      { name: "Björk", track: "Jóga", album: "Homogenic" },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("an overlapping export adds only the new scrobbles and display follows the most common spelling", async () => {
    await importPaths(store, [fixture("lastfm-export-uts.csv")], { user: "rj" });
    expect(await store.all("SELECT name FROM artists")).toEqual([{ name: "Radiohead" }]);
    expect(await store.all("SELECT track FROM items WHERE key LIKE '%airbag'")).toEqual([{ track: "Airbag" }]);
    const again = await importPaths(store, [fixture("lastfm-export-headerless.csv")], { user: "rj" });
    // 31 Jan 2021 23:16 Airbag is the same scrobble as uts 1612135000 only at minute precision: it differs by 40 s.
    expect(again.files[0]).toMatchObject({ imported: 3, duplicates: 0 });
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { detectFormat } from "../../src/ingest/detect.js";
import { importPaths } from "../../src/ingest/import-files.js";
import type { Store } from "../../src/store/store.js";
import { fixture, openMemoryStore, scratchDir, snapshot } from "./helpers.js";

let store: Store;
beforeEach(async () => {
  store = await openMemoryStore();
});
afterEach(() => store.close());
const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function events(): Promise<string[]> {
  const rows = await store.all(`
    SELECT u.name AS user, a.name AS artist, i.track, i.album, strftime(e.played_at, '%Y-%m-%dT%H:%M:%S') AS at
    FROM events e JOIN users u USING (user_id) JOIN items i USING (item_id) JOIN artists a USING (artist_id)
    ORDER BY e.played_at, u.name, i.key`);
  return rows.map((r) => [r.user, r.artist, r.track, r.album, r.at].join(" | "));
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("saved API pages", () => {
  it.each([
    ["listenbrainz-api-page.json", "listenbrainz-api"],
    ["listenbrainz-api-listens.json", "listenbrainz-api"],
    ["lastfm-api-page.json", "lastfm-api"],
    ["lastfm-api-single.json", "lastfm-api"],
    ["lastfm-recenttracks-array.json", "lastfm-api"],
    ["listenbrainz-array.json", "listenbrainz"],
    ["listenbrainz.jsonl", "listenbrainz"],
  ])("%s is detected as %s", (file, format) => {
    expect(detectFormat(fixture(file))).toBe(format);
  });

  it("imports a pretty-printed ListenBrainz API response, the listener from its records", async () => {
    const summary = await importPaths(store, [fixture("listenbrainz-api-page.json")]);
    expect(summary.files[0]).toMatchObject({ format: "listenbrainz-api", imported: 3, duplicates: 0, rejected: { count: 0 } });
    expect(await events()).toEqual([
      "listener_lb | Portishead | Glory Box | Dummy | 2024-02-01T18:21:40",
      "listener_lb | Björk | Jóga | Homogenic | 2024-02-01T18:26:40",
      "listener_lb | Radiohead | Karma Police | OK Computer | 2024-02-01T18:33:00",
    ]);
    const again = await importPaths(store, [fixture("listenbrainz-api-page.json")]);
    expect(again).toMatchObject({ imported: 0, duplicates: 3 });
  });

  it("skips playing-now listens and numbers bad records of {listens: [...]}", async () => {
    const summary = await importPaths(store, [fixture("listenbrainz-api-listens.json")], { user: "me" });
    expect(summary.files[0]).toMatchObject({
      imported: 1,
      skipped: { "playing now (not a listen yet)": 1 },
      rejected: { count: 1, examples: [{ line: 3, reason: "empty artist" }] },
    });
    expect(await events()).toEqual(["me | Radiohead | Karma Police | OK Computer | 2024-02-01T18:33:00"]);
  });

  it("imports a Last.fm getRecentTracks page: now playing skipped, empty album NULL, bad date numbered", async () => {
    const summary = await importPaths(store, [fixture("lastfm-api-page.json")]);
    expect(summary.files[0]).toMatchObject({
      format: "lastfm-api",
      imported: 2,
      skipped: { "now playing (not scrobbled yet)": 1 },
      rejected: { count: 1, examples: [{ line: 4, reason: 'unparseable date "not a time"' }] },
    });
    expect(await events()).toEqual([
      "frikandel_ | Sigur Rós | Hoppípolla |  | 2020-10-20T09:35:00",
      "frikandel_ | Tame Impala | Endors Toi | Lonerism | 2020-10-20T09:40:24",
    ]);
  });

  it("reads a one-track page (an object, not an array) and a tool's {recentTracks: [...]}", async () => {
    await importPaths(store, [fixture("lastfm-api-single.json"), fixture("lastfm-recenttracks-array.json")]);
    expect(await events()).toEqual([
      "RJ | Aretha Franklin | Sisters Are Doing It For Themselves | Who's Zoomin' Who? | 2008-06-09T17:16:59",
      "lastfm-recenttracks-array | Nils Frahm | Hammers | Spaces | 2021-01-31T23:00:00",
      "lastfm-recenttracks-array | Nils Frahm | Says | Spaces | 2021-01-31T23:16:40",
    ]);
  });

  it("reads several saved pages in one file, concatenated or as an array", async () => {
    const page = (uts: number, track: string) =>
      JSON.stringify({ recenttracks: { track: [{ artist: { "#text": "Low" }, name: track, date: { uts: String(uts) } }], "@attr": { user: "u" } } });
    const concatenated = write("pages.json", `${page(1600000000, "Words")}\n${page(1600000300, "Lullaby")}\n`);
    const array = write("pages-array.json", `[${page(1600000600, "Shame")}, ${page(1600000900, "Laser Beam")}]`);
    const summary = await importPaths(store, [concatenated, array]);
    expect(summary.files.map((file) => file.imported)).toEqual([2, 2]);
    expect((await events()).map((line) => line.split(" | ")[2])).toEqual(["Words", "Lullaby", "Shame", "Laser Beam"]);
  });

  it("an empty page imports nothing; a document without the array is refused and changes nothing", async () => {
    const empty = write("empty.json", JSON.stringify({ payload: { count: 0, listens: [], user_id: "x" } }));
    expect(await importPaths(store, [empty])).toMatchObject({ imported: 0, rejected: 0 });
    await importPaths(store, [fixture("listenbrainz-api-page.json")]);
    const before = await snapshot(store);
    const error = write("error.json", JSON.stringify({ payload: { count: 0, user_id: "x" } }));
    await expect(importPaths(store, [error], { format: "listenbrainz-api" })).rejects.toThrow(
      /error\.json: cannot be read as listenbrainz-api: .*no "payload\.listens" or "listens" array in the document/,
    );
    expect(await snapshot(store)).toBe(before);
  });
});

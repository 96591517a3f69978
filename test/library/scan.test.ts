import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, symlinkSync, unlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { importPaths } from "../../src/ingest/import-files.js";
import { loadLibraryFiles } from "../../src/library/library-store.js";
import * as tagReader from "../../src/library/read-tags.js";
import { scanLibrary } from "../../src/library/scan-library.js";
import { Store } from "../../src/store/store.js";
import { writeAudio } from "./audio-fixtures.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-library-"));
const music = path.join(scratch, "Music");
let store: Store;

const KARMA_MBID = "8f3471b5-7e6a-48da-86a9-c1c07a0f47ae";

/** A catalogue of six tracks by four artists, as a listening history imports it. */
const HISTORY = `,Username,Artist,Track,Album,Date,Time
0,alice,Radiohead,Karma Police,OK Computer,31 Jan 2021, 23:36
1,alice,The Beatles,Here Comes the Sun,Abbey Road,31 Jan 2021, 23:30
2,bob,Beyoncé,Déjà Vu,B'Day,30 Jan 2021, 10:00
3,bob,Daft Punk,Get Lucky,Random Access Memories,30 Jan 2021, 11:00
4,bob,Radiohead,Creep,Pablo Honey,30 Jan 2021, 12:00
5,alice,Daft Punk,Around the World,Homework,29 Jan 2021, 12:00
`;

beforeAll(async () => {
  const csv = path.join(scratch, "history.csv");
  writeFileSync(csv, HISTORY);
  store = await Store.open(path.join(scratch, "store.duckdb"));
  await importPaths(store, [csv]);
  // A CSV history carries no MusicBrainz ids: give one catalogue item its recording id.
  await store.connection.run(`INSERT INTO item_mbids SELECT item_id, '${KARMA_MBID}', NULL FROM items WHERE track = 'Karma Police'`);
  mkdirSync(path.join(music, "Radiohead"), { recursive: true });
  mkdirSync(path.join(music, "Various", "deep"), { recursive: true });
  // Matched by MusicBrainz id although the tags spell the song differently.
  writeAudio(path.join(music, "Radiohead", "01.mp3"), { artist: "Radiohead", title: "Karma Police (1997 OK Computer version, wrongly tagged)", recordingMbid: KARMA_MBID });
  // Matched by normalised names: "The", remaster suffix, accents, featuring credit.
  writeAudio(path.join(music, "Various", "sun.flac"), { artist: "Beatles", title: "Here Comes The Sun - Remastered 2009", album: "Abbey Road", seconds: 185.5 });
  writeAudio(path.join(music, "Various", "deja.ogg"), { artist: "BEYONCE feat. Jay-Z", title: "Deja Vu", seconds: 240 });
  writeAudio(path.join(music, "Various", "deep", "lucky.m4a"), { artist: "Daft Punk", title: "Get Lucky (feat. Pharrell Williams) [Radio Edit]" });
  // Tagged but not in the catalogue; without tags; not audio at all.
  writeAudio(path.join(music, "Various", "unknown.mp3"), { artist: "Nobody Known", title: "Nothing" });
  writeAudio(path.join(music, "Various", "untagged.flac"), {});
  writeFileSync(path.join(music, "Various", "broken.mp3"), "this is not an mp3 file at all, just text");
  // A FLAC whose STREAMINFO block is cut short.
  writeFileSync(path.join(music, "Various", "broken.flac"), Buffer.concat([Buffer.from("fLaC"), Buffer.from([0, 0, 3, 0xe8]), Buffer.alloc(10)]));
  writeFileSync(path.join(music, "Various", "cover.jpg"), "not audio");
  // A symlink loop must not make the walk endless.
  symlinkSync(music, path.join(music, "Various", "loop"));
}, 60_000);

afterAll(() => {
  store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("library scan", () => {
  it("reads MP3, FLAC, Ogg and M4A tags into the store and matches them to the catalogue", async () => {
    const result = await scanLibrary(store, music);
    expect(result).toMatchObject({ found: 8, added: 8, changed: 0, unchanged: 0, removed: 0 });
    // The truncated FLAC and the text file named .mp3 are counted and reported with their paths, never fatal.
    expect(result.unreadable.map((u) => path.basename(u.path))).toEqual(["broken.flac", "broken.mp3"]);
    expect(result.unreadable[0].error).not.toBe("");
    const files = new Map((await loadLibraryFiles(store)).map((f) => [path.relative(music, f.path), f]));
    expect([...files.keys()].sort()).toEqual(
      ["Radiohead/01.mp3", "Various/broken.flac", "Various/broken.mp3", "Various/deep/lucky.m4a", "Various/deja.ogg", "Various/sun.flac", "Various/unknown.mp3", "Various/untagged.flac"].map((p) => path.normalize(p)),
    );
    expect(files.get("Radiohead/01.mp3")).toMatchObject({ recordingMbid: KARMA_MBID, matchedBy: "mbid", itemKey: "radiohead\u001fkarma police" });
    expect(files.get("Various/sun.flac")).toMatchObject({ artist: "Beatles", album: "Abbey Road", durationMs: 185500, matchedBy: "name", itemKey: "the beatles\u001fhere comes the sun" });
    expect(files.get("Various/deja.ogg")).toMatchObject({ durationMs: 240000, matchedBy: "name", itemKey: "beyoncé\u001fdéjà vu" });
    expect(files.get(path.normalize("Various/deep/lucky.m4a"))).toMatchObject({ matchedBy: "name", itemKey: "daft punk\u001fget lucky" });
    expect(files.get("Various/unknown.mp3")).toMatchObject({ artist: "Nobody Known", matchedBy: "none", itemKey: null });
    expect(files.get("Various/untagged.flac")).toMatchObject({ artist: null, error: null, matchedBy: "none" });
    expect(files.get("Various/broken.mp3")?.size).toBeGreaterThan(0);
    // 5 tagged files, 4 matched (1 by id, 3 by name).
    expect(result.library.match).toEqual({ tagged: 5, matched: 4, byMbid: 1, byName: 3, rate: 0.8 });
  });

  it("re-reads only new and changed files and removes deleted ones", async () => {
    const spy = vi.spyOn(tagReader, "readTags");
    try {
      const unchanged = await scanLibrary(store, music);
      expect(unchanged).toMatchObject({ found: 8, added: 0, changed: 0, unchanged: 8, removed: 0 });
      expect(spy).not.toHaveBeenCalled();

      // A changed file (new tags, new size and time), a deleted one and a new one.
      const unknown = path.join(music, "Various", "unknown.mp3");
      writeAudio(unknown, { artist: "Radiohead", title: "Creep" });
      utimesSync(unknown, new Date(), new Date(Date.now() + 5000));
      unlinkSync(path.join(music, "Various", "deja.ogg"));
      writeAudio(path.join(music, "Various", "around.mp3"), { artist: "Daft Punk", title: "Around The World" });

      const rescan = await scanLibrary(store, music);
      expect(rescan).toMatchObject({ found: 8, added: 1, changed: 1, unchanged: 6, removed: 1 });
      // Unreadable files stay reported while they are unchanged, without being read again.
      expect(rescan.unreadable).toHaveLength(2);
      expect(spy.mock.calls.map(([file]) => path.basename(file)).sort()).toEqual(["around.mp3", "unknown.mp3"]);
      const files = new Map((await loadLibraryFiles(store)).map((f) => [path.basename(f.path), f]));
      expect(files.has("deja.ogg")).toBe(false);
      expect(files.get("unknown.mp3")).toMatchObject({ artist: "Radiohead", title: "Creep", matchedBy: "name", itemKey: "radiohead\u001fcreep" });
      expect(files.get("around.mp3")).toMatchObject({ matchedBy: "name" });
      expect(rescan.library.match).toMatchObject({ tagged: 5, matched: 5 });
    } finally {
      spy.mockRestore();
    }
  });

  it("keeps other scanned folders and re-matches after an import adds what a file has", async () => {
    const other = path.join(scratch, "Other");
    mkdirSync(other, { recursive: true });
    writeAudio(path.join(other, "new.flac"), { artist: "Portishead", title: "Glory Box" });
    const first = await scanLibrary(store, other);
    expect(first.library.files).toBe(9);
    expect(first.library.match).toMatchObject({ tagged: 6, matched: 5 });

    const csv = path.join(scratch, "more.csv");
    writeFileSync(csv, ",Username,Artist,Track,Album,Date,Time\n0,carol,Portishead,Glory Box,Dummy,28 Jan 2021, 10:00\n");
    await importPaths(store, [csv]);
    const again = await scanLibrary(store, other);
    expect(again).toMatchObject({ added: 0, changed: 0, unchanged: 1 });
    expect(again.library.match).toMatchObject({ tagged: 6, matched: 6 });
    expect((await loadLibraryFiles(store)).filter((f) => f.path.startsWith(music))).toHaveLength(8);
  });

  it("refuses a missing folder instead of removing its files", async () => {
    const before = await loadLibraryFiles(store);
    await expect(scanLibrary(store, path.join(scratch, "unmounted"))).rejects.toThrow(/is not a folder/);
    await expect(scanLibrary(store, path.join(music, "Radiohead", "01.mp3"))).rejects.toThrow(/is not a folder/);
    expect(await loadLibraryFiles(store)).toEqual(before);
  });

  it("leaves the library as it was when writing fails", async () => {
    const before = await loadLibraryFiles(store);
    writeAudio(path.join(music, "Various", "late.mp3"), { artist: "Radiohead", title: "Karma Police" });
    const run = store.connection.run.bind(store.connection);
    const spy = vi.spyOn(store.connection, "run").mockImplementation(async (sql, values) => {
      if (String(sql).startsWith("UPDATE library_files")) throw new Error("disk full");
      return run(sql, values);
    });
    try {
      await expect(scanLibrary(store, music)).rejects.toThrow("disk full");
    } finally {
      spy.mockRestore();
    }
    expect(await loadLibraryFiles(store)).toEqual(before);
  });
});

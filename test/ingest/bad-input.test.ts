import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/util/errors.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { fixture, freshStorePerTest, snapshot, tableCounts } from "./helpers.js";

const fresh = freshStorePerTest();
const write = fresh.write;

describe("bad rows are counted with line numbers, never crash, never vanish", () => {
  it("kaggle: empty artist, bad date, wrong column counts, invalid UTF-8, blank track", async () => {
    const summary = await importPaths(fresh.store, [fixture("kaggle-bad-rows.csv")]);
    const file = summary.files[0];
    expect(file.imported).toBe(3);
    expect(file.rejected.count).toBe(6);
    expect(file.rejected.examples.map((e) => e.line)).toEqual([3, 4, 5, 6, 8]);
    const reasons = file.rejected.examples.map((e) => e.reason);
    expect(reasons[0]).toBe("empty artist");
    expect(reasons[1]).toBe('unparseable date "32 Foo 2021, 23:20"');
    expect(reasons[2]).toMatch(/^wrong column count/);
    expect(reasons[3]).toMatch(/^invalid UTF-8/);
    expect(reasons[4]).toBe("empty track");
    // Every line is accounted for: 9 data lines = 3 imported + 6 rejected.
    expect(file.imported + file.duplicates + file.rejected.count).toBe(9);
    expect(await fresh.store.scalar("SELECT count(*) FROM imports WHERE rejected = 6")).toBe(1);
  });

  it("listenbrainz JSON lines: invalid JSON, unparseable listened_at, empty artist", async () => {
    const summary = await importPaths(fresh.store, [fixture("listenbrainz-bad-rows.jsonl")]);
    expect(summary.imported).toBe(2);
    expect(summary.files[0].rejected).toEqual({
      count: 3,
      examples: [
        { line: 2, reason: "invalid JSON" },
        { line: 3, reason: 'unparseable date "yesterday"' },
        { line: 4, reason: "empty artist" },
      ],
    });
  });

  it("line numbers stay right after lines the reader refused", async () => {
    const rows = ["user_1\t2009-05-04T23:08:57Z\t\tA\t\tx"];
    rows.push("user_1\tbroken line");
    // 0x81 is UTF-8 in no position and Windows-1252 leaves it undefined: bytes of no plausible encoding.
    rows.push(Buffer.from("user_1\t2009-05-04T23:00:00Z\t\t\x81\t\ty", "latin1").toString("latin1"));
    rows.push("user_1\tnot-a-time\t\tA\t\ty");
    rows.push("user_1\t2009-05-04T22:00:00Z\t\t\t\tz");
    const file = write("bad.tsv", Buffer.from(`${rows.join("\n")}\n`, "latin1"));
    const summary = await importPaths(fresh.store, [file], { format: "lfm1k" });
    expect(summary.files[0].rejected.count).toBe(4);
    expect(summary.files[0].rejected.examples.map((e) => [e.line, e.reason.split(":")[0]])).toEqual([
      [2, "wrong column count"],
      [3, "invalid UTF-8"],
      [4, 'unparseable date "not-a-time"'],
      [5, "empty artist"],
    ]);
  });

  it("reports the first few examples and the total", async () => {
    const lines = [",Username,Artist,Track,Album,Date,Time"];
    for (let i = 0; i < 40; i++) lines.push(`${i},u,${i % 2 ? "A" : ""},T${i},,31 Jan 2021, 10:${String(i).padStart(2, "0")}`);
    const summary = await importPaths(fresh.store, [write("many.csv", lines.join("\n"))]);
    expect(summary.files[0].rejected.count).toBe(20);
    expect(summary.files[0].rejected.examples.map((e) => e.line)).toEqual([2, 4, 6, 8, 10]);
    expect(summary.imported).toBe(20);
  });
});

describe("Last.fm-360K bad rows", () => {
  it("are counted with their line numbers, reader refusals included; rows of one user and artist are one event", async () => {
    const user = "000063d3fe1cf2ba248b9e3c3f0334845a27a6be";
    const rows = [
      `${user}\tmbid\tradiohead\t120`,
      `${user}\tmbid\t\t5`,
      `${user}\tmbid\tkeane\tmany`,
      `${user}\tmbid\tkeane`,
      `\tmbid\tkeane\t3`,
      `${user}\tmbid\tmuse\t0`,
      `${user}\t\tRadiohead \t80`,
      `${user}\tmbid\tmuse\t9`,
    ];
    const summary = await importPaths(fresh.store, [write("plays.tsv", `${rows.join("\n")}\n`)], { format: "lfm360k" });
    expect(summary.files[0].rejected.count).toBe(5);
    expect(summary.files[0].rejected.examples.map((e) => [e.line, e.reason.split(":")[0]])).toEqual([
      [2, "empty artist"],
      [3, "unparseable value"],
      [4, "wrong column count"],
      [5, "empty user"],
      [6, "play count must be positive"],
    ]);
    expect(summary.files[0]).toMatchObject({ imported: 2, duplicates: 1, users: 1, items: 2 });
    expect(await fresh.store.all("SELECT a.name, e.plays FROM events e JOIN items USING (item_id) JOIN artists a USING (artist_id) ORDER BY 1")).toEqual([
      { name: "Radiohead", plays: 120 },
      { name: "muse", plays: 9 },
    ]);
  });
});

describe("HetRec bad rows", () => {
  it("are reported with the file name and line number", async () => {
    const folder = path.join(fresh.dir, "hetrec");
    fs.mkdirSync(folder);
    for (const name of fs.readdirSync(fixture("hetrec-mini"))) fs.copyFileSync(path.join(fixture("hetrec-mini"), name), path.join(folder, name));
    fs.appendFileSync(path.join(folder, "user_artists.dat"), "5\t42\t10\n5\t1\tmany\n5\t1\t0\n");
    const summary = await importPaths(fresh.store, [folder]);
    expect(summary.imported).toBe(5);
    expect(summary.files[0].rejected).toEqual({
      count: 3,
      examples: [
        { line: 7, reason: "user_artists.dat: unknown artist id 42" },
        { line: 8, reason: expect.stringMatching(/^user_artists\.dat: unparseable value: .*"many"/) },
        { line: 9, reason: "user_artists.dat: play count must be positive" },
      ],
    });
  });
});

describe("structural errors name the file and leave the store unchanged", () => {
  /** Imports a good file, then [another good file, ...paths] which must fail and change nothing. */
  async function expectUnchanged(paths: string[], message: RegExp, options: Parameters<typeof importPaths>[2] = {}, good = fixture("lfm1k.tsv")) {
    await importPaths(fresh.store, [fixture("kaggle.csv")]);
    const before = await snapshot(fresh.store);
    const attempt = importPaths(fresh.store, [good, ...paths], options);
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(message);
    expect(await snapshot(fresh.store)).toBe(before);
    // The store still works after the rollback.
    expect((await importPaths(fresh.store, [good], options)).imported).toBeGreaterThan(0);
  }

  it("unknown format", async () => {
    const file = write("notes.txt", "just some notes\nnothing musical\n");
    await expectUnchanged([file], /notes\.txt: unknown format/);
  });

  it("missing required column", async () => {
    const file = write("no-date.csv", ",Username,Artist,Track,Album,Time\n0,u,A,T,B, 10:00\n");
    await expectUnchanged([file], /no-date\.csv: missing required column date/, { format: "kaggle" }, fixture("kaggle-bad-rows.csv"));
  });

  it("missing time column in a Last.fm export", async () => {
    const file = write("export.csv", "artist,album,track\nA,B,C\n");
    await expectUnchanged([file], /export\.csv: missing required time column/, { format: "lastfm-export" }, fixture("lastfm-export-uts.csv"));
  });

  it("unreadable (missing) file", async () => {
    await expectUnchanged([path.join(fresh.dir, "nope.csv")], /cannot read .*nope\.csv: ENOENT/);
  });

  it("empty file", async () => {
    await expectUnchanged([write("empty.csv", "")], /empty\.csv: the file is empty/);
  });

  it("malformed JSON array", async () => {
    const file = write("broken.json", '[{"listened_at": 1, "track_metadata": {"artist_name": "A", "track_name": "B"}},\n {"listened_at": 2, "track_');
    await expectUnchanged([file], /broken\.json: cannot be read as listenbrainz/);
  });

  it("a HetRec folder with a wrong header, after another file already imported in the same call", async () => {
    const folder = path.join(fresh.dir, "hetrec");
    fs.mkdirSync(folder);
    for (const name of fs.readdirSync(fixture("hetrec-mini"))) fs.copyFileSync(path.join(fixture("hetrec-mini"), name), path.join(folder, name));
    fs.writeFileSync(path.join(folder, "user_artists.dat"), "userID\tartistID\n2\t1\n");
    await expectUnchanged([folder], /user_artists\.dat: expected columns userID, artistID, weight/);
    expect((await tableCounts(fresh.store)).users).toBe(2 + 2);
  });

  it("an unknown --format is refused before anything is read", async () => {
    const { parseFormatName } = await import("../../src/ingest/formats.js");
    expect(() => parseFormatName("mp3")).toThrow(/unknown format "mp3"/);
  });
});

describe("overlapping exports", () => {
  it("dedupe on user + item + timestamp", async () => {
    await importPaths(fresh.store, [fixture("lfm1k.tsv")]);
    const lines = fs.readFileSync(fixture("lfm1k.tsv"), "utf8").trim().split("\n");
    const overlap = write("overlap.tsv", `${lines[0]}\n${lines[1].toUpperCase().replace("USER_000001", "user_000001").replace("Z\t", "Z\t")}\nuser_000001\t2009-05-05T10:00:00Z\t\tdeep  dish\t\tNew One\n`);
    const summary = await importPaths(fresh.store, [overlap], { format: "lfm1k" });
    // line 1 is the same scrobble; line 2 differs only in case (same item, same time); line 3 is new.
    expect(summary.files[0]).toMatchObject({ imported: 1, duplicates: 2 });
    expect(await fresh.store.scalar("SELECT count(*) FROM artists WHERE key = 'deep dish'")).toBe(1);
  });

  it("the same export twice in one command counts the second as duplicates", async () => {
    const summary = await importPaths(fresh.store, [fixture("lastfm-export-uts.csv"), fixture("lastfm-export-uts.csv")]);
    expect(summary.files.map((file) => [file.imported, file.duplicates])).toEqual([
      [3, 0],
      [0, 3],
    ]);
  });
});

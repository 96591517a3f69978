import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../../src/ingest/detect.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { readHistoryFile } from "../../src/ingest/read-history.js";
import { UserError } from "../../src/util/errors.js";
import { makeZip } from "../zip-fixture.js";
import { fixture, freshStorePerTest, openMemoryStore, snapshot } from "./helpers.js";

const fresh = freshStorePerTest();
const write = fresh.write;

/** (user, artist, track, album, ISO time or "undated", plays) of every stored event. */
async function events(): Promise<string[]> {
  const rows = await fresh.store.all(`
    SELECT u.name AS user, a.name AS artist, i.track, i.album,
      coalesce(strftime(e.played_at, '%Y-%m-%dT%H:%M:%S'), 'undated') AS at, e.plays
    FROM events e JOIN users u USING (user_id) JOIN items i USING (item_id) JOIN artists a USING (artist_id)
    ORDER BY e.played_at NULLS LAST, u.name, i.key`);
  return rows.map((r) => [r.user, r.artist, r.track, r.album ?? "", r.at, r.plays].join(" | "));
}

describe("detection of every export shape", () => {
  it.each([
    ["lastfm-export-meaning.csv", "lastfm-export"],
    ["librefm.csv", "librefm"],
    ["librefm-no-album.csv", "librefm"],
    ["maloja.json", "maloja"],
    ["panoscrobbler.jsonl", "panoscrobbler"],
    ["lfm1k-header.tsv", "lfm1k"],
    ["endsong_0.json", "spotify"],
    ["listenbrainz-submission.json", "listenbrainz"],
    ["listenbrainz-dump.listens", "listenbrainz"],
  ])("%s is %s", (file, format) => {
    expect(detectFormat(fixture(file))).toBe(format);
  });

  it("the unknown-file error lists what was tried", () => {
    const text = write("notes.txt", "just some notes\nnothing musical\n");
    expect(() => detectFormat(text)).toThrow(/notes\.txt: unknown format \(read as UTF-8, comma-separated; first line: "just some notes"\); tried kaggle .*lastfm-export \/ librefm .*lfm1k/);
    const json = write("other.json", '{"hello": "world"}\n');
    expect(() => detectFormat(json)).toThrow(/other\.json: unknown JSON format; tried lastfm-api .*listenbrainz-api .*listenbrainz \(.*spotify .*maloja .*panoscrobbler .*listenbrainz-feedback/);
    const binary = write("image.csv", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]));
    expect(() => detectFormat(binary)).toThrow(/image\.csv: not a text file/);
  });
});

describe("Last.fm CSV exports whose headers differ", () => {
  it("finds the columns by meaning and imports timestamp-0 scrobbles as undated plays", async () => {
    const summary = await importPaths(fresh.store, [fixture("lastfm-export-meaning.csv")], { user: "rj" });
    expect(summary.files[0]).toMatchObject({ format: "lastfm-export", imported: 5, duplicates: 0, undated: 3 });
    expect(summary.files[0].rejected.count).toBe(0);
    expect(await events()).toEqual([
      "rj | Radiohead | Airbag | OK Computer | 2021-01-31T23:06:40 | 1",
      "rj | Radiohead | Paranoid Android | OK Computer | 2021-01-31T23:11:40 | 1",
      "rj | Björk | Bachelorette | Homogenic | undated | 1",
      "rj | Björk | Jóga | Homogenic | undated | 2",
    ]);
  });

  it.each([
    ["artist;album;track;uts", "Air;Moon Safari;Talisman;1612136000"],
    ["Artist Name\tTrack Name\tAlbum Name\tTimestamp", "Air\tTalisman\tMoon Safari\t1612136000"],
    ['"Song","Artist","Album","Played At"', '"Talisman","Air","Moon Safari","2021-01-31T23:33:20Z"'],
    ["creator,title,release,listened_at", "Air,Talisman,Moon Safari,1612136000"],
  ])("header %s", async (header, row) => {
    const summary = await importPaths(fresh.store, [write("export.csv", `${header}\n${row}\n`)], { user: "x" });
    expect(summary.files[0].rejected.count).toBe(0);
    expect(await events()).toEqual(["x | Air | Talisman | Moon Safari | 2021-01-31T23:33:20 | 1"]);
  });
});

describe("undated plays", () => {
  it("are counted, stored without a date, never duplicated by a re-import or an overlapping export", async () => {
    const first = await importPaths(fresh.store, [fixture("lastfm-export-meaning.csv")], { user: "rj" });
    expect(first.undated).toBe(3);
    const again = await importPaths(fresh.store, [fixture("lastfm-export-meaning.csv")], { user: "rj" });
    expect(again.files[0]).toMatchObject({ imported: 0, duplicates: 5 });
    // A later export of the same account: one more undated Jóga and one new dated scrobble.
    const later = write(
      "later.csv",
      "artist,album,song_title,date_time\nRadiohead,OK Computer,Airbag,2021-01-31 23:06:40\nBjörk,Homogenic,Jóga,0\nBjörk,Homogenic,Jóga,0\nBjörk,Homogenic,Jóga,0\nAir,Moon Safari,Talisman,2021-02-01 10:00:00\n",
    );
    const overlap = await importPaths(fresh.store, [later], { user: "rj" });
    expect(overlap.files[0]).toMatchObject({ imported: 2, duplicates: 3, undated: 3 });
    expect((await events()).filter((line) => line.includes("undated"))).toEqual([
      "rj | Björk | Bachelorette | Homogenic | undated | 1",
      "rj | Björk | Jóga | Homogenic | undated | 3",
    ]);
  });

  it("reach the models but not the time split", async () => {
    await importPaths(fresh.store, [fixture("lastfm-export-meaning.csv")], { user: "rj" });
    const { loadInteractions, timeCutoff } = await import("../../src/store/load-interactions.js");
    const all = await loadInteractions(fresh.store);
    expect(Array.from(all.plays).reduce((a, b) => a + b, 0)).toBe(5);
    const cutoff = await timeCutoff(fresh.store, 0.5);
    const windowed = await loadInteractions(fresh.store, { to: new Date(8.64e15) });
    expect(Array.from(windowed.plays).reduce((a, b) => a + b, 0)).toBe(2);
    expect(cutoff.getUTCFullYear()).toBe(2021);
  });
});

describe("Libre.fm", () => {
  it("skips the UTF-7 comment lines and reads Artist,Track,Album,Time in Unix seconds", async () => {
    const summary = await importPaths(fresh.store, [fixture("librefm.csv")], { user: "erin" });
    expect(summary.files[0]).toMatchObject({ format: "librefm", imported: 3 });
    expect(summary.files[0].rejected.count).toBe(0);
    expect(await events()).toEqual([
      "erin | Sigur Rós | Hoppípolla | Takk... | 2021-01-31T23:16:40 | 1",
      "erin | Florence + the Machine | Dog Days Are Over | Lungs | 2021-01-31T23:21:40 | 1",
      "erin | Air | Sexy Boy | Moon Safari | 2021-01-31T23:26:40 | 1",
    ]);
  });

  it("reads the form without Album after '#' comments, and reports bad rows by their line", async () => {
    const summary = await importPaths(fresh.store, [fixture("librefm-no-album.csv")]);
    expect(summary.files[0]).toMatchObject({ imported: 2, users: 1 });
    expect(await fresh.store.all("SELECT name FROM users")).toEqual([{ name: "librefm-no-album" }]);
    const bad = write("bad-librefm.csv", "+ACM- comment\nArtist,Track,Time\nAir,Talisman,1612136000\nAir,,1612136300\nAir,Remember,soon\n");
    const report = await importPaths(fresh.store, [bad], { format: "librefm", user: "u" });
    expect(report.files[0].rejected.examples).toEqual([
      { line: 4, reason: "empty track" },
      { line: 5, reason: 'unparseable date "soon"' },
    ]);
  });
});

describe("Maloja, Pano Scrobbler, Last.fm-1K with a header, Spotify endsong", () => {
  it("Maloja: artists joined, albumtitle or name, null album, numbered scrobbles", async () => {
    const summary = await importPaths(fresh.store, [fixture("maloja.json")], { user: "mo" });
    expect(summary.files[0]).toMatchObject({ format: "maloja", imported: 3 });
    expect(summary.files[0].rejected).toEqual({ count: 1, examples: [{ line: 4, reason: "empty artist" }] });
    expect(await events()).toEqual([
      "mo | Daft Punk, Pharrell Williams | Get Lucky | Random Access Memories | 2021-01-31T23:16:40 | 1",
      "mo | Daft Punk | Instant Crush | Random Access Memories | 2021-01-31T23:23:20 | 1",
      "mo | Air | La femme d'argent |  | 2021-01-31T23:30:00 | 1",
    ]);
  });

  it("Pano Scrobbler: timeMs, entries without a track skipped", async () => {
    const summary = await importPaths(fresh.store, [fixture("panoscrobbler.jsonl")], { user: "pano" });
    expect(summary.files[0]).toMatchObject({ format: "panoscrobbler", imported: 3, skipped: { "no track (not a play)": 1 } });
    expect((await events())[2]).toBe("pano | Ólafur Arnalds | Saman |  | 2021-01-31T23:36:40 | 1");
  });

  it("Last.fm-1K with a header line", async () => {
    const summary = await importPaths(fresh.store, [fixture("lfm1k-header.tsv")]);
    expect(summary.files[0]).toMatchObject({ format: "lfm1k", imported: 2, users: 2 });
    expect(summary.files[0].rejected.count).toBe(0);
  });

  it("Spotify endsong with an empty username: the file name, or --user", async () => {
    const summary = await importPaths(fresh.store, [fixture("endsong_0.json")]);
    expect(summary.files[0]).toMatchObject({ imported: 2, skipped: { "skip (played under 30 s)": 1 } });
    expect(summary.files[0].rejected.count).toBe(0);
    expect(await fresh.store.all("SELECT name FROM users")).toEqual([{ name: "endsong_0" }]);
    const other = await openMemoryStore();
    await importPaths(other, [fixture("endsong_0.json")], { user: "sam" });
    expect(await other.all("SELECT name FROM users")).toEqual([{ name: "sam" }]);
    other.close();
  });
});

describe("ListenBrainz shapes", () => {
  it("a listen submission saved to a file", async () => {
    const summary = await importPaths(fresh.store, [fixture("listenbrainz-submission.json")], { user: "lb" });
    expect(summary.files[0]).toMatchObject({ format: "listenbrainz", imported: 2 });
    expect(await events()).toEqual([
      "lb | Dool | Vantablack | Here Now, There Then | 2021-01-31T23:16:40 | 1",
      "lb | Dool | Oweynagat |  | 2021-01-31T23:23:20 | 1",
    ]);
  });

  it("the public data dump: timestamp and user_name per row, many listeners; --user picks one", async () => {
    const summary = await importPaths(fresh.store, [fixture("listenbrainz-dump.listens")]);
    expect(summary.files[0]).toMatchObject({ imported: 4, users: 3 });
    expect(await fresh.store.all("SELECT name FROM users ORDER BY name")).toEqual([{ name: "amy" }, { name: "kim" }, { name: "rob" }]);
    const one = await openMemoryStore();
    const picked = await importPaths(one, [fixture("listenbrainz-dump.listens")], { user: "rob" });
    expect(picked.files[0]).toMatchObject({ imported: 2, skipped: { "other user than --user": 2 } });
    await expect(importPaths(one, [fixture("listenbrainz-dump.listens")], { user: "zoe" })).rejects.toThrow(
      /--user zoe is not one of its 3 listeners \(amy, kim, rob\)/,
    );
    one.close();
  });

  function exportZip(name = "listenbrainz_lou_1700000000.zip"): string {
    const listen = (at: number, artist: string, track: string, msid: string, mbid: string | null) =>
      JSON.stringify({
        listened_at: at,
        inserted_at: at + 5,
        track_metadata: {
          artist_name: artist,
          track_name: track,
          release_name: "Dummy",
          additional_info: {},
          recording_msid: msid,
          mbid_mapping: mbid ? { recording_mbid: mbid, recording_name: track, artists: [] } : null,
        },
      });
    return makeZip(fresh.dir, name, {
      "user.json": '{"user_id": 42, "username": "lou"}\n',
      "listens/2021/1.jsonl": `${listen(1612135000.0, "Portishead", "Roads", "msid-1", "mbid-1")}\n${listen(1612135400, "Portishead", "Glory Box", "msid-2", null)}\n`,
      "listens/2021/2.jsonl": `${listen(1612200000, "Portishead", "Sour Times", "msid-3", "mbid-3")}\n`,
      "feedback.jsonl":
        '{"recording_msid": "msid-1", "recording_mbid": "mbid-1", "score": 1, "created": 1612136000}\n' +
        '{"recording_msid": null, "recording_mbid": "mbid-3", "score": -1, "created": 1612300000}\n' +
        '{"recording_msid": "msid-unknown", "recording_mbid": null, "score": 1, "created": 1612400000}\n' +
        '{"recording_msid": "msid-2", "recording_mbid": null, "score": 0, "created": 1612500000}\n' +
        '{"recording_msid": "msid-2", "recording_mbid": null, "score": 7, "created": 1612500000}\n',
      "pinned_recording.jsonl": '{"recording_msid": "msid-1", "blurb_content": "hi", "created": 1612136000}\n',
    });
  }

  it("the account export zip: listens under user.json's account, feedback into the feedback table", async () => {
    const zip = exportZip();
    const summary = await importPaths(fresh.store, [zip]);
    expect(summary.files.map((file) => [file.source.slice(zip.length), file.format, file.imported])).toEqual([
      ["/listens/2021/1.jsonl", "listenbrainz", 2],
      ["/listens/2021/2.jsonl", "listenbrainz", 1],
      ["/feedback.jsonl", "listenbrainz-feedback", 3],
    ]);
    const feedback = summary.files[2];
    expect(feedback.skipped).toEqual({ "feedback removed (score 0)": 1 });
    expect(feedback.rejected).toEqual({ count: 1, examples: [{ line: 5, reason: "score must be 1 (loved) or -1 (hated), got 7" }] });
    expect(await fresh.store.all("SELECT name FROM users")).toEqual([{ name: "lou" }]);
    expect(
      await fresh.store.all(
        "SELECT u.name, f.score, f.target, f.item_key, f.artist_key, f.recording_mbid, f.recording_msid, f.source, strftime(f.created_at, '%Y-%m-%d') AS day FROM feedback f JOIN users u USING (user_id) ORDER BY f.created_at",
      ),
    ).toEqual([
      { name: "lou", score: 1, target: "track", item_key: "portishead\u001froads", artist_key: "portishead", recording_mbid: "mbid-1", recording_msid: "msid-1", source: "listenbrainz", day: "2021-01-31" },
      { name: "lou", score: -1, target: "track", item_key: "portishead\u001fsour times", artist_key: "portishead", recording_mbid: "mbid-3", recording_msid: null, source: "listenbrainz", day: "2021-02-02" },
      { name: "lou", score: 1, target: "track", item_key: null, artist_key: null, recording_mbid: null, recording_msid: "msid-unknown", source: "listenbrainz", day: "2021-02-04" },
    ]);
    // Re-importing the export adds nothing, feedback included (only the imports log grows).
    const stored = async () => (await snapshot(fresh.store)).split("\n").filter((table) => !table.startsWith("imports:"));
    const before = await stored();
    const again = await importPaths(fresh.store, [zip]);
    expect(again.imported).toBe(0);
    expect(again.duplicates).toBe(6);
    expect(await stored()).toEqual(before);
  });

  it("the unpacked export folder reads the same, and --user renames the account", async () => {
    const folder = path.join(fresh.dir, "unpacked");
    const { extractZip } = await import("../../src/util/zip.js");
    await extractZip(exportZip(), folder);
    const summary = await importPaths(fresh.store, [folder], { user: "louise" });
    expect(summary.imported).toBe(6);
    expect(await fresh.store.all("SELECT name FROM users")).toEqual([{ name: "louise" }]);
  });

  it("a failed import after an export leaves listens and feedback as they were", async () => {
    await importPaths(fresh.store, [exportZip()]);
    const before = await snapshot(fresh.store);
    const garbage = write("garbage.csv", `artist,track,date\n${"a,b,c\n".repeat(20)}`);
    await expect(importPaths(fresh.store, [exportZip("second.zip"), garbage], { user: "other" })).rejects.toThrow(/garbage\.csv: does not look like/);
    expect(await snapshot(fresh.store)).toBe(before);
  });

  it("a zip that is no ListenBrainz export is refused and changes nothing", async () => {
    await importPaths(fresh.store, [fixture("kaggle.csv")]);
    const before = await snapshot(fresh.store);
    const zip = makeZip(fresh.dir, "photos.zip", { "a.jpg": "x" });
    await expect(importPaths(fresh.store, [fixture("lfm1k.tsv"), zip])).rejects.toThrow(/photos\.zip: not a ListenBrainz export/);
    expect(await snapshot(fresh.store)).toBe(before);
  });

  it("uploads read the zip's listens", async () => {
    const history = await readHistoryFile(exportZip());
    expect(history.users).toEqual(["lou"]);
    expect(history.rows.map((row) => row.track).sort()).toEqual(["Glory Box", "Roads", "Sour Times"]);
  });
});

describe("re-importing", () => {
  it("every new export shape twice adds nothing the second time", async () => {
    const files = [
      "lastfm-export-meaning.csv",
      "librefm.csv",
      "librefm-no-album.csv",
      "maloja.json",
      "panoscrobbler.jsonl",
      "lfm1k-header.tsv",
      "endsong_0.json",
      "listenbrainz-submission.json",
      "listenbrainz-dump.listens",
    ].map(fixture);
    const first = await importPaths(fresh.store, files);
    expect(first.imported).toBeGreaterThan(20);
    const stored = await fresh.store.scalar("SELECT sum(plays) FROM events");
    const second = await importPaths(fresh.store, files);
    expect(second.imported).toBe(0);
    expect(second.duplicates).toBe(first.imported + first.duplicates);
    expect(await fresh.store.scalar("SELECT sum(plays) FROM events")).toBe(stored);
  });
});

describe("files re-saved by spreadsheets and old Windows tools", () => {
  const csv = "artist,album,track,uts\nBjörk,Homogenic,Jóga,1612136000\nSigur Rós,Takk…,Hoppípolla,1612136300\n";
  const expected = ["u | Björk | Jóga | Homogenic | 2021-01-31T23:33:20 | 1", "u | Sigur Rós | Hoppípolla | Takk… | 2021-01-31T23:38:20 | 1"];

  it.each([
    // "…" is 0x85 in Windows-1252 (a control character in ISO-8859-1).
    ["Windows-1252", () => Buffer.from(csv.replace("…", "\x85"), "latin1")],
    ["UTF-16LE", () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, "utf16le")])],
    ["UTF-16BE", () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(csv, "utf16le").swap16()])],
  ])("%s is detected, decoded and reported", async (encoding, bytes) => {
    const summary = await importPaths(fresh.store, [write(`${encoding}.csv`, bytes())], { user: "u" });
    expect(summary.files[0].encoding).toMatch(new RegExp(`^${encoding}`));
    expect(summary.files[0].rejected.count).toBe(0);
    expect(await events()).toEqual(expected);
  });

  it("';' as the delimiter, Windows line ends", async () => {
    await importPaths(fresh.store, [write("semi.csv", csv.replaceAll(",", ";").replaceAll("\n", "\r\n"))], { user: "u" });
    expect(await events()).toEqual(expected);
  });

  it("a Windows-1252 accent far down a file whose start is plain ASCII", async () => {
    const lines = ["artist,album,track,uts"];
    for (let i = 0; i < 4000; i++) lines.push(`Air,Moon Safari,Track ${i},${1612000000 + i * 60}`);
    const body = Buffer.concat([Buffer.from(`${lines.join("\n")}\n`), Buffer.from("Bj\xf6rk,Homogenic,J\xf3ga,1613000000\n", "latin1")]);
    const summary = await importPaths(fresh.store, [write("late-accent.csv", body)], { user: "u" });
    expect(summary.files[0]).toMatchObject({ imported: 4001, encoding: "Windows-1252 (Latin-1)" });
    expect(await fresh.store.scalar("SELECT count(*) FROM artists WHERE name = 'Björk'")).toBe(1);
  });

  it("a UTF-8 file with one broken line keeps UTF-8 and rejects only that line", async () => {
    const body = Buffer.concat([Buffer.from(csv), Buffer.from("Caf\xe9 Tacvba,Cuatro,Eres,1612137000\n", "latin1")]);
    const summary = await importPaths(fresh.store, [write("mixed.csv", body)], { user: "u" });
    expect(summary.files[0].encoding).toBeUndefined();
    expect(summary.files[0].rejected.examples).toEqual([{ line: 4, reason: expect.stringMatching(/^invalid UTF-8/) }]);
  });
});

describe("garbage that only looks like a listening history", () => {
  it("five bare words per line: refused, nothing stored", async () => {
    await importPaths(fresh.store, [fixture("kaggle.csv")]);
    const before = await snapshot(fresh.store);
    const words = Array.from({ length: 50 }, (_, i) => `alpha beta gamma delta ${i}`).join("\n");
    await expect(importPaths(fresh.store, [write("words.csv", words)])).rejects.toThrow(/words\.csv: unknown format/);
    expect(await snapshot(fresh.store)).toBe(before);
  });

  it("comma-separated words under a plausible header: refused as a whole, nothing stored", async () => {
    await importPaths(fresh.store, [fixture("kaggle.csv")]);
    const before = await snapshot(fresh.store);
    const lines = ["artist,track,album,date,comment"];
    for (let i = 0; i < 50; i++) lines.push(`alpha,beta,gamma,delta,epsilon ${i}`);
    const attempt = importPaths(fresh.store, [fixture("lfm1k.tsv"), write("garbage.csv", lines.join("\n"))]);
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(/garbage\.csv: does not look like a lastfm-export file: 50 of 50 records could not be read \(50 rejected rows \(line 2: unparseable date "delta"/);
    expect(await snapshot(fresh.store)).toBe(before);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCommand } from "../run-command.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerLibrary } from "../../src/cli/commands/library.js";
import { registerPlaylist } from "../../src/cli/commands/playlist.js";
import { registerRadio } from "../../src/cli/commands/radio.js";
import { registerRecommend } from "../../src/cli/commands/recommend.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { generateDataset } from "../../src/ingest/generate/generate.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { Store } from "../../src/store/store.js";
import { writeAudio } from "./audio-fixtures.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-library-cli-"));
const db = path.join(scratch, "store.duckdb");
const music = path.join(scratch, "Music");
const HOSTILE_USER = "../evil/Ünï cødé?";
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const run = (...args: string[]) => runCommand(db, [registerTrain, registerRecommend, registerLibrary, registerPlaylist, registerRadio], args);

/** The library: files for 12 of the catalogue's most played tracks, spelled as taggers do. */
let owned: { artist: string; track: string }[] = [];
let user = "";

beforeAll(async () => {
  const file = path.join(scratch, "listens.csv");
  await generateDataset({ output: file, format: "kaggle", users: 30, scrobbles: 6000, seed: 5 });
  const hostile = path.join(scratch, "hostile.csv");
  writeFileSync(hostile, `,Username,Artist,Track,Album,Date,Time\n0,"${HOSTILE_USER}",Somebody,Something,,31 Jan 2021, 23:36\n`);
  const store = await Store.open(db);
  try {
    await importPaths(store, [file, hostile]);
    const rows = await store.all(
      `SELECT a.name AS artist, i.track FROM events e JOIN items i USING (item_id) JOIN artists a USING (artist_id)
       GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 12`,
    );
    owned = rows.map((r) => ({ artist: String(r.artist), track: String(r.track) }));
    user = String((await store.all("SELECT u.name FROM users u JOIN events e USING (user_id) WHERE u.name NOT LIKE '../%' GROUP BY 1 ORDER BY count(*), 1 LIMIT 1"))[0].name);
  } finally {
    store.close();
  }
  mkdirSync(music, { recursive: true });
  owned.forEach(({ artist, track }, i) => {
    const title = i % 3 === 0 ? `${track} - Remastered 2011` : i % 3 === 1 ? `${track.toUpperCase()} (Live)` : track;
    const recordingMbid = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    writeAudio(path.join(music, `${String(i).padStart(2, "0")}.${["mp3", "flac", "ogg"][i % 3]}`), { artist, title, recordingMbid, seconds: 200 + i });
  });
  writeAudio(path.join(music, "stranger.mp3"), { artist: "Not In The Catalogue", title: "At All" });
  await run("train", "--models", "popularity,als", "--factors", "4", "--iterations", "2", "--min-user-items", "1", "--min-item-users", "1");
}, 120_000);

describe("library and playlist commands", () => {
  it("library scan prints counts and the match rate; library status shows it again", async () => {
    const out = await run("library", "scan", music);
    expect(out).toContain(`${music}: 13 audio files (13 new, 0 changed, 0 unchanged; 0 removed)`);
    expect(out).toContain("match rate: 12 of 13 tagged files (92.3%) match a catalogue item (0 by MusicBrainz id, 12 by artist and title)");
    const status = JSON.parse(await run("library", "status", "--json"));
    expect(status).toMatchObject({ files: 13, unreadable: 0, untagged: 0, match: { tagged: 13, matched: 12, byName: 12 }, unmatched: ["Not In The Catalogue - At All"] });
    expect(await run("library", "scan", music)).toContain("(0 new, 0 changed, 13 unchanged; 0 removed)");
  });

  it("recommend --library-only recommends only owned tracks", async () => {
    const ownedLabels = new Set(owned.map((o) => `${o.artist} – ${o.track}`));
    const all = JSON.parse(await run("recommend", "--user", user, "--model", "popularity", "-k", "20", "--json"));
    expect(all.recommendations.some((r: { item: string }) => !ownedLabels.has(r.item))).toBe(true);
    const mine = JSON.parse(await run("recommend", "--user", user, "--model", "popularity", "-k", "20", "--library-only", "--json"));
    expect(mine.recommendations.length).toBeGreaterThan(0);
    for (const r of mine.recommendations) expect(ownedLabels.has(r.item)).toBe(true);
  });

  it("playlist writes M3U8 of existing files (absolute or relative), XSPF and JSPF with the tags' MusicBrainz ids", async () => {
    const m3u8 = path.join(scratch, "out", `${user}.m3u8`);
    const summary = await run("playlist", "--user", user, "--model", "als", "-k", "30", "-o", m3u8);
    expect(summary).toMatch(new RegExp(`^m3u8: \\d+ tracks for ${user} in .*${user}\\.m3u8; \\d+ left out \\(not in the local library\\)\\n$`));
    const lines = readFileSync(m3u8, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("#EXTM3U");
    expect(lines[1]).toMatch(new RegExp(`^#PLAYLIST:musicrec discovery for ${user} \\(als, \\d{4}-\\d{2}-\\d{2}\\)$`));
    const entries = lines.filter((l) => !l.startsWith("#"));
    for (const entry of entries) expect(existsSync(entry)).toBe(true);
    expect(lines.filter((l) => /^#EXTINF:\d+,.+ - .+$/.test(l)).length).toBe(entries.length);

    const mine = path.join(scratch, "out", "mine.m3u8");
    const libraryOnly = JSON.parse(await run("playlist", "--user", user, "--library-only", "--relative-paths", "-k", "5", "-o", mine, "--json"));
    expect(libraryOnly).toMatchObject({ format: "m3u8", leftOut: 0 });
    expect(libraryOnly.tracks).toBeGreaterThan(0);
    const relative = readFileSync(mine, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    for (const entry of relative) {
      expect(path.isAbsolute(entry)).toBe(false);
      expect(existsSync(path.resolve(path.dirname(mine), entry))).toBe(true);
    }

    const jspf = JSON.parse(await run("playlist", "--user", user, "--library-only", "-k", "5", "--format", "jspf"));
    expect(jspf.playlist.track.length).toBe(libraryOnly.tracks);
    for (const t of jspf.playlist.track) expect(t.identifier).toMatch(/^https:\/\/musicbrainz\.org\/recording\/00000000-0000-4000-8000-\d{12}$/);
    const xspf = await run("playlist", "--user", user, "-k", "10", "--format", "xspf");
    expect(xspf).toContain("<trackList>");
    expect(xspf.match(/<track>/g)).toHaveLength(10);
  });

  it("--all-users writes one playlist per user with safe file names", async () => {
    const dir = path.join(scratch, "weekly");
    const summary = JSON.parse(await run("playlist", "--all-users", "--out-dir", dir, "--format", "xspf", "-k", "5", "--json"));
    expect(summary.playlists).toBe(31);
    const names = readdirSync(dir);
    expect(names).toHaveLength(31);
    expect(names.every((n) => /^[A-Za-z0-9][A-Za-z0-9._-]*\.xspf$/.test(n))).toBe(true);
    const hostile = summary.files.find((f: { user: string }) => f.user === HOSTILE_USER);
    expect(path.dirname(hostile.file)).toBe(dir);
    expect(readFileSync(hostile.file, "utf8")).toContain("Ünï cødé?");
  });

  it("playlist --radio writes the radio's mix in its order; --library-only keeps to owned files", async () => {
    const seed = `${owned[0].artist} - ${owned[0].track}`;
    const radio = JSON.parse(await run("radio", "--seed", seed, "--model", "als", "-k", "10", "--json"));
    expect(radio.radio).toHaveLength(10);
    const xspf = await run("playlist", "--radio", seed, "--model", "als", "-k", "10", "--format", "xspf");
    expect(xspf).toMatch(/<title>musicrec radio: .+ \(als, \d{4}-\d{2}-\d{2}\)<\/title>/);
    const creators = [...xspf.matchAll(/<track>[\s\S]*?<creator>(.*?)<\/creator>/g)].map((m) => m[1]);
    expect(creators).toEqual(radio.radio.map((r: { artist: string }) => r.artist));

    const m3u8 = path.join(scratch, "out", "radio.m3u8");
    const summary = JSON.parse(await run("playlist", "--radio", owned[1].artist, "--user", user, "--library-only", "--model", "als", "-k", "5", "-o", m3u8, "--json"));
    expect(summary).toMatchObject({ user, radio: [owned[1].artist], format: "m3u8", leftOut: 0 });
    expect(summary.tracks).toBeGreaterThan(0);
    const entries = readFileSync(m3u8, "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(entries).toHaveLength(summary.tracks);
    for (const entry of entries) expect(existsSync(entry)).toBe(true);

    await expect(run("playlist", "--radio", seed, "--all-users", "--out-dir", scratch, "--format", "xspf")).rejects.toThrow("--radio writes one playlist: leave out --all-users");
    await expect(run("playlist", "--radio", "Nobody At All - Nothing", "--format", "xspf")).rejects.toThrow(/^unknown artist or track "Nobody At All - Nothing"/);
  });

  it("refuses unclear requests with one-line errors", async () => {
    await expect(run("playlist", "--user", user)).rejects.toThrow(/--format is needed/);
    await expect(run("playlist", "--user", user, "--format", "pls")).rejects.toThrow(/--format must be one of jspf, xspf, m3u8/);
    await expect(run("playlist", "--all-users", "--format", "jspf")).rejects.toThrow(/--all-users needs --out-dir/);
    await expect(run("playlist", "--format", "jspf")).rejects.toThrow(/--user NAME or --all-users/);
    await expect(run("library", "scan", path.join(scratch, "nowhere"))).rejects.toThrow(/is not a folder/);
  });
});

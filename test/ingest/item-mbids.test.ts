import { mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registerImport } from "../../src/cli/commands/import.js";
import { registerLibrary } from "../../src/cli/commands/library.js";
import { registerPlaylist } from "../../src/cli/commands/playlist.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { Store } from "../../src/store/store.js";
import { writeAudio } from "../library/audio-fixtures.js";
import { runCommand } from "../run-command.js";
import { makeZip } from "../zip-fixture.js";
import { fixture, freshStorePerTest, snapshot } from "./helpers.js";

const fresh = freshStorePerTest();

const ROADS = "0a9d8ad2-7c57-4d4e-9a5a-3e8a1b6f9e01";
const TEARDROP = "7d3e0b5c-52c3-4a8e-8c4e-1f2a3b4c5d02";
const GLORY_BOX = "c2b4e6f8-1a3c-4e5a-9b7c-2d4f6a8b0c03";
const PORTISHEAD = "8f6bd1e4-fbe1-45d6-8f00-f9f14d7b5e34";
const MASSIVE_ATTACK = "10adbe5e-a2c0-4bf3-8249-2b4cbf6e6ca8";

/** item_mbids as "artist - track | recording | artist" lines, sorted. */
async function stored(store: Store): Promise<string[]> {
  const rows = await store.all(
    `SELECT a.name AS artist, i.track, m.recording_mbid, m.artist_mbid
     FROM item_mbids m JOIN items i USING (item_id) JOIN artists a USING (artist_id) ORDER BY ALL`,
  );
  return rows.map((r) => `${r.artist}${r.track == null ? "" : ` - ${r.track}`} | ${r.recording_mbid ?? "-"} | ${r.artist_mbid ?? "-"}`);
}

const listen = (at: number, artist: string, track: string, metadata: Record<string, unknown> = {}, user?: string) =>
  JSON.stringify({ listened_at: at, ...(user && { user_name: user }), track_metadata: { artist_name: artist, track_name: track, ...metadata } });

/** A ListenBrainz account export of "lou": ids from the player (additional_info), from ListenBrainz's mapping, malformed, blank. */
function exportZip(dir: string): string {
  return makeZip(dir, "listenbrainz_lou_1700000000.zip", {
    "user.json": '{"user_id": 42, "username": "lou"}\n',
    "listens/2021/1.jsonl": [
      listen(1612135000, "Portishead", "Roads", { additional_info: { recording_mbid: ROADS.toUpperCase(), artist_mbids: [PORTISHEAD] } }),
      listen(1612135400, "Massive Attack", "Teardrop", {
        additional_info: { recording_mbid: "" },
        mbid_mapping: { recording_mbid: TEARDROP, artist_mbids: [MASSIVE_ATTACK, PORTISHEAD], recording_name: "Teardrop" },
      }),
      // Some clients send artist_mbids as one string.
      listen(1612135800, "Portishead", "Glory Box", { additional_info: { recording_mbid: ` ${GLORY_BOX} `, artist_mbids: PORTISHEAD } }),
      listen(1612136200, "Portishead", "Sour Times", { additional_info: { recording_mbid: "not-a-musicbrainz-id", artist_mbids: [] } }),
      listen(1612136600, "Portishead", "Sour Times", { additional_info: { recording_mbid: "not-a-musicbrainz-id" } }),
    ].join("\n"),
  });
}

describe("MusicBrainz ids from imports", () => {
  it("a ListenBrainz export: player ids first, then ListenBrainz's mapping, lowercase; malformed ids reported, not stored", async () => {
    const summary = await importPaths(fresh.store, [exportZip(fresh.dir)]);
    expect(summary.files[0]).toMatchObject({ imported: 5, mbids: { items: 3, added: 3, malformed: 2, examples: ["not-a-musicbrainz-id"] } });
    // Sour Times has only a malformed recording id (and an empty artist list): nothing stored for it.
    expect(await stored(fresh.store)).toEqual([
      `Massive Attack - Teardrop | ${TEARDROP} | ${MASSIVE_ATTACK}`,
      `Portishead - Glory Box | ${GLORY_BOX} | ${PORTISHEAD}`,
      `Portishead - Roads | ${ROADS} | ${PORTISHEAD}`,
    ]);
  });

  it("re-importing adds no id twice; a failed import leaves item_mbids as it was", async () => {
    const zip = exportZip(fresh.dir);
    await importPaths(fresh.store, [zip]);
    const before = await snapshot(fresh.store);
    const again = await importPaths(fresh.store, [zip]);
    expect(again.files[0].mbids).toMatchObject({ items: 3, added: 0, malformed: 2 });
    expect((await snapshot(fresh.store)).split("\n").filter((t) => !t.startsWith("imports:"))).toEqual(
      before.split("\n").filter((t) => !t.startsWith("imports:")),
    );

    const other = fresh.write(
      "other.json",
      `{"payload": {"listens": [${listen(1612200000, "Portishead", "Wandering Star", { additional_info: { recording_mbid: "11111111-2222-4333-8444-555555555555" } }, "amy")}]}}`,
    );
    const broken = fresh.write("broken.json", '{"payload": {"nothing": []}}');
    const kept = await snapshot(fresh.store);
    await expect(importPaths(fresh.store, [other, broken], { format: "listenbrainz-api" })).rejects.toThrow(/broken\.json/);
    expect(await snapshot(fresh.store)).toBe(kept);
  });

  it("a malformed player id gives way to ListenBrainz's mapping; a row that completes a stored one replaces it", async () => {
    const page = (listens: string[]) => `{"payload": {"count": ${listens.length}, "listens": [${listens.join(",")}]}}`;
    const first = fresh.write("first.json", page([listen(1612135000, "Portishead", "Roads", { additional_info: { recording_mbid: ROADS } }, "amy")]));
    await importPaths(fresh.store, [first]);
    expect(await stored(fresh.store)).toEqual([`Portishead - Roads | ${ROADS} | -`]);
    const second = fresh.write(
      "second.json",
      page([
        listen(1612135400, "Portishead", "Roads", { additional_info: { recording_mbid: "bogus", artist_mbids: [PORTISHEAD] }, mbid_mapping: { recording_mbid: ROADS } }, "amy"),
      ]),
    );
    const summary = await importPaths(fresh.store, [second]);
    expect(summary.files[0].mbids).toEqual({ items: 1, added: 0, malformed: 0, examples: [] });
    expect(await stored(fresh.store)).toEqual([`Portishead - Roads | ${ROADS} | ${PORTISHEAD}`]);
    await importPaths(fresh.store, [first]);
    expect(await stored(fresh.store)).toEqual([`Portishead - Roads | ${ROADS} | ${PORTISHEAD}`]);
  });

  it("a listen submission and the public data dump", async () => {
    await importPaths(fresh.store, [fixture("listenbrainz-submission.json")], { user: "lb" });
    expect(await stored(fresh.store)).toEqual(["Dool - Vantablack | e225fb84-dc9a-419e-adcd-9890f59ec432 | -"]);
    const dump = fresh.write("dump.listens", `${JSON.stringify({ timestamp: 1612135000, user_name: "amy", track_metadata: { artist_name: "Portishead", track_name: "Roads", mbid_mapping: { recording_mbid: ROADS, artist_mbids: [PORTISHEAD] } } })}\n`);
    await importPaths(fresh.store, [dump]);
    expect(await stored(fresh.store)).toContain(`Portishead - Roads | ${ROADS} | ${PORTISHEAD}`);
  });

  it("ListenBrainz API pages (musicrec sync listenbrainz) record the mapping's ids", async () => {
    const summary = await importPaths(fresh.store, [fixture("listenbrainz-api-page.json")]);
    expect(summary.files[0].mbids?.malformed).toBe(0);
    expect(await stored(fresh.store)).toContain("Radiohead - Karma Police | e9f4f0d0-4c7a-4e8f-9b0a-5a0b2d8f1c33 | a74b1b7f-71a5-4011-9441-d0b5e4122711");
  });

  it("Last.fm API pages: track and artist mbid; empty strings are unknown, not malformed; now playing and bad rows are not recorded", async () => {
    const summary = await importPaths(fresh.store, [fixture("lastfm-api-page.json")], { user: "fm" });
    expect(summary.files[0].mbids).toMatchObject({ malformed: 0 });
    // Glory Box (artist id, no track id) has an unparseable date: a rejected row records nothing.
    expect(summary.files[0].rejected.count).toBe(1);
    expect(await stored(fresh.store)).toEqual([
      "Tame Impala - Endors Toi | 0632aa27-3c1f-4ca9-ae87-e656ce677bfe | 63aa26c3-d59b-4da4-84ac-716b54f1ef4d",
    ]);
  });

  it("Last.fm CSV exports with artist_mbid / track_mbid columns", async () => {
    const csv = fresh.write(
      "export.csv",
      "uts,utc_time,artist,artist_mbid,album,album_mbid,track,track_mbid\n" +
        `1612135000,"31 Jan 2021, 23:16",Radiohead,a74b1b7f-71a5-4011-9441-d0b5e4122711,OK Computer,,Airbag,${ROADS}\n` +
        '1612134700,"31 Jan 2021, 23:11",Radiohead,,OK Computer,,Lucky,\n' +
        '1612134400,"31 Jan 2021, 23:06",Radiohead,{a74b1b7f},OK Computer,,Creep,\n',
    );
    const summary = await importPaths(fresh.store, [csv], { user: "csv" });
    expect(summary.files[0].mbids).toEqual({ items: 1, added: 1, malformed: 1, examples: ["{a74b1b7f}"] });
    expect(await stored(fresh.store)).toEqual([`Radiohead - Airbag | ${ROADS} | a74b1b7f-71a5-4011-9441-d0b5e4122711`]);
  });

  it("Last.fm-1K: the artist id column (track ids blank in the fixture)", async () => {
    await importPaths(fresh.store, [fixture("lfm1k.tsv")]);
    const lines = await stored(fresh.store);
    expect(lines).toContain("Deep Dish - Fuck Me Im Famous (Pacha Ibiza)-09-28-2007 | - | f1b1cf71-bd35-4e99-8624-24a6e15f133a");
    expect(lines.every((line) => / \| - \| [0-9a-f-]{36}$/.test(line))).toBe(true);
  });

  it("Last.fm-360K: artist-level items get their artist id", async () => {
    const summary = await importPaths(fresh.store, [fixture("lfm360k.tsv")]);
    expect(summary.files[0].mbids?.malformed).toBe(0);
    const lines = await stored(fresh.store);
    expect(lines).toContain("Radiohead | - | a74b1b7f-71a5-4011-9441-d0b5e4122711");
    expect(lines).toContain("Sigur Rós | - | 8f6bd1e4-fbe1-4f50-aa9b-94c450ec0f11");
    expect(lines).toHaveLength(2);
  });
});

describe("imported ids in playlists and library matching", () => {
  it("import a ListenBrainz export → JSPF identifiers; a library file matches by recording id", async () => {
    const db = path.join(fresh.dir, "store.duckdb");
    const run = (...args: string[]) => runCommand(db, [registerImport, registerTrain, registerPlaylist, registerLibrary], args);
    // Other listeners (no ids in their file) and a newcomer whose only listen is elsewhere.
    const others = fresh.write(
      "others.listens",
      [
        listen(1612100000, "Portishead", "Roads", {}, "amy"),
        listen(1612100300, "Massive Attack", "Teardrop", {}, "amy"),
        listen(1612100600, "Portishead", "Glory Box", {}, "kim"),
        listen(1612100900, "Massive Attack", "Unfinished Sympathy", {}, "kim"),
        listen(1612101200, "Someone Else", "Something", {}, "new"),
      ].join("\n") + "\n",
    );
    const report = await run("import", exportZip(fresh.dir), others);
    expect(report).toContain("MusicBrainz ids for 3 of its items (3 new in the store)");
    expect(report).toContain('2 rows carry a malformed MusicBrainz id (e.g. "not-a-musicbrainz-id"); those ids were not recorded');
    await run("train", "--models", "popularity", "--min-user-items", "1", "--min-item-users", "1");

    const jspf = JSON.parse(await run("playlist", "--user", "new", "--model", "popularity", "-k", "10", "--format", "jspf"));
    const identifiers = jspf.playlist.track.map((t: { identifier: string }) => t.identifier).sort();
    expect(identifiers).toEqual([GLORY_BOX, ROADS, TEARDROP].map((id) => `https://musicbrainz.org/recording/${id}`).sort());
    const roads = jspf.playlist.track.find((t: { title: string }) => t.title === "Roads");
    expect(roads.extension["https://musicbrainz.org/doc/jspf#track"].artist_identifiers).toEqual([`https://musicbrainz.org/artist/${PORTISHEAD}`]);

    // Tags that spell the song differently still find it through the imported recording id.
    const music = path.join(fresh.dir, "Music");
    mkdirSync(music);
    writeAudio(path.join(music, "roads.mp3"), { artist: "Portishead", title: "Track 03 (untitled rip)", recordingMbid: ROADS });
    expect(await run("library", "scan", music)).toContain("match rate: 1 of 1 tagged files (100.0%) match a catalogue item (1 by MusicBrainz id, 0 by artist and title)");
  }, 60_000);
});

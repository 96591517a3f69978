import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { toJspf } from "../../src/playlists/jspf.js";
import { toM3u8 } from "../../src/playlists/m3u8.js";
import { toXspf } from "../../src/playlists/xspf.js";
import { safeFileStem } from "../../src/playlists/file-name.js";
import type { Playlist, PlaylistTrack } from "../../src/playlists/playlist.js";

/**
 * JSPF as published at https://xspf.org/jspf (every key of the comprehensive example; nothing
 * else allowed), with the two places where ListenBrainz's profile (https://musicbrainz.org/doc/jspf)
 * writes a different shape: a track's `identifier` is one URL string rather than a list, and an
 * extension's value is one object rather than a list of bodies.
 */
const uri = z.url();
const linkList = z.array(z.record(z.string(), z.string()));
const extension = z.record(uri, z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]));
const JSPF_TRACK = z.strictObject({
  location: z.array(uri).optional(),
  identifier: z.union([uri, z.array(uri)]).optional(),
  title: z.string().optional(),
  creator: z.string().optional(),
  annotation: z.string().optional(),
  info: uri.optional(),
  image: uri.optional(),
  album: z.string().optional(),
  trackNum: z.int().positive().optional(),
  duration: z.int().nonnegative().optional(),
  link: linkList.optional(),
  meta: linkList.optional(),
  extension: extension.optional(),
});
const JSPF = z.strictObject({
  playlist: z.strictObject({
    title: z.string().optional(),
    creator: z.string().optional(),
    annotation: z.string().optional(),
    info: uri.optional(),
    location: uri.optional(),
    identifier: uri.optional(),
    image: uri.optional(),
    date: z.iso.datetime({ offset: true }).optional(),
    license: uri.optional(),
    attribution: z.array(z.union([z.strictObject({ identifier: uri }), z.strictObject({ location: uri })])).optional(),
    link: linkList.optional(),
    meta: linkList.optional(),
    extension: extension.optional(),
    track: z.array(JSPF_TRACK),
  }),
});

/** What ListenBrainz's playlist import checks on top (listenbrainz-server validate_playlist). */
const RECORDING = /^https:\/\/musicbrainz\.org\/recording\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LISTENBRAINZ = z.object({
  playlist: z.object({
    title: z.string().min(1),
    extension: z.object({ "https://musicbrainz.org/doc/jspf#playlist": z.object({ public: z.boolean() }) }),
    track: z.array(z.object({ identifier: z.string().regex(RECORDING) })),
  }),
});

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-playlists-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HOSTILE = `</title><script>alert("x")</script> & 'Ünïcødé' ]]> \u0000\u0007\u001b bell\r\nsecond line`;
const MBID = "8f3471b5-7e6a-48da-86a9-c1c07a0f47ae";
const ARTIST_MBID = "a74b1b7f-71a5-4011-9441-d0b5e4122711";

function track(overrides: Partial<PlaylistTrack>): PlaylistTrack {
  return { artist: "Radiohead", title: "Karma Police", album: "OK Computer", durationMs: 264_000, recordingMbid: null, artistMbid: null, file: null, annotation: null, ...overrides };
}

function fixture(): Playlist {
  const music = path.join(scratch, "music dir", "Rädiohead");
  mkdirSync(music, { recursive: true });
  const karma = path.join(music, "01 Karma Police #1?.mp3");
  const hostileFile = path.join(music, "hostile & <file>.flac");
  writeFileSync(karma, "x");
  writeFileSync(hostileFile, "x");
  return {
    title: `musicrec discovery for ${HOSTILE}`,
    annotation: `Recommendations for ${HOSTILE} from the hybrid model`,
    creator: "musicrec",
    date: new Date("2026-11-25T10:00:00Z"),
    tracks: [
      track({ recordingMbid: MBID, artistMbid: ARTIST_MBID, file: karma, annotation: "because you played Muse - Uprising" }),
      track({ artist: HOSTILE, title: HOSTILE, album: HOSTILE, recordingMbid: "6B9C7B1E-1C1E-4C5F-9E0B-93C2E4D9A001", file: hostileFile, annotation: HOSTILE }),
      track({ artist: "No Id", title: "Not In Library", durationMs: null }),
      track({ artist: "Bad Tag", title: "Malformed Id", recordingMbid: "not-a-uuid", artistMbid: "also bad" }),
      track({ artist: "Artist Only", title: null, album: null, durationMs: null }),
    ],
  };
}

describe("JSPF", () => {
  it("validates against the published JSPF structure and ListenBrainz's import rules", () => {
    const out = toJspf(fixture());
    const document = JSPF.parse(JSON.parse(out.text));
    LISTENBRAINZ.parse(document);
    expect(out.written).toBe(2);
    expect(out.leftOut).toBe(3);
    expect(out.leftOutReason).toMatch(/MusicBrainz recording id/);
    const [first, second] = document.playlist.track;
    expect(first).toMatchObject({ identifier: `https://musicbrainz.org/recording/${MBID}`, title: "Karma Police", creator: "Radiohead", album: "OK Computer", duration: 264000 });
    expect(first.extension).toEqual({ "https://musicbrainz.org/doc/jspf#track": { artist_identifiers: [`https://musicbrainz.org/artist/${ARTIST_MBID}`] } });
    expect(fileURLToPath(first.location![0])).toBe(fixture().tracks[0].file);
    // Ids are written in MusicBrainz's lower case; hostile text survives JSON exactly.
    expect(second.identifier).toBe("https://musicbrainz.org/recording/6b9c7b1e-1c1e-4c5f-9e0b-93c2e4d9a001");
    expect(second.creator).toBe(HOSTILE);
    expect(document.playlist.title).toContain(HOSTILE);
  });

  it("keeps every track with allTracks, still valid JSPF, never writing malformed ids", () => {
    const out = toJspf(fixture(), { allTracks: true });
    const document = JSPF.parse(JSON.parse(out.text));
    expect(out).toMatchObject({ written: 5, leftOut: 0, leftOutReason: null });
    const bad = document.playlist.track[3];
    expect(bad.identifier).toBeUndefined();
    expect(bad.extension).toBeUndefined();
    expect(document.playlist.track[4]).toEqual({ title: "Artist Only", creator: "Artist Only" });
    // Not importable into ListenBrainz: that is why it is not the default.
    expect(LISTENBRAINZ.safeParse(document).success).toBe(false);
  });
});

describe("XSPF", () => {
  const parse = (text: string) => {
    expect(XMLValidator.validate(text)).toBe(true);
    return new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "track" }).parse(text);
  };

  it("is well-formed XML with a trackList of every track, hostile text escaped", () => {
    const out = toXspf(fixture());
    expect(out).toMatchObject({ written: 5, leftOut: 0 });
    const xml = parse(out.text);
    expect(xml.playlist["@_version"]).toBe("1");
    expect(xml.playlist["@_xmlns"]).toBe("http://xspf.org/ns/0/");
    const tracks = xml.playlist.trackList.track;
    expect(tracks).toHaveLength(5);
    expect(tracks[0]).toMatchObject({ identifier: `https://musicbrainz.org/recording/${MBID}`, title: "Karma Police", creator: "Radiohead", duration: 264000 });
    expect(fileURLToPath(tracks[0].location)).toBe(fixture().tracks[0].file);
    expect(fileURLToPath(tracks[1].location)).toBe(fixture().tracks[1].file);
    // No markup leaks: the script is text, control characters (not allowed in XML 1.0) are gone.
    expect(out.text).not.toContain("<script>");
    expect(out.text).not.toMatch(/[\u0000\u0007\u001b]/);
    const clean = HOSTILE.replace(/[\u0000\u0007\u001b]/g, "");
    expect(new XMLParser({ processEntities: true, htmlEntities: true, trimValues: false, isArray: (n) => n === "track" }).parse(out.text).playlist.trackList.track[1].creator).toBe(clean);
    expect(tracks[3].identifier).toBeUndefined();
    expect(tracks[4]).toEqual({ title: "Artist Only", creator: "Artist Only" });
  });
});

describe("M3U8", () => {
  it("lists the library files with #EXTINF duration and 'Artist - Title', leaving out and counting the rest", () => {
    const playlist = fixture();
    const out = toM3u8(playlist);
    expect(out).toMatchObject({ written: 2, leftOut: 3, leftOutReason: "not in the local library" });
    const lines = out.text.trimEnd().split("\n");
    expect(lines[0]).toBe("#EXTM3U");
    expect(lines[1]).toMatch(/^#PLAYLIST:musicrec discovery for /);
    expect(lines[2]).toMatch(/^# Recommendations for /);
    expect(lines.slice(3)).toHaveLength(4);
    expect(lines[3]).toBe("#EXTINF:264,Radiohead - Karma Police");
    const entries = lines.filter((line) => !line.startsWith("#"));
    expect(entries).toEqual([playlist.tracks[0].file, playlist.tracks[1].file]);
    for (const entry of entries) expect(existsSync(entry)).toBe(true);
    // The hostile name's line break cannot start a new entry.
    expect(lines[5]).toMatch(/^#EXTINF:264,<\/title>.* bell second line - /);
  });

  it("writes paths relative to the playlist's folder when asked, and they resolve", () => {
    const playlist = fixture();
    const folder = path.join(scratch, "playlists");
    const out = toM3u8(playlist, { relativeTo: folder });
    const entries = out.text.split("\n").filter((line) => line && !line.startsWith("#"));
    expect(entries[0]).toBe(path.join("..", "music dir", "Rädiohead", "01 Karma Police #1?.mp3"));
    for (const entry of entries) expect(existsSync(path.resolve(folder, entry))).toBe(true);
  });
});

describe("safeFileStem", () => {
  it("keeps plain names and makes any other name a distinct portable one", () => {
    expect(safeFileStem("alice")).toBe("alice");
    expect(safeFileStem("bob_2-x.y")).toBe("bob_2-x.y");
    const hostile = ["../../etc/passwd", "a/b", "a?b", "..", ".hidden", "", "CON", "名前", "x".repeat(300), "C:\\evil"];
    const stems = hostile.map(safeFileStem);
    for (const stem of stems) {
      expect(stem).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);
      expect(stem.length).toBeLessThanOrEqual(100);
    }
    expect(new Set(stems).size).toBe(hostile.length);
  });
});
